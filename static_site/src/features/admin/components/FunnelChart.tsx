import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { chartGeometry, shortDay } from '../statsTransforms';
import type { DayStats } from '../types';
import { formatRubles } from '../../../shared/format';
import s from './admin.module.css';

/** Width drawn before the figure is measured (and where it cannot be, as in jsdom). */
const DEFAULT_WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 12, right: 36, bottom: 28, left: 64 };
/** Room one «08.03» label needs at 11 px, with a gap, so day labels never overlap. */
const DAY_LABEL_PX = 44;

/**
 * The figure's own width in CSS pixels. The SVG is drawn at exactly that width (its viewBox
 * follows it), so its 11 px labels stay 11 px: a fixed 720-wide viewBox scaled down to a
 * phone's 330 px shrank them to ~5 px.
 */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      if (element.clientWidth > 0) setWidth(element.clientWidth);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** Paid and refunded money by day (bars, left scale) with sign-ups and payments (lines, right
 * scale). Exact numbers per day are in the by-day table beside it: touch cannot open <title>. */
export function FunnelChart({ days }: { days: DayStats[] }) {
  const figure = useRef<HTMLElement>(null);
  const width = useWidth(figure);
  const plotW = Math.max(1, width - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const g = chartGeometry(days, plotW, plotH);
  const labelEvery = Math.max(1, Math.ceil(days.length / Math.max(1, Math.floor(plotW / DAY_LABEL_PX))));
  const y = (value: number, max: number) => plotH - (value / max) * plotH;
  return (
    <figure className={s.chart} data-testid="admin-chart" ref={figure}>
      <svg
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={`Оплачено и возвращено, регистрации и оплаты по дням, ${days.length} дн.`}
        preserveAspectRatio="xMidYMid meet"
      >
        <g transform={`translate(${PAD.left},${PAD.top})`}>
          {g.revenueTicks.map((value) => (
            <g key={`r${value}`}>
              <line x1={0} x2={plotW} y1={y(value, g.revenueMax)} y2={y(value, g.revenueMax)} className={s.grid} />
              <text x={-8} y={y(value, g.revenueMax)} className={s.axisLeft} dominantBaseline="middle" data-testid="admin-chart-tick-revenue">
                {formatRubles(value)}
              </text>
            </g>
          ))}
          {g.countTicks.map((value) => (
            <text key={`c${value}`} x={plotW + 8} y={y(value, g.countMax)} className={s.axisRight} dominantBaseline="middle" data-testid="admin-chart-tick-count">
              {value}
            </text>
          ))}
          {g.bars.map((b) => (
            <rect key={b.day} x={b.x} y={b.y} width={b.width} height={b.height} rx={2} className={s.bar} data-testid="admin-chart-bar" data-value={b.value}>
              <title>{`${shortDay(b.day)}: оплачено ${formatRubles(b.value)}`}</title>
            </rect>
          ))}
          {g.refunds.map((b) =>
            b.value > 0 ? (
              <rect key={b.day} x={b.x} y={b.y} width={b.width} height={b.height} rx={2} className={s.barRefund} data-testid="admin-chart-refund" data-value={b.value}>
                <title>{`${shortDay(b.day)}: возвращено ${formatRubles(b.value)}`}</title>
              </rect>
            ) : null,
          )}
          <path d={g.lines.signup.path} className={s.lineSignup} data-testid="admin-chart-signup" />
          <path d={g.lines.payment_success.path} className={s.linePaid} data-testid="admin-chart-paid" />
          {g.bars.map((b, i) =>
            i % labelEvery === 0 ? (
              <text key={b.day} x={b.x + b.width / 2} y={plotH + 18} className={s.axisBottom} textAnchor="middle" data-testid="admin-chart-day">
                {shortDay(b.day)}
              </text>
            ) : null,
          )}
        </g>
      </svg>
      <figcaption className={s.legend}>
        <span className={s.legendRevenue}>Оплачено (до возвратов), ₽</span>
        <span className={s.legendRefund}>Возвраты, ₽</span>
        <span className={s.legendSignup}>Регистрации</span>
        <span className={s.legendPaid}>Оплаты</span>
      </figcaption>
    </figure>
  );
}
