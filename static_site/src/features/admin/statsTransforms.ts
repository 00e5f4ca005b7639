// Pure transforms of the admin statistics: ranges, conversion rates, chart geometry.
import type { DateRange, DayStats, FunnelCounts, SourceStats } from './types';
import { formatRubles } from '../../shared/format';

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

/** The caption of the net revenue card: the money both ways, then the orders refunded in full.
 * `payment_refund` counts only orders refunded in full (a partial refund leaves the order paid),
 * while `refunded_kopecks` is all the money returned, partial refunds too — so the two are
 * never put in one phrase («возвраты: 0 на 100 ₽» read as a contradiction). Null: no refunds. */
export function refundCaption(counts: FunnelCounts): { money: string; orders: string } | null {
  if (counts.refunded_kopecks <= 0 && counts.payment_refund <= 0) return null;
  return {
    money: `оплачено ${formatRubles(counts.revenue_kopecks)}, возвращено ${formatRubles(counts.refunded_kopecks)}`,
    orders: `заказов возвращено целиком: ${counts.payment_refund}`,
  };
}

/** 29900 → "299", 4950 → "49,50": rubles without the sign, for a table whose heading says «₽»
 * (the sign in every cell would not let six columns fit a phone). */
export function rublesAmount(kopecks: number): string {
  return formatRubles(kopecks).replace(/\u2009₽$/, '');
}

/** One row of the by-day table: the chart's numbers, with net revenue computed once here. */
export interface DayRow {
  day: string;
  signup: number;
  payment_success: number;
  /** Paid that day, before refunds (the chart's «Оплачено» bar), kopecks. */
  paid: number;
  /** Returned that day, partial refunds too (the chart's «Возвраты» bar), kopecks. */
  refunded: number;
  /** paid − refunded: negative on a day with refunds of earlier payments only. */
  net: number;
}

export function dayRows(days: DayStats[]): DayRow[] {
  return days.map((d) => ({
    day: d.day,
    signup: d.signup,
    payment_success: d.payment_success,
    paid: d.revenue_kopecks,
    refunded: d.refunded_kopecks,
    net: netRevenue(d),
  }));
}

/**
 * An axis of whole units from 0 up to at least `value`: at most `maxIntervals` equal steps, each
 * a whole 1, 2, 2.5 or 5 × 10ⁿ. Whole steps because the axis counts people, payments or whole
 * rubles: halving a maximum of 1 gave the labels «0, 1, 1».
 */
export function integerAxis(value: number, maxIntervals = 4): { max: number; ticks: number[] } {
  const top = Math.max(1, Math.ceil(value));
  const wanted = top / maxIntervals;
  let step = 1;
  for (let magnitude = 1; step < wanted; magnitude *= 10) {
    step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => Number.isInteger(s) && s >= wanted) ?? 10 * magnitude;
  }
  const max = Math.ceil(top / step) * step;
  const ticks = Array.from({ length: max / step + 1 }, (_, i) => i * step);
  return { max, ticks };
}

/** "2026-03-08" → "08.03". */
export function shortDay(day: string): string {
  const [, month, date] = day.split('-');
  return `${date}.${month}`;
}

export interface ChartBar {
  day: string;
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

export interface ChartGeometry {
  /** Paid that day, before refunds (gross), as the «Оплачено» column of the by-day table. */
  bars: ChartBar[];
  /** Refunded that day (partial refunds too), beside the day's paid bar. */
  refunds: ChartBar[];
  lines: Record<'signup' | 'payment_success', { points: { x: number; y: number; value: number }[]; path: string }>;
  /** Top of the money scale, kopecks (whole rubles), and its tick values. */
  revenueMax: number;
  revenueTicks: number[];
  /** Top of the count scale and its tick values: distinct whole numbers. */
  countMax: number;
  countTicks: number[];
}

/**
 * Geometry of the daily chart in a `width` × `height` plot area: paid and refunded money as a
 * pair of bars per day (left scale), sign-ups and payments as lines (right scale). Pure, so it
 * is tested without a DOM.
 */
export function chartGeometry(days: DayStats[], width: number, height: number): ChartGeometry {
  const money = integerAxis(Math.max(0, ...days.map((d) => Math.max(d.revenue_kopecks, d.refunded_kopecks))) / 100);
  const revenueMax = money.max * 100;
  const counts = integerAxis(Math.max(0, ...days.map((d) => Math.max(d.signup, d.payment_success))));
  const countMax = counts.max;
  const slot = days.length ? width / days.length : width;
  const barWidth = Math.max(1, slot * 0.6);
  // a refund is drawn as a narrower bar over the right part of the paid one, so a day with
  // both stays one slot wide and either can be read
  const refundWidth = Math.max(1, barWidth / 2);
  const bar = (day: string, value: number, x: number, w: number): ChartBar => {
    const h = (value / revenueMax) * height;
    return { day, x, y: height - h, width: w, height: h, value };
  };
  const bars = days.map((d, i) => bar(d.day, d.revenue_kopecks, i * slot + (slot - barWidth) / 2, barWidth));
  const refunds = days.map((d, i) => bar(d.day, d.refunded_kopecks, i * slot + (slot + barWidth) / 2 - refundWidth, refundWidth));
  const line = (metric: 'signup' | 'payment_success') => {
    const points = days.map((d, i) => ({ x: i * slot + slot / 2, y: height - (d[metric] / countMax) * height, value: d[metric] }));
    const path = points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return { points, path };
  };
  return {
    bars,
    refunds,
    lines: { signup: line('signup'), payment_success: line('payment_success') },
    revenueMax,
    revenueTicks: money.ticks.map((t) => t * 100),
    countMax,
    countTicks: counts.ticks,
  };
}
