import { afterEach, describe, expect, it } from 'vitest';
import { setupStore } from '../../app/store';
import type { Order } from '../../shared/types';
import { mockApi } from '../../test/mockApi';
import { generationReceived, generationStatusReceived } from '../generation/generationSlice';
import { paymentsApi } from '../payments/paymentsApi';
import { orderPaid, paymentSucceeded } from '../payments/paymentsSlice';
import { getClientId, hit, initMetrika, reachGoal, resetMetrikaForTests, setUserId } from './metrika';

const MINUTE = 60 * 1000;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();

const order: Order = {
  order_id: 'o1', package_id: 'business', package_title: 'Бизнес', photoshoots: 20, amount_kopecks: 149000,
  currency: 'RUB', status: 'paid', cancellation_reason: null, created_at: minutesAgo(3), paid_at: minutesAgo(1),
};

const paymentGoals = () => window.__goals!.filter((g) => g.target === 'payment_success');

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

  it('calls made before the config answered are sent right after init, in order', () => {
    // PackagesPage raises view_packages on mount, the landing view and the user id come as early
    reachGoal('view_packages');
    hit('http://localhost:3000/packages', { referer: 'https://yandex.ru/' });
    setUserId('u1');
    expect(window.ym).toBeUndefined();
    initMetrika('12345');
    expect(window.ym!.a).toEqual([
      [12345, 'init', expect.objectContaining({ ecommerce: 'dataLayer' })],
      [12345, 'reachGoal', 'view_packages', undefined],
      [12345, 'hit', 'http://localhost:3000/packages', { referer: 'https://yandex.ru/' }],
      [12345, 'userParams', { UserID: 'u1' }],
    ]);
    reachGoal('click_buy');
    expect(window.ym!.a).toHaveLength(5);
  });

  it('a config without a counter drops the calls held for it', () => {
    reachGoal('view_packages');
    initMetrika(null);
    expect(window.ym).toBeUndefined();
    // had they been kept, a counter set up later would receive them
    initMetrika('12345');
    expect(window.ym!.a).toEqual([[12345, 'init', expect.anything()]]);
    expect(window.__goals?.map((g) => g.target)).toEqual(['view_packages']);
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

  it('an order paid long ago (its result page opened again, in another browser) is not reported', () => {
    const store = setupStore();
    store.dispatch(paymentSucceeded({ ...order, paid_at: minutesAgo(120) }));
    expect(paymentGoals()).toHaveLength(0);
    expect(window.dataLayer).toEqual([]);
  });

  it('a payment within the window is reported even when this clock runs behind the server', () => {
    const store = setupStore();
    store.dispatch(paymentSucceeded({ ...order, paid_at: new Date(Date.now() + 10 * MINUTE).toISOString() }));
    expect(paymentGoals()).toHaveLength(1);
  });

  it('the browser that started the checkout reports its order whatever its clock says', async () => {
    mockApi({ 'POST /api/payments': { body: { order_id: 'o1', confirmation_url: 'https://yookassa.test/p1' } } });
    const store = setupStore();
    await store.dispatch(paymentsApi.endpoints.createPayment.initiate({ package_id: 'business' }));
    // this browser's clock is hours off: paid_at looks old
    store.dispatch(paymentSucceeded({ ...order, paid_at: minutesAgo(300) }));
    expect(paymentGoals()).toHaveLength(1);
    // and still once per browser: a new page load (new store) does not report it again
    setupStore().dispatch(paymentSucceeded({ ...order, paid_at: minutesAgo(300) }));
    expect(paymentGoals()).toHaveLength(1);
  });

  it('a payment pushed over the socket is live even before the order answer has paid_at', () => {
    const store = setupStore();
    store.dispatch(orderPaid({ type: 'order.paid', order_id: 'o1', photoshoots: 20, balance: 23 }));
    store.dispatch(paymentSucceeded({ ...order, status: 'paid', paid_at: null }));
    expect(paymentGoals()).toHaveLength(1);
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
