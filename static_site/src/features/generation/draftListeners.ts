import { isAnyOf, type ListenerMiddlewareInstance } from '@reduxjs/toolkit';
import { unauthorized } from '../../shared/api';
import { loggedOut, userLoaded } from '../auth/authSlice';
import { draftReset, draftRestored, restoreDraftPhoto, type DraftState } from './draftSlice';
import { clearDraft, loadDraft, saveDraft } from './draftStorage';

type State = { draft: DraftState; auth: { user: { id: string } | null } };

/** The previews a draft shows or may show again. */
function previewsHeld(draft: DraftState): string[] {
  return [draft.previewUrl, draft.previous?.previewUrl].filter((url): url is string => Boolean(url));
}

/** Nothing picked yet: a saved draft may fill it in. */
function isPristine(draft: DraftState): boolean {
  return draft.phase === 'idle' && !draft.uploadId && !draft.choice;
}

/** Photo uploads and analyses in flight are not kept; what they end in is. */
function isSettled(draft: DraftState): boolean {
  return draft.phase === 'idle' || draft.phase === 'ready' || draft.phase === 'error';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerDraftListeners(listener: ListenerMiddlewareInstance<any>): void {
  // Keep the draft for this tab whenever it settles, under the signed-in user.
  listener.startListening({
    predicate: (_action, current: State, previous: State) =>
      current.draft !== previous.draft && isSettled(current.draft) && Boolean(current.auth.user),
    effect: (_action, { getState }) => {
      const { draft, auth } = getState() as State;
      saveDraft(auth.user!.id, draft);
    },
  });
  // Back in this tab (after the payment page, a reload): the user's draft comes back.
  listener.startListening({
    actionCreator: userLoaded,
    effect: (action, { dispatch, getState }) => {
      if (!isPristine((getState() as State).draft)) return;
      const saved = loadDraft(action.payload.id);
      if (!saved) return;
      // the photo first: while it is re-checked the draft is unsettled, so the choice
      // restored next is not saved over the kept upload id
      if (saved.uploadId) void dispatch(restoreDraftPhoto(saved));
      dispatch(draftRestored(saved));
    },
  });
  // Signing out leaves nothing of the draft behind for the next person at this browser. An
  // expired session only empties the page: whoever signs in next gets their own kept draft.
  listener.startListening({
    matcher: isAnyOf(loggedOut, unauthorized),
    effect: (action, { dispatch }) => {
      dispatch(draftReset());
      if (loggedOut.match(action)) clearDraft();
    },
  });
  // A photo's in-memory preview (up to 15 MB) is freed once the draft neither shows it nor
  // keeps it to fall back to (the accepted photo while a replacement is checked).
  listener.startListening({
    predicate: (_action, current: State, previous: State) =>
      current.draft.previewUrl !== previous.draft.previewUrl || current.draft.previous !== previous.draft.previous,
    effect: (_action, { getOriginalState, getState }) => {
      const held = previewsHeld((getState() as State).draft);
      for (const old of previewsHeld((getOriginalState() as State).draft)) {
        if (!held.includes(old) && old.startsWith('blob:') && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(old);
      }
    },
  });
}
