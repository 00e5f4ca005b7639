import { chartGeometry, shortDay } from '../statsTransforms';
import type { DayStats } from '../types';
import { formatRubles } from '../../../shared/format';
import s from './admin.module.css';

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 12, right: 44, bottom: 28, left: 72 };

/** Revenue by day (bars, left scale) with sign-ups and payments (lines, right scale). */
export function FunnelChart({ days }: { days: DayStats[] }) {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const g = chartGeometry(days, plotW, plotH);
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  const ticks = [0, 0.5, 1];
  return (
    <figure className={s.chart} data-testid="admin-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Выручка, регистрации и оплаты по дням, ${days.length} дн.`}
        preserveAspectRatio="xMidYMid meet"
      >
        <g transform={`translate(${PAD.left},${PAD.top})`}>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={0} x2={plotW} y1={plotH - t * plotH} y2={plotH - t * plotH} className={s.grid} />
              <text x={-8} y={plotH - t * plotH} className={s.axisLeft} dominantBaseline="middle">
                {formatRubles(Math.round((g.revenueMax * t) / 100) * 100)}
              </text>
              <text x={plotW + 8} y={plotH - t * plotH} className={s.axisRight} dominantBaseline="middle">
                {Math.round(g.countMax * t)}
              </text>
            </g>
          ))}
          {g.bars.map((b) => (
            <rect key={b.day} x={b.x} y={b.y} width={b.width} height={b.height} rx={2} className={s.bar} data-testid="admin-chart-bar" data-value={b.value}>
              <title>{`${shortDay(b.day)}: ${formatRubles(b.value)}`}</title>
            </rect>
          ))}
          <path d={g.lines.signup.path} className={s.lineSignup} data-testid="admin-chart-signup" />
          <path d={g.lines.payment_success.path} className={s.linePaid} data-testid="admin-chart-paid" />
          {g.bars.map((b, i) =>
            i % labelEvery === 0 ? (
              <text key={b.day} x={b.x + b.width / 2} y={plotH + 18} className={s.axisBottom} textAnchor="middle">
                {shortDay(b.day)}
              </text>
            ) : null,
          )}
        </g>
      </svg>
      <figcaption className={s.legend}>
        <span className={s.legendRevenue}>Выручка</span>
        <span className={s.legendSignup}>Регистрации</span>
        <span className={s.legendPaid}>Оплаты</span>
      </figcaption>
    </figure>
  );
}
