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
    effect: (action) => reachGoal(GOALS.paymentStart, { package_id: action.meta.arg.originalArgs.package_id }),
  });

  listener.startListening({
    actionCreator: paymentSucceeded,
    effect: (action, api) => {
      const before = (api.getOriginalState() as AnalyticsState).payments.reported;
      const order = action.payload;
      if (before.includes(order.order_id) || wasReportedInThisBrowser(order.order_id)) return;
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

function wasReportedInThisBrowser(orderId: string): boolean {
  try {
    return (JSON.parse(localStorage.getItem(REPORTED_KEY) ?? '[]') as string[]).includes(orderId);
  } catch {
    return false;
  }
}

function markReported(orderId: string): void {
  try {
    const list = JSON.parse(localStorage.getItem(REPORTED_KEY) ?? '[]') as string[];
    localStorage.setItem(REPORTED_KEY, JSON.stringify([...list, orderId].slice(-50)));
  } catch {
    /* ignore */
  }
}
