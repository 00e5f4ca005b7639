import type { AuthResponse } from '../../shared/types';
import { isAnyOf, type ListenerMiddlewareInstance } from '@reduxjs/toolkit';
import { authApi } from '../auth/authApi';
import { loggedIn } from '../auth/authSlice';
import { generationApi } from '../generation/generationApi';
import { generationReceived, generationStatusReceived, type GenerationState } from '../generation/generationSlice';
import { isTerminal } from '../generation/liveGeneration';
import { paymentsApi } from '../payments/paymentsApi';
import { paymentSucceeded, type PaymentsState } from '../payments/paymentsSlice';
import { stylesApi } from '../styles/stylesApi';
import { goalRequested } from './analyticsSlice';
import { GOALS } from './goals';
import { pushPurchase, reachGoal, setUserId } from './metrika';

interface AnalyticsState {
  generation: GenerationState;
  payments: PaymentsState;
}

const SIGNED_UP_KEY = 'photoshoot.signed_up';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerAnalyticsListeners(listener: ListenerMiddlewareInstance<any>): void {
  listener.startListening({
    actionCreator: goalRequested,
    effect: (action) => reachGoal(action.payload.target, action.payload.params),
  });

  // signup: the server says the login created the account
  listener.startListening({
    matcher: isAnyOf(
      authApi.endpoints.loginWithWidget.matchFulfilled,
      authApi.endpoints.loginWithWebApp.matchFulfilled,
      authApi.endpoints.verifyLoginCode.matchFulfilled,
      authApi.endpoints.linkLoginStatus.matchFulfilled,
    ),
    effect: (action) => {
      const { user, is_new } = (action as unknown as { payload: Partial<AuthResponse> }).payload;
      if (is_new && user) reachSignupOnce(user.id);
    },
  });
  listener.startListening({
    actionCreator: loggedIn,
    effect: (action) => setUserId(action.payload.user.id),
  });

  listener.startListening({
    matcher: generationApi.endpoints.createGeneration.matchFulfilled,
    effect: (action) => {
      const arg = action.meta.arg.originalArgs;
      reachGoal(GOALS.generationStart, {
        format: arg.format,
        style_id: 'style_id' in arg ? arg.style_id : undefined,
        kind: 'style_id' in arg ? 'catalogue' : 'saved_style_id' in arg ? 'saved' : 'custom',
      });
    },
  });

  // generation_complete: only for a generation we saw running and then succeed
  listener.startListening({
    matcher: isAnyOf(generationReceived, generationStatusReceived),
    effect: (action, api) => {
      const id = (action as unknown as { payload: { generation_id: string } }).payload.generation_id;
      const before = (api.getOriginalState() as AnalyticsState).generation.byId[id];
      const after = (api.getState() as AnalyticsState).generation.byId[id];
      if (before && before.status && !isTerminal(before.status) && after?.status === 'succeeded') {
        reachGoal(GOALS.generationComplete, { generation_id: id, images: after.images.length });
      }
    },
  });

  listener.startListening({
    matcher: paymentsApi.endpoints.createPayment.matchFulfilled,
    effect: (action) => {
      rememberCheckout(action.payload.order_id);
      reachGoal(GOALS.paymentStart, { package_id: action.meta.arg.originalArgs.package_id });
    },
  });

  // payment_success and the e-commerce purchase: a payment happening now, once per browser.
  // The result page can be opened again later or elsewhere (a shared or bookmarked link, the
  // buyer's other device); the paid order it shows then is not a new conversion.
  listener.startListening({
    actionCreator: paymentSucceeded,
    effect: (action, api) => {
      const before = (api.getOriginalState() as AnalyticsState).payments.reported;
      const order = action.payload;
      if (before.includes(order.order_id) || wasReportedInThisBrowser(order.order_id)) return;
      const paidBySocket = Boolean((api.getState() as AnalyticsState).payments.paid[order.order_id]);
      if (!paidBySocket && !isRecentlyPaid(order.paid_at) && !startedCheckoutHere(order.order_id)) return;
      const revenue = order.amount_kopecks / 100;
      reachGoal(GOALS.paymentSuccess, { order_id: order.order_id, order_price: revenue, currency: 'RUB' });
      pushPurchase({
        orderId: order.order_id,
        revenueRub: revenue,
        product: { id: order.package_id, name: order.package_title, price: revenue, quantity: 1 },
      });
      markReported(order.order_id);
    },
  });

  listener.startListening({
    matcher: stylesApi.endpoints.createSavedStyle.matchFulfilled,
    effect: (action) => reachGoal(GOALS.saveStyle, { base_style_id: action.payload.base_style_id ?? undefined }),
  });
}

function reachSignupOnce(userId: string): void {
  try {
    const seen = localStorage.getItem(SIGNED_UP_KEY);
    if (seen === userId) return;
    localStorage.setItem(SIGNED_UP_KEY, userId);
  } catch {
    /* ignore */
  }
  reachGoal(GOALS.signup);
}

const REPORTED_KEY = 'photoshoot.reported_orders';
const CHECKOUTS_KEY = 'photoshoot.checkout_orders';
/** How long after the server's paid_at the result page still counts as the moment of payment. */
export const PAYMENT_REPORT_WINDOW_MS = 30 * 60 * 1000;

/**
 * paid_at (server time) within the window of this browser's clock, either side: a clock that
 * runs behind sees paid_at in the future. A clock off by more than the window is covered by
 * `startedCheckoutHere` for the buyer's own browser.
 */
function isRecentlyPaid(paidAt: string | null, now = Date.now()): boolean {
  const paid = paidAt ? Date.parse(paidAt) : NaN;
  return Number.isFinite(paid) && Math.abs(now - paid) <= PAYMENT_REPORT_WINDOW_MS;
}

function readList(key: string): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as string[]) : [];
  } catch {
    return [];
  }
}

/** The orders this browser sent to checkout: their return is a live payment whatever the clock says. */
function rememberCheckout(orderId: string): void {
  try {
    localStorage.setItem(CHECKOUTS_KEY, JSON.stringify([...readList(CHECKOUTS_KEY), orderId].slice(-20)));
  } catch {
    /* ignore */
  }
}

function startedCheckoutHere(orderId: string): boolean {
  return readList(CHECKOUTS_KEY).includes(orderId);
}

function wasReportedInThisBrowser(orderId: string): boolean {
  return readList(REPORTED_KEY).includes(orderId);
}

function markReported(orderId: string): void {
  try {
    localStorage.setItem(REPORTED_KEY, JSON.stringify([...readList(REPORTED_KEY), orderId].slice(-50)));
  } catch {
    /* ignore */
  }
}
