import { useId, useState, type ButtonHTMLAttributes } from 'react';
import type { CatalogueStyle } from '../../../shared/types';
import s from './styles.module.css';

const palettes = [
  'linear-gradient(135deg,#6b4eff,#ff7a59)',
  'linear-gradient(135deg,#0f766e,#a7f3d0)',
  'linear-gradient(135deg,#1e3a8a,#93c5fd)',
  'linear-gradient(135deg,#9d174d,#fbcfe8)',
  'linear-gradient(135deg,#854d0e,#fde68a)',
  'linear-gradient(135deg,#334155,#cbd5e1)',
];

function paletteFor(id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return palettes[hash % palettes.length];
}

/**
 * The style's example photo. `alt` defaults to the title; a card whose title is printed right
 * under the photo passes '' — else a screen reader says the name twice («Мрамор Мрамор»).
 */
export function StylePreview({ style, alt = style.title }: { style: Pick<CatalogueStyle, 'style_id' | 'title' | 'preview_url'>; alt?: string }) {
  const [failed, setFailed] = useState(false);
  return (
    <div className={s.preview}>
      {style.preview_url && !failed ? (
        <img src={style.preview_url} alt={alt} loading="lazy" decoding="async" onError={() => setFailed(true)} />
      ) : (
        <div className={s.fallback} style={{ background: paletteFor(style.style_id) }} aria-hidden>
          {style.title.slice(0, 1)}
        </div>
      )}
    </div>
  );
}

/** What a radio group gives each of its options (role, aria-checked, tabindex, keys, click). */
export type StyleRadioProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'className'> & {
  'data-radio-key'?: string;
};

interface StyleCardProps {
  style: CatalogueStyle;
  selected?: boolean;
  /** Makes the card one option of a radio group; without it the card only shows the style. */
  radio?: StyleRadioProps;
  reason?: string;
  score?: number;
  testId?: string;
  /** Small tile: preview and title only. */
  compact?: boolean;
}

export function StyleCard({ style, selected, radio, reason, score, testId, compact }: StyleCardProps) {
  const ids = useId();
  const titleId = `${ids}-title`;
  const aboutId = `${ids}-about`;
  const matchId = `${ids}-match`;
  const hasMatch = typeof score === 'number';
  const content = (
    <>
      <StylePreview style={style} alt="" />
      {hasMatch && (
        <span id={matchId} className={s.match}>
          {Math.round(score * 100)}%<span className={s.matchWord}> совпадение</span>
        </span>
      )}
      {selected && (
        <span className={s.check} aria-hidden>
          ✓
        </span>
      )}
      <div className={s.body}>
        <span id={titleId} className={s.title}>
          {style.title}
        </span>
        {reason ? (
          <span id={aboutId} className={s.reason}>
            {reason}
          </span>
        ) : (
          !compact && (
            <span id={aboutId} className={s.desc}>
              {style.description}
            </span>
          )
        )}
      </div>
    </>
  );
  if (!radio) {
    return (
      <article className={s.card} data-testid={testId ?? `style-card-${style.style_id}`}>
        {content}
      </article>
    );
  }
  // Named by the title alone, so arrowing through the group reads «Мрамор, 3 из 16», not
  // the whole card; why it suits the product (or what the style is) follows as the description.
  const described = [reason || !compact ? aboutId : '', hasMatch ? matchId : ''].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      className={`${s.card} ${selected ? `${s.selected} chosen-option` : ''} ${compact ? s.compact : ''}`}
      // the tiny tile has no room for the description: a mouse finds it on hover
      title={compact ? style.description : undefined}
      aria-labelledby={titleId}
      aria-describedby={described || undefined}
      {...radio}
      data-testid={testId ?? `style-option-${style.style_id}`}
      data-selected={selected ? 'true' : 'false'}
    >
      {content}
    </button>
  );
}
