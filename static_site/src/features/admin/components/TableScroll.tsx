import type { ReactNode } from 'react';
import s from './admin.module.css';

/**
 * A wide table in its own horizontal scroll. The scroller is a named region that takes the
 * keyboard focus, so the arrow keys reach the columns past the edge (a mouse or a finger
 * could, the keyboard could not: a table has nothing focusable to scroll to).
 */
export function TableScroll({ label, id, children }: { label: string; id?: string; children: ReactNode }) {
  return (
    <div className={s.tableWrap} id={id} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
