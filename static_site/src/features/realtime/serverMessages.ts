import type { Dispatch } from '@reduxjs/toolkit';
import { balanceUpdated } from '../auth/authSlice';
import { generationStatusReceived } from '../generation/generationSlice';
import type { GenerationStatusMessage } from '../generation/liveGeneration';
import { orderPaid, type OrderPaidMessage } from '../payments/paymentsSlice';
import { api } from '../../shared/api';

/** Turns one server → client socket message into store actions. */
export function dispatchServerMessage(dispatch: Dispatch, message: Record<string, unknown>): void {
  switch (message.type) {
    case 'generation.status': {
      if (typeof message.generation_id !== 'string') return;
      dispatch(generationStatusReceived(message as unknown as GenerationStatusMessage));
      return;
    }
    case 'order.paid': {
      const paid = message as unknown as OrderPaidMessage;
      if (typeof paid.order_id !== 'string') return;
      dispatch(orderPaid(paid));
      if (typeof paid.balance === 'number') dispatch(balanceUpdated(paid.balance));
      dispatch(api.util.invalidateTags(['Orders', { type: 'Order', id: paid.order_id }]));
      return;
    }
    case 'balance': {
      if (typeof message.balance === 'number') dispatch(balanceUpdated(message.balance));
      return;
    }
    default:
      return; // pong and anything unknown
  }
}
