import { useEffect, useRef } from 'react';
import { feelOutcomeOnce } from './haptics';

const RUNNING = new Set(['queued', 'running']);

/**
 * A photoshoot that ends while the seller watches it: success or error in the hand. One opened
 * from the history, finished long ago, is no news. A cancel is the seller's own act: no buzz.
 */
export function useGenerationOutcomeHaptic(id: string | undefined, status: string | undefined): void {
  const watchedRunning = useRef(false);
  useEffect(() => {
    if (!id || !status) return;
    if (RUNNING.has(status)) {
      watchedRunning.current = true;
      return;
    }
    if (!watchedRunning.current) return;
    if (status === 'succeeded') feelOutcomeOnce(`generation:${id}`, 'success');
    else if (status === 'failed') feelOutcomeOnce(`generation:${id}`, 'error');
  }, [id, status]);
}

/** The result page learns the order is paid (by polling or the socket): success, once per order. */
export function usePaymentOutcomeHaptic(orderId: string | null, outcome: string): void {
  useEffect(() => {
    if (orderId && outcome === 'paid') feelOutcomeOnce(`order:${orderId}`, 'success');
  }, [orderId, outcome]);
}
