import { isAnyOf, type ListenerMiddlewareInstance } from '@reduxjs/toolkit';
import { api, unauthorized } from '../../shared/api';
import { loggedIn, loggedOut } from './authSlice';
import { writeToken } from './tokenStorage';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerAuthListeners(listener: ListenerMiddlewareInstance<any>): void {
  listener.startListening({
    actionCreator: loggedIn,
    effect: (action, { dispatch }) => {
      writeToken(action.payload.token);
      // everything cached for the anonymous visitor (or a previous user) is stale now
      dispatch(api.util.invalidateTags(['Me', 'Orders', 'Generations', 'SavedStyles']));
    },
  });
  listener.startListening({
    matcher: isAnyOf(loggedOut, unauthorized),
    effect: (_action, { dispatch }) => {
      writeToken(null);
      // Drop the cache rather than invalidate it: invalidating made the still-mounted private
      // page refetch everything without a token (four 401s) before it was redirected away.
      // A reset forgets the seller's data; only what is rendered again (public pages) reloads.
      dispatch(api.util.resetApiState());
    },
  });
}
