import { describe, expect, it } from 'vitest';
import { setupStore } from '../app/store';
import { authApi } from '../features/auth/authApi';
import { loggedIn } from '../features/auth/authSlice';
import { readToken } from '../features/auth/tokenStorage';
import { user } from '../test/fixtures';
import { apiError, mockApi } from '../test/mockApi';

const refused = apiError(401, 'session_expired', 'Вы вышли из аккаунта. Войдите ещё раз.');

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function storeWithToken(token: string) {
  localStorage.setItem('photoshoot.token', token);
  return setupStore({ auth: { token, user: null, expired: false } });
}

describe('a 401 ends the session', () => {
  it('when it answers the token the session still has', async () => {
    mockApi({ 'GET /api/me': refused });
    const store = storeWithToken('old');

    await store.dispatch(authApi.endpoints.getMe.initiate());

    expect(store.getState().auth).toMatchObject({ token: null, expired: true });
    expect(readToken()).toBeNull();
  });

  it('not when it answers a token replaced by a login meanwhile', async () => {
    // A Mini App launch logs in with initData while the stored token's /api/me is in
    // flight: that token's late 401 is about the old session, not the new one.
    const oldAnswer = deferred<typeof refused>();
    const { calls } = mockApi({
      'GET /api/me': (call) =>
        call.headers.get('Authorization') === 'Bearer old' ? oldAnswer.promise : { body: user },
    });
    const store = storeWithToken('old');
    const pending = store.dispatch(authApi.endpoints.getMe.initiate());
    await expect.poll(() => calls.length).toBe(1);

    store.dispatch(loggedIn({ token: 'new', user }));
    oldAnswer.resolve(refused);
    await pending;

    expect(store.getState().auth).toMatchObject({ token: 'new', expired: false });
    expect(readToken()).toBe('new');
  });

  it('not when a login is refused: stale or foreign initData leaves the session held', async () => {
    const { calls } = mockApi({
      'POST /api/auth/webapp': apiError(401, 'invalid_signature', 'Подпись данных Telegram не прошла проверку.'),
    });
    const store = storeWithToken('web');

    await store.dispatch(authApi.endpoints.loginWithWebApp.initiate({ init_data: 'query_id=1&hash=forged' }));

    expect(calls.map((c) => c.path)).toEqual(['/api/auth/webapp']);
    expect(store.getState().auth).toMatchObject({ token: 'web', expired: false });
    expect(readToken()).toBe('web');
  });
});
