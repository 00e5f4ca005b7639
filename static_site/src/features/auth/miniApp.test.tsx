import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../app/App';
import { config, user } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';
import { isMiniAppLaunch } from './miniApp';

describe('Telegram Mini App', () => {
  it('recognises a Mini App launch by tgWebAppData in the hash', () => {
    expect(isMiniAppLaunch('#tgWebAppData=query_id%3D1&tgWebAppVersion=7.0')).toBe(true);
    expect(isMiniAppLaunch('#section')).toBe(false);
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
});
