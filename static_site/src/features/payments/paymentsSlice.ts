import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Order } from '../../shared/types';

export interface OrderPaidMessage {
  type: 'order.paid';
  order_id: string;
  photoshoots: number;
  balance: number;
}

export interface PaymentsState {
  /** Orders the socket told us were paid: order_id → credited photoshoots and the new balance. */
  paid: Record<string, { photoshoots: number; balance: number }>;
  /** Orders whose success was already reported to analytics (once per order). */
  reported: string[];
}

const initialState: PaymentsState = { paid: {}, reported: [] };

const paymentsSlice = createSlice({
  name: 'payments',
  initialState,
  reducers: {
    orderPaid(state, action: PayloadAction<OrderPaidMessage>) {
      const { order_id, photoshoots, balance } = action.payload;
      state.paid[order_id] = { photoshoots, balance };
    },
    /** The payment result page saw this order paid (by polling or by the socket). */
    paymentSucceeded(state, action: PayloadAction<Order>) {
      if (!state.reported.includes(action.payload.order_id)) state.reported.push(action.payload.order_id);
    },
  },
});

export const { orderPaid, paymentSucceeded } = paymentsSlice.actions;
export default paymentsSlice.reducer;

export type PaymentOutcome = 'pending' | 'paid' | 'failed';

/** What the result page shows: the order answer and a socket `order.paid` are both taken as proof. */
export function paymentOutcome(order: Order | undefined, paidBySocket: boolean): PaymentOutcome {
  if (paidBySocket || order?.status === 'paid') return 'paid';
  if (!order || order.status === 'pending') return 'pending';
  return 'failed';
}

export function failureText(order: Order): string {
  if (order.cancellation_reason) return order.cancellation_reason;
  switch (order.status) {
    case 'expired':
      return 'Время на оплату истекло. Попробуйте оформить заказ ещё раз.';
    case 'refunded':
      return 'Платёж возвращён. Деньги вернутся на карту в течение нескольких дней.';
    default:
      return 'Платёж отменён. Деньги не списаны.';
  }
}
