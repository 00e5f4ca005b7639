import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../app/App';
import { config, user } from '../../test/fixtures';
import { apiError, mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';
import { isMiniAppLaunch } from './miniApp';

describe('Telegram Mini App', () => {
  it('recognises a Mini App launch by tgWebAppData in the hash, inside a Telegram client', () => {
    const client = window as Window & { TelegramWebviewProxy?: unknown };
    client.TelegramWebviewProxy = { postEvent() {} }; // what Telegram's apps inject
    expect(isMiniAppLaunch('#tgWebAppData=query_id%3D1&tgWebAppVersion=7.0')).toBe(true);
    expect(isMiniAppLaunch('#section')).toBe(false);
    delete client.TelegramWebviewProxy;
    expect(isMiniAppLaunch('#tgWebAppData=query_id%3D1&tgWebAppVersion=7.0')).toBe(false);
  });

  it('logs in by itself with initData', async () => {
    window.Telegram = { WebApp: { initData: 'query_id=1&user=%7B%7D&hash=abc' } };
    const { calls } = mockApi({
      'GET /api/config': { body: config },
      'GET /api/me': { body: user },
      'POST /api/auth/webapp': { body: { token: 'jwt-webapp', user } },
    });
    const { store } = renderApp('/', undefined, App);
    await waitFor(() => expect(store.getState().auth.token).toBe('jwt-webapp'));
    expect(calls.find((c) => c.path === '/api/auth/webapp')?.body).toEqual({ init_data: 'query_id=1&user=%7B%7D&hash=abc' });
    delete window.Telegram;
  });

  it('says it is signing in while it does, not just «Войти»', async () => {
    window.Telegram = { WebApp: { initData: 'query_id=1&user=%7B%7D&hash=abc' } };
    let answer: (value: unknown) => void = () => undefined;
    const held = new Promise((resolve) => {
      answer = resolve;
    });
    mockApi({
      'GET /api/config': { body: config },
      'GET /api/me': { body: user },
      'POST /api/auth/webapp': async () => {
        await held;
        return { body: { token: 'jwt-webapp', user } };
      },
    });
    const { store } = renderApp('/', undefined, App);
    expect(await screen.findByTestId('miniapp-signing-in')).toHaveTextContent('Входим через Telegram…');
    answer(null);
    await waitFor(() => expect(store.getState().auth.token).toBe('jwt-webapp'));
    expect(screen.queryByTestId('miniapp-signing-in')).toBeNull();
    delete window.Telegram;
  });

  it('a refused launch (expired initData) says how to get in, instead of nothing', async () => {
    window.Telegram = { WebApp: { initData: 'query_id=1&user=%7B%7D&hash=old' } };
    mockApi({
      'GET /api/config': { body: config },
      'POST /api/auth/webapp': apiError(401, 'login_expired', 'Данные входа через Telegram устарели. Нажмите «Войти через Telegram» ещё раз.'),
    });
    renderApp('/', undefined, App);
    expect(await screen.findByTestId('miniapp-login-error')).toHaveTextContent(
      'Не получилось войти: данные запуска из Telegram устарели или не подходят. Закройте приложение и откройте его снова из бота.',
    );
    delete window.Telegram;
  });
});
