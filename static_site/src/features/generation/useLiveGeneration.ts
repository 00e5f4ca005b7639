import { useAppSelector } from '../../app/hooks';
import { errorMessage, errorStatus } from '../../shared/errors';
import { useWatchGeneration } from '../realtime/RealtimeProvider';
import { selectSocketOpen } from '../realtime/realtimeSlice';
import { useGetGenerationQuery } from './generationApi';
import { selectLiveGeneration } from './generationSlice';
import { isTerminal } from './liveGeneration';

export const POLL_WHILE_SOCKET_DOWN_MS = 3000;

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
    pollingInterval: !finished && !socketOpen ? POLL_WHILE_SOCKET_DOWN_MS : 0,
    skipPollingIfUnfocused: false,
  });
  useWatchGeneration(id, !finished);
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
