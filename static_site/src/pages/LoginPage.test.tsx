import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { captureFirstTouchUtm } from '../features/auth/utm';
import { config, styles, user } from '../test/fixtures';
import { apiError, mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const common = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/me/styles': { body: { items: [] } },
  'GET /api/me': { body: user },
};

describe('login', () => {
  it('a private route sends to /login keeping the intended path; the sandbox widget logs in and returns there', async () => {
    captureFirstTouchUtm('?utm_source=yandex&utm_campaign=launch');
    const { calls } = mockApi({
      ...common,
      'POST /sandbox/telegram/login-widget': ({ body }) => ({ body: { ...(body as object), auth_date: 1700000000, hash: 'abc' } }),
      'POST /api/auth/telegram': { body: { token: 'jwt-1', user, is_new: true } },
    });
    renderApp('/generate', undefined, App);

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fgenerate'));
    await userEvent.click(await screen.findByTestId('login-sandbox-open'));
    expect(screen.getByTestId('login-sandbox-id')).toHaveValue('777000001');
    expect(screen.getByTestId('login-sandbox-name')).toHaveValue('Тестовый продавец');
    expect(screen.getByTestId('login-sandbox-username')).toHaveValue('test_seller');
    await userEvent.click(screen.getByTestId('login-sandbox-submit'));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/generate$/));
    const sandbox = calls.find((c) => c.path === '/sandbox/telegram/login-widget');
    expect(sandbox?.body).toEqual({ id: 777000001, first_name: 'Тестовый продавец', username: 'test_seller' });
    const login = calls.find((c) => c.path === '/api/auth/telegram');
    expect(login?.body).toEqual({
      id: 777000001,
      first_name: 'Тестовый продавец',
      username: 'test_seller',
      auth_date: 1700000000,
      hash: 'abc',
      utm: { utm_source: 'yandex', utm_campaign: 'launch' },
    });
    expect(localStorage.getItem('photoshoot.token')).toBe('jwt-1');
    expect(window.__goals?.map((g) => g.target)).toContain('signup');
    expect(await screen.findByTestId('header-balance')).toHaveTextContent('3');
  });

  it('code login: tells the user to open the bot when the code could not be delivered', async () => {
    mockApi({
      ...common,
      'POST /api/auth/code/request': { body: { challenge_id: 'c1', expires_in: 300, delivered: false, bot_link: 'https://t.me/photoshoot_bot?start=x' } },
    });
    renderApp('/login', undefined, App);
    await userEvent.type(await screen.findByTestId('login-code-username'), '@test_seller');
    await userEvent.click(screen.getByTestId('login-code-request'));
    expect(await screen.findByTestId('login-code-not-delivered')).toHaveTextContent('Откройте');
    expect(screen.getByTestId('login-code-open-bot')).toHaveAttribute('href', 'https://t.me/photoshoot_bot?start=x');
  });

  it('code login: 6 digits, autofocus, submits by itself and shows the server message on a wrong code', async () => {
    let attempts = 0;
    const { calls } = mockApi({
      ...common,
      'POST /api/auth/code/request': { body: { challenge_id: 'c1', expires_in: 300, delivered: true, bot_link: 'https://t.me/b' } },
      'POST /api/auth/code/verify': () => (++attempts === 1 ? apiError(400, 'invalid_code', 'Неверный код. Осталось 2 попытки.') : { body: { token: 'jwt-2', user } }),
    });
    captureFirstTouchUtm('?utm_source=vk&utm_campaign=spring');
    renderApp('/login?next=%2Fprofile', undefined, App);
    await userEvent.type(await screen.findByTestId('login-code-username'), 'test_seller');
    await userEvent.click(screen.getByTestId('login-code-request'));
    const input = await screen.findByTestId('login-code-input');
    expect(input).toHaveFocus();
    expect(input).toHaveAttribute('maxLength', '6');
    await userEvent.type(input, '12a3456');
    expect(await screen.findByTestId('login-code-error')).toHaveTextContent('Неверный код. Осталось 2 попытки.');
    // the source goes with the request: a new seller's account is made when they open the bot
    expect(calls.find((c) => c.path === '/api/auth/code/request')?.body).toEqual({
      username: 'test_seller', utm: { utm_source: 'vk', utm_campaign: 'spring' },
    });
    expect(calls.find((c) => c.path === '/api/auth/code/verify')?.body).toEqual({
      challenge_id: 'c1', code: '123456', utm: { utm_source: 'vk', utm_campaign: 'spring' },
    });

    await userEvent.clear(input);
    await userEvent.type(input, '654321');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/profile$/));
  });

  it('deep link: shows the bot button and waits, polling until confirmed', async () => {
    let polls = 0;
    mockApi({
      ...common,
      'POST /api/auth/link': { body: { challenge_id: 'l1', bot_link: 'https://t.me/photoshoot_bot?start=login_l1', expires_in: 300 } },
      'GET /api/auth/link/l1': () => (++polls < 2 ? { body: { status: 'pending' } } : { body: { status: 'confirmed', token: 'jwt-3', user } }),
    });
    renderApp('/login', undefined, App);
    await userEvent.click(await screen.findByTestId('login-link-start'));
    expect(await screen.findByTestId('login-link-open')).toHaveAttribute('href', 'https://t.me/photoshoot_bot?start=login_l1');
    expect(screen.getByTestId('login-link-status')).toHaveAttribute('data-status', 'pending');
    // the second poll comes 2 s after the first
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/generate$/), { timeout: 10_000 });
    expect(localStorage.getItem('photoshoot.token')).toBe('jwt-3');
  });

  it('a 401 on a private page clears the token and sends to /login with the intended path', async () => {
    localStorage.setItem('photoshoot.token', 'stale');
    mockApi({ ...common, 'GET /api/me': apiError(401, 'unauthorized', 'Сессия истекла') });
    renderApp('/profile', { auth: { token: 'stale', user: null, expired: false } }, App);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fprofile'));
    expect(localStorage.getItem('photoshoot.token')).toBeNull();
    expect(await screen.findByText(/Сессия истекла/)).toBeInTheDocument();
  });
});
