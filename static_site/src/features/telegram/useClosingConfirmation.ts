import { useEffect } from 'react';
import { SINCE, attempt, supports, type TelegramWebApp } from './webApp';

/**
 * Telegram asks «close anyway?» while `atRisk` (work that closing would lose), and only then:
 * a question on every close would teach the seller to tap through it.
 */
export function useClosingConfirmation(app: TelegramWebApp | null, atRisk: boolean): void {
  const able = supports(app, SINCE.closingConfirmation);
  useEffect(() => {
    if (!able || !atRisk || !app) return undefined;
    attempt(() => app.enableClosingConfirmation?.());
    return () => void attempt(() => app.disableClosingConfirmation?.());
  }, [app, able, atRisk]);
}
