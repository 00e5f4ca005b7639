import { describe, expect, it } from 'vitest';
import { NO_PAID_SHARE, chartGeometry, formatPerSignup, formatRate, funnelSteps, dayRows, integerAxis, lastDays, netRevenue, rangeError, refundCaption, rangeLength, shortDay, sourceRows } from './statsTransforms';
import type { DayStats, SourceStats } from './types';

const zero = { signup: 0, generation_start: 0, generation_complete: 0, payment_start: 0, payment_success: 0, payment_refund: 0, revenue_kopecks: 0, refunded_kopecks: 0, signup_paid: 0, signup_tracked: 0 };
const day = (d: string, values: Partial<DayStats> = {}): DayStats => ({ day: d, ...zero, ...values });
const source = (name: string, values: Partial<SourceStats> = {}): SourceStats => ({ source: name, ...zero, ...values });

describe('date ranges', () => {
  it('takes the last N Moscow days including today', () => {
    expect(lastDays(30, new Date('2026-03-08T20:30:00Z'))).toEqual({ from: '2026-02-07', to: '2026-03-08' });
    // 23:30 UTC is already 02:30 of the next day in Moscow
    expect(lastDays(30, new Date('2026-03-08T23:30:00Z'))).toEqual({ from: '2026-02-08', to: '2026-03-09' });
    expect(lastDays(1, new Date('2026-03-08T00:00:00Z'))).toEqual({ from: '2026-03-08', to: '2026-03-08' });
  });

  it('counts days inclusively and explains a bad range in Russian', () => {
    expect(rangeLength({ from: '2026-01-01', to: '2026-01-01' })).toBe(1);
    expect(rangeError({ from: '2026-01-01', to: '2026-04-02' })).toBeNull(); // 92 days
    expect(rangeError({ from: '2026-01-01', to: '2026-04-03' })).toMatch(/92 дней/);
    expect(rangeError({ from: '2026-02-10', to: '2026-02-01' })).toMatch(/не позже/);
    expect(rangeError({ from: '', to: '2026-02-01' })).toMatch(/обе даты/);
  });
});

