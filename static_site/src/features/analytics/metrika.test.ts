import { afterEach, describe, expect, it } from 'vitest';
import { setupStore } from '../../app/store';
import type { Order } from '../../shared/types';
import { generationReceived, generationStatusReceived } from '../generation/generationSlice';
import { paymentSucceeded } from '../payments/paymentsSlice';
import { getClientId, initMetrika, reachGoal, resetMetrikaForTests } from './metrika';

const order: Order = {
  order_id: 'o1', package_id: 'business', package_title: 'Бизнес', photoshoots: 20, amount_kopecks: 149000,
  currency: 'RUB', status: 'paid', cancellation_reason: null, created_at: '2025-01-01T00:00:00Z', paid_at: '2025-01-01T00:01:00Z',
};

describe('Metrika', () => {
  afterEach(() => resetMetrikaForTests());

  it('without a counter loads no script and records goals in window.__goals', async () => {
    expect(initMetrika(null)).toBe(false);
    reachGoal('view_packages');
    expect(document.querySelector('script[src*="mc.yandex.ru"]')).toBeNull();
    expect(window.__goals?.map((g) => g.target)).toEqual(['view_packages']);
    expect(await getClientId()).toBeNull();
  });

  it('with a counter loads the tag once and sends goals through ym', () => {
    initMetrika('12345');
    initMetrika('12345');
    expect(document.querySelectorAll('script[src*="mc.yandex.ru/metrika/tag.js"]')).toHaveLength(1);
    reachGoal('download_image', { scope: 'single' });
    const queued = window.ym!.a!;
    expect(queued[0]).toEqual([12345, 'init', expect.objectContaining({ ecommerce: 'dataLayer' })]);
    expect(queued).toContainEqual([12345, 'reachGoal', 'download_image', { scope: 'single' }]);
  });

  it('payment success sends the goal with the price in rubles and an e-commerce purchase, once per order', () => {
    const store = setupStore();
    store.dispatch(paymentSucceeded(order));
    store.dispatch(paymentSucceeded(order));
    const goals = window.__goals!.filter((g) => g.target === 'payment_success');
    expect(goals).toHaveLength(1);
    expect(goals[0].params).toMatchObject({ order_price: 1490, currency: 'RUB' });
    expect(window.dataLayer).toEqual([
      {
        ecommerce: {
          currencyCode: 'RUB',
          purchase: { actionField: { id: 'o1', revenue: 1490 }, products: [{ id: 'business', name: 'Бизнес', price: 1490, quantity: 1 }] },
        },
      },
    ]);
  });

  it('generation_complete fires only for a generation seen running that then succeeds', () => {
    const store = setupStore();
    // an old finished generation opened by link: no goal
    store.dispatch(generationReceived({ generation_id: 'old', status: 'succeeded', step: 'done', progress: 100, images: [] }));
    store.dispatch(generationReceived({ generation_id: 'g1', status: 'running', step: 'generate', progress: 50, images: [] }));
    store.dispatch(
      generationStatusReceived({ type: 'generation.status', generation_id: 'g1', status: 'succeeded', step: 'done', progress: 100, message: '', eta_s: null }),
    );
    store.dispatch(
      generationStatusReceived({ type: 'generation.status', generation_id: 'g1', status: 'succeeded', step: 'done', progress: 100, message: '', eta_s: null }),
    );
    expect(window.__goals!.filter((g) => g.target === 'generation_complete').map((g) => g.params?.generation_id)).toEqual(['g1']);
  });
});
