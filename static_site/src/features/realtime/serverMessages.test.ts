import { describe, expect, it } from 'vitest';
import { setupStore } from '../../app/store';
import { user } from '../../test/fixtures';
import { loggedIn } from '../auth/authSlice';
import { dispatchServerMessage } from './serverMessages';

describe('server → client socket messages', () => {
  it('balance updates the balance shown in the header', () => {
    const store = setupStore();
    store.dispatch(loggedIn({ token: 't', user }));
    dispatchServerMessage(store.dispatch, { type: 'balance', balance: 9 });
    expect(store.getState().auth.user?.balance).toBe(9);
  });

  it('order.paid records the paid order and the new balance', () => {
    const store = setupStore();
    store.dispatch(loggedIn({ token: 't', user }));
    dispatchServerMessage(store.dispatch, { type: 'order.paid', order_id: 'o1', photoshoots: 20, balance: 23 });
    expect(store.getState().payments.paid.o1).toEqual({ photoshoots: 20, balance: 23 });
    expect(store.getState().auth.user?.balance).toBe(23);
  });

  it('generation.status merges streamed images by index', () => {
    const store = setupStore();
    const image = (index: number) => ({ index, url: `/i${index}`, thumb_url: `/t${index}`, width: 1, height: 1 });
    const base = { type: 'generation.status', generation_id: 'g1', status: 'running', step: 'generate', message: '', eta_s: 5 };
    dispatchServerMessage(store.dispatch, { ...base, progress: 50, images: [image(0)] });
    dispatchServerMessage(store.dispatch, { ...base, progress: 75, images: [image(1)] });
    dispatchServerMessage(store.dispatch, { type: 'pong' });
    const g = store.getState().generation.byId.g1;
    expect(g.images.map((i) => i.index)).toEqual([0, 1]);
    expect(g.progress).toBe(75);
  });
});
