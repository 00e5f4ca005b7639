import { useState } from 'react';
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

interface StyleCardProps {
  style: CatalogueStyle;
  selected?: boolean;
  onSelect?: () => void;
  reason?: string;
  score?: number;
  testId?: string;
  /** Small tile: preview and title only. */
  compact?: boolean;
}

export function StyleCard({ style, selected, onSelect, reason, score, testId, compact }: StyleCardProps) {
  const content = (
    <>
      <StylePreview style={style} alt="" />
      {typeof score === 'number' && (
        <span className={s.match}>
          {Math.round(score * 100)}%<span className={s.matchWord}> совпадение</span>
        </span>
      )}
      {selected && (
        <span className={s.check} aria-hidden>
          ✓
        </span>
      )}
      <div className={s.body}>
        <span className={s.title}>{style.title}</span>
        {reason ? <span className={s.reason}>{reason}</span> : !compact && <span className={s.desc}>{style.description}</span>}
      </div>
    </>
  );
  if (!onSelect) {
    return (
      <article className={s.card} data-testid={testId ?? `style-card-${style.style_id}`}>
        {content}
      </article>
    );
  }
  return (
    <button
      type="button"
      className={`${s.card} ${selected ? s.selected : ''} ${compact ? s.compact : ''}`}
      title={compact ? style.description : undefined}
      onClick={onSelect}
      aria-pressed={selected}
      data-testid={testId ?? `style-option-${style.style_id}`}
      data-selected={selected ? 'true' : 'false'}
    >
      {content}
    </button>
  );
}
