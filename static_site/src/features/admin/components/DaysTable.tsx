import { useId, useState } from 'react';
import { dayRows, rublesAmount, shortDay } from '../statsTransforms';
import type { DayStats } from '../types';
import { Button } from '../../../shared/ui';
import { TableScroll } from './TableScroll';
import s from './admin.module.css';

/** Up to a week is shown at once; a longer period is behind «Показать по дням» so the sources
 * table below it is not pushed a screen down. */
const OPEN_UP_TO_DAYS = 7;

/** The chart's numbers by Moscow day as a table: the only way to read them on a phone, where
 * the chart's bars are a few pixels wide and its tooltips cannot be opened by touch. */
export function DaysTable({ days }: { days: DayStats[] }) {
  const [open, setOpen] = useState(days.length <= OPEN_UP_TO_DAYS);
  const tableId = useId();
  const rows = dayRows(days);
  return (
    <div className={s.daysTable}>
      <Button
        size="small"
        variant="ghost"
        aria-expanded={open}
        aria-controls={tableId}
        onClick={() => setOpen(!open)}
        data-testid="admin-days-toggle"
      >
        {open ? 'Скрыть таблицу по дням' : `Показать по дням (${rows.length} дн.)`}
      </Button>
      {open && (
        <TableScroll label="По дням" id={tableId}>
          <table className={`${s.table} ${s.compactTable}`} data-testid="admin-days">
            <caption className="visually-hidden">По дням (московское время)</caption>
            <thead>
              <tr>
                {/* soft hyphens (\u00ad) let the long words wrap, so six columns fit a phone */}
                <th scope="col">День</th>
                <th scope="col">{'Регист\u00adрации'}</th>
                <th scope="col">Оплаты</th>
                <th scope="col">{'Опла\u00adчено, ₽'}</th>
                <th scope="col">{'Возвра\u00adщено, ₽'}</th>
                <th scope="col">{'За вычетом возвра\u00adтов, ₽'}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.day} data-testid={`admin-day-${row.day}`}>
                  <th scope="row">{shortDay(row.day)}</th>
                  <td>{row.signup}</td>
                  <td>{row.payment_success}</td>
                  <td>{rublesAmount(row.paid)}</td>
                  <td>{row.refunded ? rublesAmount(row.refunded) : '—'}</td>
                  <td data-testid={`admin-day-${row.day}-net`}>{rublesAmount(row.net)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
