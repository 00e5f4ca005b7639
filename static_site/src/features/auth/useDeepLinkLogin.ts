import { useEffect, useState } from 'react';
import { errorMessage } from '../../shared/errors';
import { useLinkLoginStatusQuery, useStartLinkLoginMutation, type LinkChallenge } from './authApi';

export const LINK_POLL_MS = 2000;

export type DeepLinkState = 'idle' | 'starting' | 'pending' | 'confirmed' | 'expired' | 'error';

/** Deep-link login: start a challenge, then poll its status every 2 s until confirmed or expired. */
export function useDeepLinkLogin() {
  const [start, startState] = useStartLinkLoginMutation();
  const [challenge, setChallenge] = useState<LinkChallenge | null>(null);
  const [startedAt, setStartedAt] = useState(0);
  const [now, setNow] = useState(() => Date.now());

  const poll = useLinkLoginStatusQuery(challenge?.challenge_id ?? '', {
    skip: !challenge,
    pollingInterval: LINK_POLL_MS,
    skipPollingIfUnfocused: false,
  });
  const remoteStatus = poll.data?.status;
  const secondsLeft = challenge ? Math.max(0, Math.ceil(challenge.expires_in - (now - startedAt) / 1000)) : 0;
  const expired = remoteStatus === 'expired' || (challenge !== null && secondsLeft <= 0 && remoteStatus !== 'confirmed');

  useEffect(() => {
    if (!challenge || expired || remoteStatus === 'confirmed') return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [challenge, expired, remoteStatus]);

  let state: DeepLinkState = 'idle';
  if (startState.isLoading) state = 'starting';
  else if (startState.isError) state = 'error';
  else if (remoteStatus === 'confirmed') state = 'confirmed';
  else if (expired) state = 'expired';
  else if (challenge) state = 'pending';

  return {
    state,
    challenge,
    secondsLeft,
    error: startState.isError ? errorMessage(startState.error) : poll.isError ? errorMessage(poll.error) : null,
    async begin() {
      setChallenge(null);
      try {
        const created = await start().unwrap();
        setStartedAt(Date.now());
        setNow(Date.now());
        setChallenge(created);
      } catch {
        /* state shows the error */
      }
    },
  };
}