describe('conversion by source', () => {
  it('computes sign-up → payment, → generation and checkout → paid, biggest revenue first', () => {
    const rows = sourceRows([
      source('direct', { signup: 10, generation_start: 5 }),
      source('vk', { signup: 4, signup_tracked: 4, signup_paid: 1, generation_start: 4, payment_start: 2, payment_success: 1, revenue_kopecks: 99_000 }),
    ]);
    expect(rows.map((r) => r.source)).toEqual(['vk', 'direct']);
    expect(rows[0]).toMatchObject({ signupToPaid: 0.25, generationsPerSignup: 1, checkoutToPaid: 0.5, revenuePerSignup: 24_750 });
    expect(rows[1]).toMatchObject({ signupToPaid: null, checkoutToPaid: null, revenuePerSignup: 0 });
  });

  it('counts sign-ups who paid, not payments: repeat purchases never pass 100 %', () => {
    // 2 sign-ups, one of them bought 5 times: 50 %, where payments ÷ sign-ups said 250 %
    const [row] = sourceRows([source('vk', { signup: 2, signup_tracked: 2, signup_paid: 1, payment_success: 5, revenue_kopecks: 400_000 })]);
    expect(row.signupToPaid).toBe(0.5);
    expect(formatRate(row.signupToPaid)).toBe('50\u00a0%');
  });

  it('divides only the tracked sign-ups and shows a dash where none are', () => {
    // a range across the change: 6 sign-ups before it (no base), 4 tracked of which 1 paid
    const [across] = sourceRows([source('vk', { signup: 10, signup_tracked: 4, signup_paid: 1, payment_success: 7 })]);
    expect(across.signupToPaid).toBe(0.25);
    const [old] = sourceRows([source('vk', { signup: 5, payment_success: 7 })]);
    expect(formatRate(old.signupToPaid)).toBe('—');
  });

  it('counts revenue net of refunds and orders sources by it', () => {
    const rows = sourceRows([
      source('vk', { signup: 2, payment_success: 2, payment_refund: 1, revenue_kopecks: 150_000, refunded_kopecks: 100_000 }),
      source('ya', { signup: 1, payment_success: 1, revenue_kopecks: 79_900 }),
    ]);
    expect(rows.map((r) => [r.source, r.net, r.revenuePerSignup])).toEqual([
      ['ya', 79_900, 79_900],
      ['vk', 50_000, 25_000],
    ]);
    expect(netRevenue({ ...zero, revenue_kopecks: 0, refunded_kopecks: 49_000 })).toBe(-49_000);
  });

  it('shows rates as Russian percents and a dash when there is no base', () => {
    expect(formatRate(0.25)).toBe('25\u00a0%');
    expect(formatRate(0.1234)).toBe('12,3\u00a0%');
    expect(formatRate(null)).toBe('—');
  });

  it('orders funnel steps with their share of sign-ups', () => {
    const steps = funnelSteps({ ...zero, signup: 20, signup_tracked: 20, signup_paid: 2, generation_start: 10, payment_success: 30 });
    expect(steps.map((s) => s.metric)).toEqual(['signup', 'generation_start', 'generation_complete', 'payment_start', 'payment_success']);
    expect(steps[1].share).toBe(0.5);
    expect(steps[1].caption).toBe('0,5 на регистрацию');
    // «Оплатили»: 30 payments, but 2 of the 20 sign-ups paid
    expect(steps[4]).toMatchObject({ value: 30, share: 0.1, caption: '10\u00a0% регистраций оплатили' });
    expect(steps[0].caption).toBeNull();
    expect(funnelSteps(zero)[1].share).toBeNull();
  });

  it('shows repeatable steps per sign-up, not as a percentage that passes 100 %', () => {
    const steps = funnelSteps({ ...zero, signup: 10, generation_start: 34, generation_complete: 30, payment_start: 12 });
    expect(steps.slice(1, 4).map((step) => step.caption)).toEqual(['3,4 на регистрацию', '3 на регистрацию', '1,2 на регистрацию']);
    expect(steps.every((step) => !step.caption?.includes('%') || step.metric === 'payment_success')).toBe(true);
    expect(sourceRows([{ source: 'vk', ...zero, signup: 4, generation_start: 9 }])[0].generationsPerSignup).toBe(2.25);
    expect(formatPerSignup(2.25)).toBe('2,3');
    expect(formatPerSignup(null)).toBe('—');
  });

  it('says in words when a share has no base instead of «— регистраций оплатили»', () => {
    // days before first payments were tracked: sign-ups and payments, but no signup_tracked
    const old = funnelSteps({ ...zero, signup: 6, generation_start: 4, payment_success: 2 });
    expect(old[4]).toMatchObject({ value: 2, share: null, caption: NO_PAID_SHARE });
    expect(old[1].caption).toBe('0,7 на регистрацию');
    // no sign-ups at all: no «— на регистрацию» under the other steps either
    const empty = funnelSteps({ ...zero, generation_start: 1 });
    expect(empty[1]).toMatchObject({ share: null, caption: null });
    expect(empty[4].caption).toBe(NO_PAID_SHARE);
    expect(empty.every((step) => !step.caption?.startsWith('—'))).toBe(true);
  });
});

