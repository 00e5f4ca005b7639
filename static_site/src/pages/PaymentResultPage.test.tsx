import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import { dispatchServerMessage } from '../features/realtime/serverMessages';
import type { Order } from '../shared/types';
import { config, styles, user } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const order: Order = {
  order_id: 'o1', package_id: 'business', package_title: 'Бизнес', photoshoots: 20, amount_kopecks: 149000, currency: 'RUB',
  status: 'pending', cancellation_reason: null, created_at: '2025-05-01T10:00:00Z', paid_at: null,
};
const loggedIn = { auth: { token: 't', user, expired: false } };
const common = { 'GET /api/config': { body: config }, 'GET /api/styles': { body: { items: styles } }, 'GET /api/me': { body: user } };

/** The countdown sets its next second after each render: one act per second lets React render. */
async function secondsPass(seconds: number) {
  for (let i = 0; i < seconds; i += 1) await act(() => vi.advanceTimersByTimeAsync(1000));
}

describe('payment result', () => {
  it('waits while pending, then celebrates when order.paid arrives and shows the credited count', async () => {
    mockApi({ ...common, 'GET /api/orders/o1': { body: order } });
    const { store } = renderApp('/payment/result?order=o1', loggedIn, App);
    expect(await screen.findByTestId('payment-pending')).toBeInTheDocument();
    act(() => dispatchServerMessage(store.dispatch, { type: 'order.paid', order_id: 'o1', photoshoots: 20, balance: 23 }));
    const success = await screen.findByTestId('payment-success');
    expect(success).toBeInTheDocument();
    expect(screen.getByTestId('payment-credited')).toHaveTextContent('20 фотосессий');
    expect(screen.getByTestId('header-balance')).toHaveTextContent('23');
    expect(screen.getByTestId('payment-start-generation')).toHaveAttribute('href', '/generate');
    await waitFor(() => expect(window.__goals?.map((g) => g.target)).toContain('payment_success'));
  });

  it('a payment learned by polling (the socket push missed) reads the new balance', async () => {
    let paid = false;
    mockApi({
      ...common,
      'GET /api/me': () => ({ body: { ...user, balance: paid ? 21 : 1 } }),
      'GET /api/orders/o1': () => ({ body: paid ? { ...order, status: 'paid', paid_at: '2025-05-01T10:01:00Z' } : order }),
    });
    renderApp('/payment/result?order=o1', loggedIn, App);
    expect(await screen.findByTestId('payment-pending')).toBeInTheDocument();
    paid = true; // credited by the webhook; the order.paid push never reached this page
    expect(await screen.findByTestId('payment-success')).toBeInTheDocument(); // the next poll, 2 s on
    await waitFor(() => expect(screen.getByTestId('header-balance')).toHaveTextContent('21'));
  });

  it('redirects to /generate 5 seconds after success', async () => {
    // the countdown's seconds are the test's, not the machine's: real ones on a loaded CI ran
    // past the wait and the test's own limit
    vi.useFakeTimers({ shouldAdvanceTime: true });
    mockApi({ ...common, 'GET /api/orders/o1': { body: { ...order, status: 'paid', paid_at: '2025-05-01T10:01:00Z' } } });
    renderApp('/payment/result?order=o1', loggedIn, App);
    expect(await screen.findByTestId('payment-success')).toBeInTheDocument();
    expect(screen.getByTestId('payment-redirect')).toHaveTextContent('5');
    await secondsPass(5);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/generate$/));
    // the result page is replaced: Back (the browser's or Telegram's) does not return to a
    // page that would move forward again after 5 s
    expect(screen.getByTestId('location')).toHaveAttribute('data-navigation', 'REPLACE');
  });

  it('«Остаться» cancels the move to /generate and the countdown goes away', async () => {
    // six seconds of the test's clock, all of them: six real ones could end before a slowed
    // countdown would have moved, proving nothing, or run past the test's limit
    vi.useFakeTimers({ shouldAdvanceTime: true });
    // the page a move would open is loaded already, so a move would show at once: the check
    // after the six seconds cannot pass just because the chunk was still on its way
    await import('./GeneratePage');
    mockApi({ ...common, 'GET /api/orders/o1': { body: { ...order, status: 'paid', paid_at: '2025-05-01T10:01:00Z' } } });
    renderApp('/payment/result?order=o1', loggedIn, App);
    expect(await screen.findByTestId('payment-success')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('payment-stay'));
    expect(screen.queryByTestId('payment-redirect')).toBeNull();
    await secondsPass(6);
    expect(screen.getByTestId('location')).toHaveTextContent('/payment/result?order=o1');
    expect(screen.getByTestId('payment-start-generation')).toHaveAttribute('href', '/generate');
  });

  it('a cancelled order shows the reason', async () => {
    mockApi({ ...common, 'GET /api/orders/o1': { body: { ...order, status: 'cancelled', cancellation_reason: 'Банк отклонил платёж' } } });
    renderApp('/payment/result?order=o1', loggedIn, App);
    expect(await screen.findByTestId('payment-failed')).toHaveAttribute('data-status', 'cancelled');
    expect(screen.getByTestId('payment-failure-reason')).toHaveTextContent('Банк отклонил платёж');
  });
});
