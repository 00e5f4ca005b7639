import { useId, useState } from 'react';
import { useGetAdminStatsQuery } from '../adminApi';
import { formatPerSignup, formatRate, funnelSteps, lastDays, netRevenue, rangeError, refundCaption, sourceRows } from '../statsTransforms';
import type { DateRange } from '../types';
import { DaysTable } from './DaysTable';
import { FunnelChart } from './FunnelChart';
import { Alert, Button, Card, Spinner, inputClass } from '../../../shared/ui';
import { errorMessage } from '../../../shared/errors';
import { formatRubles } from '../../../shared/format';
import { TableScroll } from './TableScroll';
import s from './admin.module.css';

const PRESETS = [7, 30, 90];

export function StatsPanel() {
  const [draft, setDraft] = useState<DateRange>(() => lastDays(30));
  const [range, setRange] = useState<DateRange>(draft);
  const problem = rangeError(draft);
  const problemId = useId();
  // the dates a wrong range is about say so themselves when a screen reader reaches them
  const invalid = { 'aria-invalid': problem ? true : undefined, 'aria-describedby': problem ? problemId : undefined };
  const { data, error, isFetching } = useGetAdminStatsQuery(range);
  const refunds = data ? refundCaption(data.totals) : null;

  const apply = (next: DateRange) => {
    setDraft(next);
    if (!rangeError(next)) setRange(next);
  };

  return (
    <div className={s.stack}>
      <Card className={s.toolbar}>
        <div className={s.range} data-testid="admin-range">
          <label>
            С{' '}
            <input type="date" className={inputClass} value={draft.from} {...invalid} data-testid="admin-range-from" onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </label>
          <label>
            по{' '}
            <input type="date" className={inputClass} value={draft.to} {...invalid} data-testid="admin-range-to" onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </label>
          <Button size="small" disabled={Boolean(problem)} onClick={() => setRange(draft)} data-testid="admin-range-apply">
            Показать
          </Button>
        </div>
        <div className={s.presets}>
          {PRESETS.map((days) => (
            <Button key={days} size="small" variant="ghost" onClick={() => apply(lastDays(days))} data-testid={`admin-range-${days}`}>
              {days} дней
            </Button>
          ))}
        </div>
        {problem && (
          <span id={problemId} className={s.fieldError} role="status" data-testid="admin-range-error">
            {problem}
          </span>
        )}
      </Card>

      {error && <Alert testId="admin-stats-error">{errorMessage(error)}</Alert>}
      {!data && isFetching && <Spinner />}
      {data && (
        <>
          <div className={s.totals} data-testid="admin-totals">
            {funnelSteps(data.totals).map((step) => (
              <Card key={step.metric} className={s.total} data-testid={`admin-total-${step.metric}`}>
                <span className={s.totalLabel}>{step.label}</span>
                <strong>{step.value}</strong>
                {step.caption && <span className={s.totalShare}>{step.caption}</span>}
              </Card>
            ))}
            <Card className={s.total} data-testid="admin-total-revenue">
              <span className={s.totalLabel}>Выручка за вычетом возвратов</span>
              <strong>{formatRubles(netRevenue(data.totals))}</strong>
              {refunds && (
                <>
                  <span className={s.totalShare} data-testid="admin-total-refunded">
                    {refunds.money}
                  </span>
                  <span className={s.totalShare} data-testid="admin-total-refunded-orders">
                    {refunds.orders}
                  </span>
                </>
              )}
            </Card>
          </div>
          <Card>
            <h2 className={s.h3}>По дням</h2>
            <FunnelChart days={data.days} />
            <DaysTable key={`${data.from}/${data.to}`} days={data.days} />
          </Card>
          <Card>
            <h2 className={s.h3}>По источникам (utm_source)</h2>
            <TableScroll label="По источникам">
              <table className={s.table} data-testid="admin-sources">
                <thead>
                  <tr>
                    <th>Источник</th>
                    <th>Регистрации</th>
                    <th>Фотосессии</th>
                    <th>Оплаты</th>
                    <th>Оплачено</th>
                    <th>Возвращено</th>
                    <th>Выручка за вычетом возвратов</th>
                    <th title="Начатых фотосессий на одну регистрацию (повторные тоже)">Фотосессий на рег.</th>
                    <th title="Регистрация → оплата: доля регистраций, оплативших хотя бы раз (регистрации до начала этого учёта не входят)">→ оплата</th>
                    <th title="Начали оплату → оплатили">Оплата из начатых</th>
                    <th title="Выручка за вычетом возвратов на одну регистрацию">На регистрацию</th>
                  </tr>
                </thead>
                <tbody>
                  {sourceRows(data.sources).map((row) => (
                    <tr key={row.source} data-testid={`admin-source-${row.source}`}>
                      <td>{row.source === 'direct' ? 'Прямые заходы' : row.source}</td>
                      <td>{row.signup}</td>
                      <td>{row.generation_start}</td>
                      <td>{row.payment_success}</td>
                      <td>{formatRubles(row.revenue_kopecks)}</td>
                      <td>{row.refunded_kopecks ? formatRubles(row.refunded_kopecks) : '—'}</td>
                      <td data-testid={`admin-source-${row.source}-net`}>{formatRubles(row.net)}</td>
                      <td>{formatPerSignup(row.generationsPerSignup)}</td>
                      <td data-testid={`admin-source-${row.source}-conversion`}>{formatRate(row.signupToPaid)}</td>
                      <td>{formatRate(row.checkoutToPaid)}</td>
                      <td>{row.revenuePerSignup === null ? '—' : formatRubles(row.revenuePerSignup)}</td>
                    </tr>
                  ))}
                  {data.sources.length === 0 && (
                    <tr>
                      <td colSpan={11} className={s.empty}>
                        За этот период событий нет.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </TableScroll>
          </Card>
        </>
      )}
    </div>
  );
}
