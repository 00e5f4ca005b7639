import { useState } from 'react';
import { errorMessage } from '../../shared/errors';
import { useRequestLoginCodeMutation, useVerifyLoginCodeMutation, type CodeChallenge } from './authApi';

export const CODE_LENGTH = 6;

export function normalizeUsername(raw: string): string {
  let value = raw.trim();
  value = value.replace(/^https?:\/\/t\.me\//i, '').replace(/^t\.me\//i, '');
  return value.replace(/^@+/, '');
}

export function isValidUsername(username: string): boolean {
  return /^[A-Za-z0-9_]{5,32}$/.test(username);
}

export function onlyDigits(raw: string): string {
  return raw.replace(/\D/g, '').slice(0, CODE_LENGTH);
}

/** Username → code sent by the bot → verify. */
export function useCodeLogin() {
  const [requestCode, requestState] = useRequestLoginCodeMutation();
  const [verifyCode, verifyState] = useVerifyLoginCodeMutation();
  const [challenge, setChallenge] = useState<CodeChallenge | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  return {
    challenge,
    requesting: requestState.isLoading,
    verifying: verifyState.isLoading,
    error: localError ?? (verifyState.isError ? errorMessage(verifyState.error) : requestState.isError ? errorMessage(requestState.error) : null),
    async request(rawUsername: string) {
      setLocalError(null);
      verifyState.reset();
      const username = normalizeUsername(rawUsername);
      if (!isValidUsername(username)) {
        setLocalError('Укажите имя пользователя Telegram: латиница, цифры и _, от 5 символов. Например, @my_shop');
        return;
      }
      try {
        setChallenge(await requestCode({ username }).unwrap());
      } catch {
        setChallenge(null);
      }
    },
    async verify(code: string) {
      setLocalError(null);
      if (!challenge) return;
      if (code.length !== CODE_LENGTH) {
        setLocalError('Введите все 6 цифр кода');
        return;
      }
      try {
        await verifyCode({ challenge_id: challenge.challenge_id, code }).unwrap();
      } catch {
        /* error shown */
      }
    },
    reset() {
      setChallenge(null);
      setLocalError(null);
      requestState.reset();
      verifyState.reset();
    },
  };
}
