// Pure transforms of the admin statistics: ranges, conversion rates, chart geometry.
import type { DateRange, DayStats, FunnelCounts, SourceStats } from './types';

export const MAX_RANGE_DAYS = 92;

const DAY_MS = 24 * 60 * 60 * 1000;
// The statistics' days are Moscow days (UTC+3 all year, no DST), as on the server.
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parseDay(day: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const time = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(time) ? null : time;
}

/** The last `days` Moscow days up to and including today's. */
export function lastDays(days: number, now: Date = new Date()): DateRange {
  const to = isoDay(new Date(now.getTime() + MOSCOW_OFFSET_MS));
  const from = isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS));
  return { from, to };
}

/** Number of days in the range, inclusive; null when a date is invalid. */
export function rangeLength({ from, to }: DateRange): number | null {
  const start = parseDay(from);
  const end = parseDay(to);
  if (start === null || end === null) return null;
  return Math.round((end - start) / DAY_MS) + 1;
}

/** A Russian message explaining what is wrong with the range, or null when it is fine. */
export function rangeError(range: DateRange): string | null {
  const length = rangeLength(range);
  if (length === null) return 'Укажите обе даты.';
  if (length < 1) return 'Начало периода должно быть не позже его конца.';
  if (length > MAX_RANGE_DAYS) return `Период не может быть длиннее ${MAX_RANGE_DAYS} дней.`;
  return null;
}

/** part / whole as a share (0..1), or null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** 0.1234 → "12,3 %"; null → "—". */
export function formatRate(value: number | null): string {
  if (value === null) return '—';
  const percent = Math.round(value * 1000) / 10;
  return `${String(percent).replace('.', ',')}\u00a0%`;
}

/** Repeatable events per sign-up, 1.54 → "1,5"; null → "—". Not a percentage: a seller may
 * start many photoshoots, so "от регистраций" would pass 100 % and read as a conversion. */
export function formatPerSignup(value: number | null): string {
  if (value === null) return '—';
  return String(Math.round(value * 10) / 10).replace('.', ',');
}

/** Revenue less refunds, kopecks. */
export function netRevenue(counts: FunnelCounts): number {
  return counts.revenue_kopecks - counts.refunded_kopecks;
}

export interface SourceRow extends SourceStats {
  /** Revenue less refunds, kopecks. */
  net: number;
  /** Share of the sign-ups who paid at least once (never above 1). */
  signupToPaid: number | null;
  /** Sign-up → started a photoshoot. */
  generationsPerSignup: number | null;
  /** Checkout started → paid. */
  checkoutToPaid: number | null;
  /** Net revenue per sign-up, kopecks. */
  revenuePerSignup: number | null;
}

/**
 * Share of sign-ups who paid at least once: paying sign-ups over the sign-ups that are tracked
 * (not payments over sign-ups — repeat purchases would push that past 100 %). Null when no
 * tracked sign-up is in the range (e.g. days before first payments were tracked).
 */
export function signupToPaid(counts: FunnelCounts): number | null {
  return rate(counts.signup_paid, counts.signup_tracked);
}

export function withConversion(row: SourceStats): SourceRow {
  return {
    ...row,
    net: netRevenue(row),
    signupToPaid: signupToPaid(row),
    generationsPerSignup: rate(row.generation_start, row.signup),
    checkoutToPaid: rate(row.payment_success, row.payment_start),
    revenuePerSignup: row.signup > 0 ? Math.round(netRevenue(row) / row.signup) : null,
  };
}

/** Sources with conversion rates, biggest net revenue first, then by sign-ups, then by name. */
export function sourceRows(sources: SourceStats[]): SourceRow[] {
  return sources
    .map(withConversion)
    .sort((a, b) => b.net - a.net || b.signup - a.signup || a.source.localeCompare(b.source));
}

/** The «Оплатили» card's caption when no sign-up in the range has a base for the share (days
 * before first payments were tracked, or no sign-ups): words, not «— регистраций оплатили». */
export const NO_PAID_SHARE = 'доля оплативших за эти дни не считалась';

/**
 * The funnel steps in order with their share of the sign-ups and the caption saying what it
 * is. For «Оплатили» the share is of sign-ups who paid at least once, not payments per sign-up.
 * A share with nothing to divide by has no caption (a bare «—» reads as a typo), except
 * «Оплатили», which says why.
 */
export function funnelSteps(totals: FunnelCounts): { metric: keyof FunnelCounts; label: string; value: number; share: number | null; caption: string | null }[] {
  const steps: [keyof FunnelCounts, string][] = [
    ['signup', 'Регистрации'],
    ['generation_start', 'Начали фотосессию'],
    ['generation_complete', 'Получили фото'],
    ['payment_start', 'Начали оплату'],
    ['payment_success', 'Оплатили'],
  ];
  const first = totals.signup;
  return steps.map(([metric, label]) => {
    if (metric === 'signup') return { metric, label, value: totals[metric], share: rate(totals[metric], first), caption: null };
    if (metric === 'payment_success') {
      const share = signupToPaid(totals);
      return { metric, label, value: totals[metric], share, caption: share === null ? NO_PAID_SHARE : `${formatRate(share)} регистраций оплатили` };
    }
    // started photoshoots, received photos and started checkouts repeat per seller
    const share = rate(totals[metric], first);
    return { metric, label, value: totals[metric], share, caption: share === null ? null : `${formatPerSignup(share)} на регистрацию` };
  });
}

/** A round upper bound for an axis: 0 → 1, 7 → 8, 13 → 15, 870 → 1000. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

/** "2026-03-08" → "08.03". */
export function shortDay(day: string): string {
  const [, month, date] = day.split('-');
  return `${date}.${month}`;
}

export interface ChartGeometry {
  bars: { day: string; x: number; y: number; width: number; height: number; value: number }[];
  lines: Record<'signup' | 'payment_success', { points: { x: number; y: number; value: number }[]; path: string }>;
  revenueMax: number;
  countMax: number;
}

/**
 * Geometry of the daily chart in a `width` × `height` plot area: revenue as bars (left scale),
 * sign-ups and payments as lines (right scale). Pure, so it is tested without a DOM.
 */
export function chartGeometry(days: DayStats[], width: number, height: number): ChartGeometry {
  const revenueMax = niceMax(Math.max(0, ...days.map((d) => d.revenue_kopecks)));
  const countMax = niceMax(Math.max(0, ...days.map((d) => Math.max(d.signup, d.payment_success))));
  const slot = days.length ? width / days.length : width;
  const barWidth = Math.max(1, slot * 0.6);
  const bars = days.map((d, i) => {
    const h = (d.revenue_kopecks / revenueMax) * height;
    return { day: d.day, x: i * slot + (slot - barWidth) / 2, y: height - h, width: barWidth, height: h, value: d.revenue_kopecks };
  });
  const line = (metric: 'signup' | 'payment_success') => {
    const points = days.map((d, i) => ({ x: i * slot + slot / 2, y: height - (d[metric] / countMax) * height, value: d[metric] }));
    const path = points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return { points, path };
  };
  return { bars, lines: { signup: line('signup'), payment_success: line('payment_success') }, revenueMax, countMax };
}
