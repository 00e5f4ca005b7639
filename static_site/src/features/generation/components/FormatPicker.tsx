import type { FormatOption } from '../../../shared/types';
import { useRadioGroup } from '../useRadioGroup';
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
  const options = formats.map((f) => ({
    key: f.format_id,
    checked: f.format_id === value,
    select: () => onChange(f.format_id),
  }));
  const { groupRef, optionProps } = useRadioGroup(options);
  return (
    <div ref={groupRef} className={s.formats} role="radiogroup" aria-label="Формат">
      {formats.map((f, index) => {
        const selected = f.format_id === value;
        const scale = 44 / Math.max(f.width, f.height);
        return (
          <button
            key={f.format_id}
            type="button"
            {...optionProps(options[index], index)}
            className={`${s.format} ${selected ? `${s.formatSelected} chosen-option` : ''}`}
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
