import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../../app/App';
import { config, styles, user } from '../../../test/fixtures';
import { apiError, mockApi } from '../../../test/mockApi';
import { renderApp } from '../../../test/render';

const common = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/me/styles': { body: { items: [] } },
  'GET /api/me': { body: user },
};

describe('login with a screen reader', () => {
  it('a refused username is said at the field: invalid, and the reason is its description', async () => {
    mockApi(common);
    renderApp('/login', undefined, App);
    const username = await screen.findByLabelText('Имя пользователя в Telegram');
    expect(username).toHaveAccessibleDescription('Например, @my_shop');
    await userEvent.type(username, 'ab');
    await userEvent.click(screen.getByTestId('login-code-request'));
    expect(username).toHaveAttribute('aria-invalid', 'true');
    expect(username).toHaveAccessibleDescription(/латиница, цифры и _/);
  });

  it('the code field is named by its visible label, and a wrong code is tied to it', async () => {
    mockApi({
      ...common,
      'POST /api/auth/code/request': { body: { challenge_id: 'c1', expires_in: 300, delivered: true, bot_link: 'https://t.me/b' } },
      'POST /api/auth/code/verify': apiError(400, 'invalid_code', 'Неверный код. Осталось 2 попытки.'),
    });
    renderApp('/login', undefined, App);
    await userEvent.type(await screen.findByTestId('login-code-username'), 'test_seller');
    await userEvent.click(screen.getByTestId('login-code-request'));
    // «Код из Telegram» is what is printed: a voice-control user says that to reach it
    const code = await screen.findByLabelText('Код из Telegram');
    expect(code).toHaveAccessibleName('Код из Telegram');
    await userEvent.type(code, '123456');
    expect(await screen.findByTestId('login-code-error')).toHaveTextContent('Неверный код');
    expect(code).toHaveAttribute('aria-invalid', 'true');
    expect(code).toHaveAccessibleDescription(/Неверный код\. Осталось 2 попытки\./);
  });

  it('waiting for the bot is announced once: the countdown is not inside a live region', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    mockApi({
      ...common,
      'POST /api/auth/link': { body: { challenge_id: 'l1', bot_link: 'https://t.me/photoshoot_bot?start=login_l1', expires_in: 300 } },
      'GET /api/auth/link/l1': { body: { status: 'pending' } },
    });
    renderApp('/login', undefined, App);
    await userEvent.click(await screen.findByTestId('login-link-start'));
    const timer = await screen.findByTestId('login-link-timer');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3000);
    });
    expect(timer).toHaveTextContent(/4:5\d/);
    expect(timer).toHaveAttribute('role', 'timer');
    // no ancestor would read each new second out
    expect(timer.closest('[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]')).toBeNull();
    expect(screen.getByText(/Ждём подтверждения в Telegram/)).toHaveAttribute('role', 'status');
  });
});
