/** Thin space (U+2009) — used between digit groups and before the currency sign. */
export const THIN_SPACE = '\u2009';

function groupDigits(integer: number): string {
  const digits = String(Math.abs(integer));
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) {
    groups.unshift(digits.slice(Math.max(0, end - 3), end));
  }
  return (integer < 0 ? '−' : '') + groups.join(THIN_SPACE);
}

/**
 * Formats an amount in kopecks as rubles: 149000 → "1 490 ₽", 4950 → "49,50 ₽"
 * (thin spaces between thousands and before the sign; kopecks only when non-zero).
 */
export function formatRubles(kopecks: number): string {
  const total = Math.round(kopecks);
  const rubles = Math.trunc(total / 100);
  const rest = Math.abs(total % 100);
  const sign = total < 0 && rubles === 0 ? '−' : '';
  const main = sign + groupDigits(rubles);
  const fraction = rest ? ',' + String(rest).padStart(2, '0') : '';
  return `${main}${fraction}${THIN_SPACE}₽`;
}

/** What an order cost: roubles for YooKassa, Telegram Stars (currency XTR) for the bot. */
export function formatOrderAmount(order: {
  amount_kopecks: number;
  amount_stars?: number | null;
  currency: string;
}): string {
  if (order.currency === 'XTR') return `${groupDigits(order.amount_stars ?? 0)}${THIN_SPACE}⭐`;
  return formatRubles(order.amount_kopecks);
}

/** Russian plural: plural(5, ['фотосессия', 'фотосессии', 'фотосессий']) → 'фотосессий'. */
export function plural(n: number, forms: [string, string, string]): string {
  const abs = Math.abs(n) % 100;
  const last = abs % 10;
  if (abs > 10 && abs < 20) return forms[2];
  if (last > 1 && last < 5) return forms[1];
  if (last === 1) return forms[0];
  return forms[2];
}

export const PHOTOSHOOT_FORMS: [string, string, string] = ['фотосессия', 'фотосессии', 'фотосессий'];
export const IMAGE_FORMS: [string, string, string] = ['фото', 'фото', 'фото'];

export function countPhotoshoots(n: number): string {
  return `${n} ${plural(n, PHOTOSHOOT_FORMS)}`;
}

const dateFormatter = new Intl.DateTimeFormat('ru-RU', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return dateFormatter.format(date);
}

/** "≈ 40 с", "≈ 2 мин" */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds <= 0) return '';
  if (seconds < 60) return `≈${THIN_SPACE}${Math.ceil(seconds)}${THIN_SPACE}с`;
  return `≈${THIN_SPACE}${Math.ceil(seconds / 60)}${THIN_SPACE}мин`;
}

export function formatBytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)}${THIN_SPACE}МБ`;
}
