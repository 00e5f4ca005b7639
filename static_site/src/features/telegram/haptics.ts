import { SINCE, attempt, supports, insideTelegram, type HapticNotification } from './webApp';

const FELT_KEY = 'photoshoot.haptics_felt';
const FELT_KEPT = 50;

function feltList(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(FELT_KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as string[]) : [];
  } catch {
    return [];
  }
}

/**
 * A buzz for a real outcome (a photoshoot done or failed, a purchase paid), once per `subject`
 * on this device: a page opened again, or rendered again, says nothing new. Nothing outside
 * Telegram or on a client without haptics (before Bot API 6.1).
 */
export function feelOutcomeOnce(subject: string, type: HapticNotification): void {
  const app = insideTelegram();
  if (!supports(app, SINCE.haptics) || !app.HapticFeedback) return;
  const felt = feltList();
  if (felt.includes(subject)) return;
  try {
    localStorage.setItem(FELT_KEY, JSON.stringify([...felt, subject].slice(-FELT_KEPT)));
  } catch {
    /* private mode: at worst a revisit buzzes again */
  }
  const haptics = app.HapticFeedback;
  attempt(() => haptics.notificationOccurred(type));
}