describe('refunds', () => {
  it('says how much was paid and returned, and counts only orders refunded in full apart', () => {
    // a 100 ₽ partial refund of a 299 ₽ order: the order is not refunded in full
    const caption = refundCaption({ ...day('2026-03-01'), revenue_kopecks: 29_900, refunded_kopecks: 10_000, payment_refund: 0 });
    expect(caption?.money).toBe('оплачено 299\u2009₽, возвращено 100\u2009₽');
    expect(caption?.orders).toBe('заказов возвращено целиком: 0');
    expect(refundCaption(day('2026-03-01'))).toBeNull();
  });

  it('gives each day paid, refunded and net money, net negative on a refund-only day', () => {
    const rows = dayRows([day('2026-03-01', { revenue_kopecks: 29_900, signup: 2, payment_success: 1 }), day('2026-03-02', { refunded_kopecks: 10_000 })]);
    expect(rows).toEqual([
      { day: '2026-03-01', signup: 2, payment_success: 1, paid: 29_900, refunded: 0, net: 29_900 },
      { day: '2026-03-02', signup: 0, payment_success: 0, paid: 0, refunded: 10_000, net: -10_000 },
    ]);
  });
});

describe('chart geometry', () => {
  it('rounds the axis up to a nice number', () => {
    expect([0, 1, 7, 13, 870, 99_000].map((v) => integerAxis(v).max)).toEqual([1, 1, 8, 15, 1000, 100_000]);
  });

  it('labels a small count axis with distinct whole numbers, never «0, 1, 1»', () => {
    expect(integerAxis(1).ticks).toEqual([0, 1]);
    expect(integerAxis(3).ticks).toEqual([0, 1, 2, 3]);
    expect(integerAxis(5).ticks).toEqual([0, 2, 4, 6]);
    expect(integerAxis(13).ticks).toEqual([0, 5, 10, 15]);
    for (let max = 0; max <= 200; max++) {
      const { ticks } = integerAxis(max);
      expect(ticks.every(Number.isInteger), `max ${max}`).toBe(true);
      expect(new Set(ticks).size, `max ${max}`).toBe(ticks.length);
      expect(ticks.at(-1)!, `max ${max}`).toBeGreaterThanOrEqual(max);
      expect(ticks.length, `max ${max}`).toBeLessThanOrEqual(5);
    }
    const g = chartGeometry([day('2026-03-01', { signup: 1, revenue_kopecks: 100 })], 100, 50);
    expect(g.countTicks).toEqual([0, 1]);
    expect(g.revenueTicks).toEqual([0, 100]); // 0 and 1 ₽, not 0, 1, 1 ₽
  });

  it('draws the refunds of a day beside its paid bar on the same money scale', () => {
    const g = chartGeometry([day('2026-03-01', { revenue_kopecks: 29_900, refunded_kopecks: 10_000 }), day('2026-03-02')], 200, 100);
    expect(g.revenueMax).toBe(30_000);
    expect(g.bars[0].value).toBe(29_900);
    expect(g.refunds[0]).toMatchObject({ value: 10_000 });
    expect(g.refunds[0].height).toBeCloseTo(100 / 3);
    expect(g.refunds[1].height).toBe(0);
  });

  it('scales revenue bars and count lines into the plot area', () => {
    const g = chartGeometry([day('2026-03-01', { revenue_kopecks: 50_000, signup: 4 }), day('2026-03-02', { revenue_kopecks: 100_000, payment_success: 2 })], 200, 100);
    expect(g.revenueMax).toBe(100_000);
    expect(g.countMax).toBe(4);
    expect(g.bars.map((b) => b.height)).toEqual([50, 100]);
    expect(g.bars[1].y).toBe(0);
    expect(g.bars[0].x).toBeCloseTo(20);
    expect(g.lines.signup.points.map((p) => p.y)).toEqual([0, 100]);
    expect(g.lines.payment_success.path).toBe('M50.0,100.0 L150.0,50.0');
  });

  it('draws a flat chart for an empty period', () => {
    const g = chartGeometry([day('2026-03-01'), day('2026-03-02')], 100, 50);
    expect(g.bars.every((b) => b.height === 0)).toBe(true);
    expect(g.lines.signup.points.every((p) => p.y === 50)).toBe(true);
  });

  it('labels days as dd.mm', () => {
    expect(shortDay('2026-03-08')).toBe('08.03');
  });
});
