import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { selectToken } from '../auth/authSlice';
import { useGetConfigQuery } from '../catalogue/configApi';
import { RealtimeClient, socketUrl } from './realtimeClient';
import { connectionChanged } from './realtimeSlice';
import { dispatchServerMessage } from './serverMessages';

interface RealtimeContextValue {
  watch: (generationId: string) => () => void;
}

const RealtimeContext = createContext<RealtimeContextValue>({ watch: () => () => undefined });

/** Keeps one socket open while the user is logged in and routes its messages into the store. */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const dispatch = useAppDispatch();
  const token = useAppSelector(selectToken);
  const { data: config } = useGetConfigQuery();
  const clientRef = useRef<RealtimeClient | null>(null);
  const watchedRef = useRef(new Map<string, number>());
  const releasesRef = useRef(new Map<string, () => void>());

  useEffect(() => {
    if (!token || !config?.ws_url || typeof WebSocket === 'undefined') return;
    const client = new RealtimeClient({
      url: socketUrl(config.ws_url, token),
      onMessage: (message) => dispatchServerMessage(dispatch, message),
      onStatus: (status) => dispatch(connectionChanged(status)),
    });
    clientRef.current = client;
    // generations watched before this socket existed
    for (const id of watchedRef.current.keys()) releasesRef.current.set(id, client.watch(id));
    client.start();
    return () => {
      releasesRef.current.clear();
      client.stop();
      clientRef.current = null;
      dispatch(connectionChanged('idle'));
    };
  }, [token, config?.ws_url, dispatch]);

  const value = useMemo<RealtimeContextValue>(
    () => ({
      watch: (generationId) => {
        const map = watchedRef.current;
        const count = map.get(generationId) ?? 0;
        map.set(generationId, count + 1);
        if (count === 0 && clientRef.current) {
          releasesRef.current.set(generationId, clientRef.current.watch(generationId));
        }
        return () => {
          const current = map.get(generationId) ?? 0;
          if (current > 1) {
            map.set(generationId, current - 1);
            return;
          }
          map.delete(generationId);
          releasesRef.current.get(generationId)?.();
          releasesRef.current.delete(generationId);
        };
      },
    }),
    [],
  );

  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

/** Subscribe to a generation's live status while `active`. */
export function useWatchGeneration(generationId: string | undefined, active: boolean): void {
  const { watch } = useContext(RealtimeContext);
  const token = useAppSelector(selectToken);
  useEffect(() => {
    if (!generationId || !active) return;
    return watch(generationId);
  }, [generationId, active, watch, token]);
}
