import { clip } from '../../shared/text';
import type { UtmParams } from '../../shared/types';

export const UTM_STORAGE_KEY = 'photoshoot.utm';
const UTM_KEYS: (keyof UtmParams)[] = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'yclid'];

export function parseUtm(search: string): UtmParams | null {
  const params = new URLSearchParams(search);
  const utm: UtmParams = {};
  for (const key of UTM_KEYS) {
    const value = params.get(key);
    if (value) utm[key] = clip(value, 200);
  }
  return Object.keys(utm).length ? utm : null;
}

/**
 * First-touch attribution: stores the UTM tags of the first visit that had any and never
 * overwrites them. Returns what is stored after the call.
 */
export function captureFirstTouchUtm(search: string, storage: Storage = localStorage): UtmParams | null {
  const existing = readStoredUtm(storage);
  if (existing) return existing;
  const utm = parseUtm(search);
  if (utm) {
    try {
      storage.setItem(UTM_STORAGE_KEY, JSON.stringify(utm));
    } catch {
      /* ignore quota/private mode */
    }
  }
  return utm;
}

export function readStoredUtm(storage: Storage = localStorage): UtmParams | null {
  try {
    const raw = storage.getItem(UTM_STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as UtmParams) : null;
  } catch {
    return null;
  }
}
