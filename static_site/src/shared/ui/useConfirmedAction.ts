import { useRef, useState } from 'react';
import { errorMessage } from '../errors';

/**
 * The state behind a ConfirmDialog: which thing the question is about, the request once it is
 * confirmed (one at a time) and its refusal in Russian. Nothing runs until `confirm`.
 */
export function useConfirmedAction<T>(action: (subject: T) => Promise<unknown>) {
  const [asked, setAsked] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // two taps can land before React re-renders the busy button: the second must not send again
  const inFlight = useRef(false);

  return {
    /** What the open question is about; null while none is open. */
    asked,
    busy,
    /** A refusal belongs to the question while it is open, to the page once it was closed. */
    dialogError: asked === null ? null : error,
    pageError: asked === null ? error : null,
    ask(subject: T) {
      setError(null); // a failure from an earlier try is not this question's answer
      setAsked(subject);
    },
    keep() {
      // once the request is on its way, closing would not stop it: wait for the answer
      if (!inFlight.current) setAsked(null);
    },
    async confirm() {
      if (asked === null || inFlight.current) return;
      inFlight.current = true;
      setBusy(true);
      try {
        await action(asked);
        setAsked(null);
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
  };
}
