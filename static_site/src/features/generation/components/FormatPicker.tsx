import type { KeyboardEvent } from 'react';
import type { FormatOption } from '../../../shared/types';
import s from './generation.module.css';

/** "Лента 4:5 (1080×1350)" → "Лента 4:5": the size is shown on its own line. */
export function shortTitle(title: string): string {
  return title.replace(/\s*\([^)]*\)\s*$/, '');
}

export function FormatPicker({
  formats,
  value,
  onChange,
}: {
  formats: FormatOption[];
  value: string | null;
  onChange: (formatId: string) => void;
}) {
  // a radio group is one Tab stop; the arrows move the choice (WAI-ARIA radio pattern)
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = formats[(index + step + formats.length) % formats.length];
    onChange(next.format_id);
    const group = e.currentTarget.parentElement;
    group?.querySelector<HTMLButtonElement>(`[data-format="${CSS.escape(next.format_id)}"]`)?.focus();
  };
  const focusable = formats.some((f) => f.format_id === value) ? value : formats[0]?.format_id;
  return (
    <div className={s.formats} role="radiogroup" aria-label="Формат">
      {formats.map((f, index) => {
        const selected = f.format_id === value;
        const scale = 44 / Math.max(f.width, f.height);
        return (
          <button
            key={f.format_id}
            type="button"
            role="radio"
            aria-checked={selected}
            className={`${s.format} ${selected ? s.formatSelected : ''}`}
            tabIndex={f.format_id === focusable ? 0 : -1}
            onClick={() => onChange(f.format_id)}
            onKeyDown={(e) => onKeyDown(e, index)}
            data-format={f.format_id}
            data-testid={`format-option-${f.format_id}`}
            data-selected={selected ? 'true' : 'false'}
          >
            <span className={s.ratioBox} aria-hidden>
              <span className={s.ratio} style={{ width: Math.round(f.width * scale), height: Math.round(f.height * scale) }} />
            </span>
            <span className={s.formatTitle}>{shortTitle(f.title)}</span>
            <span className={s.formatSize}>
              {f.width}×{f.height}
            </span>
          </button>
        );
      })}
    </div>
  );
}
