import { useEffect, useRef } from 'react';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { api } from '../../shared/api';
import { errorMessage, errorStatus } from '../../shared/errors';
import { useWatchGeneration } from '../realtime/RealtimeProvider';
import { selectSocketOpen } from '../realtime/realtimeSlice';
import { useGetGenerationQuery } from './generationApi';
import { selectLiveGeneration } from './generationSlice';
import { isTerminal } from './liveGeneration';

export const POLL_WHILE_SOCKET_DOWN_MS = 3000;
/** Image links live 15 minutes: a finished photoshoot left open reads fresh ones before that. */
export const REFRESH_IMAGE_LINKS_MS = 10 * 60 * 1000;

/**
 * A generation's live state: socket updates while connected, polling every 3 s while the socket
 * is down, so nothing is lost. The HTTP snapshot and socket messages merge in the slice.
 */
export function useLiveGeneration(id: string | undefined) {
  const live = useAppSelector((s) => selectLiveGeneration(s, id));
  const socketOpen = useAppSelector(selectSocketOpen);
  const finished = isTerminal(live?.status);
  const query = useGetGenerationQuery(id ?? '', {
    skip: !id,
    pollingInterval: finished ? REFRESH_IMAGE_LINKS_MS : socketOpen ? 0 : POLL_WHILE_SOCKET_DOWN_MS,
    skipPollingIfUnfocused: false,
  });
  // background tabs run timers late: coming back to an old page, read fresh links at once
  const { refetch, fulfilledTimeStamp } = query;
  useEffect(() => {
    if (!id || !finished) return undefined;
    const onVisible = () => {
      if (document.visibilityState === 'visible' && Date.now() - (fulfilledTimeStamp ?? 0) > REFRESH_IMAGE_LINKS_MS) {
        void refetch();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [id, finished, refetch, fulfilledTimeStamp]);
  useWatchGeneration(id, !finished);
  // Ended while watched: the cached history list still says «Создаётся», so it is read
  // again. Failed or cancelled: the photoshoot is back on the balance too (the server pushes
  // the balance; this covers a page that follows by polling).
  const dispatch = useAppDispatch();
  const lastStatus = useRef(live?.status);
  useEffect(() => {
    const before = lastStatus.current;
    lastStatus.current = live?.status;
    if (!before || isTerminal(before) || !live?.status || !isTerminal(live.status)) return;
    const refunded = live.status === 'failed' || live.status === 'cancelled';
    dispatch(api.util.invalidateTags(refunded ? ['Generations', 'Me'] : ['Generations']));
  }, [live?.status, dispatch]);
  const status = errorStatus(query.error);
  return {
    generation: live,
    loading: !live && query.isLoading,
    // a 404 for a generation the socket is telling us about is a read that came too early
    notFound: status === 404 && !live?.status,
    error: query.isError && !live ? errorMessage(query.error) : null,
    finished,
  };
}
