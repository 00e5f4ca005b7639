import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { api } from '../../shared/api';
import { errorMessage, errorStatus } from '../../shared/errors';
import { usePaymentOutcomeHaptic } from '../telegram/useOutcomeHaptics';
import { useGetOrderQuery } from './paymentsApi';
import { paymentOutcome, paymentSucceeded } from './paymentsSlice';

export const ORDER_POLL_MS = 2000;
export const REDIRECT_AFTER_S = 5;

/**
 * The result page: poll the order and listen for `order.paid`; on success count down to
 * /generate, unless the buyer chose to stay (`stay`).
 */
export function usePaymentResult(orderId: string | null) {
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const paidBySocket = useAppSelector((s) => (orderId ? s.payments.paid[orderId] : undefined));
  const [stopPolling, setStopPolling] = useState(false);
  const query = useGetOrderQuery(orderId ?? '', {
    skip: !orderId,
    pollingInterval: stopPolling ? 0 : ORDER_POLL_MS,
    skipPollingIfUnfocused: false,
  });
  const order = query.data;
  const outcome = paymentOutcome(order, Boolean(paidBySocket));
  usePaymentOutcomeHaptic(orderId, outcome);
  const [secondsLeft, setSecondsLeft] = useState(REDIRECT_AFTER_S);
  // a timed move must be possible to turn off (WCAG 2.2.1): to read the receipt details,
  // open the profile or buy another package
  const [stayed, setStayed] = useState(false);

  useEffect(() => {
    if (outcome !== 'pending') setStopPolling(true);
  }, [outcome]);

  // report success once we know the order (amount for the goal and e-commerce)
  const paidOrder = outcome === 'paid' && order ? order : null;
  useEffect(() => {
    if (!paidOrder) return;
    dispatch(paymentSucceeded({ ...paidOrder, status: 'paid' }));
    // learned by polling, the socket's `order.paid` (with the balance) may have been missed
    // while this page was loading: read the balance again
    if (!paidBySocket) dispatch(api.util.invalidateTags(['Me']));
  }, [paidOrder?.order_id, dispatch]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (outcome !== 'paid' || stayed) return;
    if (secondsLeft <= 0) {
      // replaced, not pushed: Back must not return to a page that moves forward again
      navigate('/generate', { replace: true });
      return;
    }
    const t = setTimeout(() => setSecondsLeft((n) => n - 1), 1000);
    return () => clearTimeout(t);
  }, [outcome, secondsLeft, stayed, navigate]);

  return {
    outcome,
    order,
    credited: paidBySocket?.photoshoots ?? order?.photoshoots ?? 0,
    balance: paidBySocket?.balance,
    secondsLeft,
    /** Counting down to /generate: false once the buyer chose to stay. */
    redirecting: outcome === 'paid' && !stayed,
    stay: () => setStayed(true),
    notFound: errorStatus(query.error) === 404,
    error: query.isError && !order ? errorMessage(query.error) : null,
  };
}
