import { useId, useMemo, useRef } from 'react';
import type { CatalogueStyle, SavedStyle, StyleSuggestion } from '../../../shared/types';
import { hintClass, inputClass } from '../../../shared/ui';
import { StyleCard } from '../../styles/components/StyleCard';
import sc from '../../styles/components/styles.module.css';
import { MAX_CUSTOM_PROMPT, MIN_CUSTOM_PROMPT, type StyleChoice } from '../draftSlice';
import s from './generation.module.css';

interface Props {
  styles: CatalogueStyle[];
  saved: SavedStyle[];
  suggestions: StyleSuggestion[];
  choice: StyleChoice | null;
  onChoose: (choice: StyleChoice | null) => void;
  analyzing: boolean;
}

export const MAX_SUGGESTIONS = 4;

/** Suggested for this product first (with reasons), then saved styles, the catalogue and a custom text. */
export function StyleStep({ styles, saved, suggestions, choice, onChoose, analyzing }: Props) {
  const byId = useMemo(() => new Map(styles.map((st) => [st.style_id, st])), [styles]);
  const suggested = suggestions.filter((sg) => byId.has(sg.style_id)).slice(0, MAX_SUGGESTIONS);
  const isStyle = (id: string) => choice?.kind === 'style' && choice.style_id === id;
  const customText = choice?.kind === 'custom' ? choice.prompt : '';
  // Typing a description replaces the picked style; erasing it gives the pick back, so trying
  // «Свой вариант» and changing one's mind does not leave the step (and the button) empty.
  const picked = useRef<StyleChoice | null>(null);
  const customHint = useId();
  if (choice && choice.kind !== 'custom') picked.current = choice;

  return (
    <div className={s.stepCard} data-testid="style-step">
      {analyzing && (
        <div className={s.section}>
          <h3 className={s.sectionTitle}>
            <span className={s.sparkle} aria-hidden>
              ✦
            </span> Подбираем стили для вашего товара…
          </h3>
          <div className={sc.grid}>
            {[0, 1, 2].map((i) => (
              <div key={i} className="skeleton" style={{ aspectRatio: '4 / 6' }} />
            ))}
          </div>
        </div>
      )}
      {suggested.length > 0 && (
        <div className={s.section} data-testid="style-suggestions">
          <h3 className={s.sectionTitle}>
            <span className={s.sparkle} aria-hidden>
              ✦
            </span> Подходит вашему товару
          </h3>
          <div className={sc.grid}>
            {suggested.map((sg) => (
              <StyleCard
                key={sg.style_id}
                style={byId.get(sg.style_id)!}
                reason={sg.reason}
                score={sg.score <= 1 ? sg.score : undefined}
                selected={isStyle(sg.style_id)}
                onSelect={() => onChoose({ kind: 'style', style_id: sg.style_id })}
                testId={`style-suggestion-${sg.style_id}`}
              />
            ))}
          </div>
        </div>
      )}

      {saved.length > 0 && (
        <div className={s.section} data-testid="saved-styles">
          <h3 className={s.sectionTitle}>Мои стили</h3>
          <div className={sc.savedList}>
            {saved.map((st) => {
              const selected = choice?.kind === 'saved' && choice.saved_style_id === st.style_id;
              return (
                <button
                  key={st.style_id}
                  type="button"
                  className={`${sc.savedItem} ${selected ? sc.selected : ''}`}
                  onClick={() => onChoose({ kind: 'saved', saved_style_id: st.style_id })}
                  aria-pressed={selected}
                  data-testid={`saved-style-option-${st.style_id}`}
                  data-selected={selected ? 'true' : 'false'}
                >
                  <span className={sc.savedIcon} aria-hidden>
                    ★
                  </span>
                  <span className={sc.savedText}>
                    <span className={sc.title}>{st.title}</span>
                    <span className={sc.savedPrompt}>{st.prompt}</span>
                  </span>
                  {selected && <span className={s.ok}>✓</span>}
                </button>
              );
            })}
          </div>
        </div>
      )}

      <div className={s.section} data-testid="style-catalogue">
        <h3 className={s.sectionTitle}>Все стили</h3>
        <div className={`${sc.grid} ${sc.compactGrid}`}>
          {styles.map((st) => (
            <StyleCard
              key={st.style_id}
              style={st}
              compact
              selected={isStyle(st.style_id)}
              onSelect={() => onChoose({ kind: 'style', style_id: st.style_id })}
            />
          ))}
        </div>
      </div>

      <div className={s.section}>
        <h3 className={s.sectionTitle}>Свой вариант</h3>
        <div className={`${s.customCard} ${choice?.kind === 'custom' ? s.customSelected : ''}`} data-testid="style-option-custom">
          <textarea
            className={inputClass}
            placeholder="Например: флакон на мокром чёрном камне, капли воды, мягкий контровой свет, тёмный фон"
            value={customText}
            maxLength={MAX_CUSTOM_PROMPT}
            onChange={(e) =>
              onChoose(e.target.value.trim() ? { kind: 'custom', prompt: e.target.value } : picked.current)
            }
            aria-label="Опишите сцену своими словами"
            aria-describedby={customHint}
            data-testid="custom-prompt-input"
          />
          <span id={customHint} className={hintClass}>
            Опишите фон, свет и настроение — хотя бы {MIN_CUSTOM_PROMPT} символов. Товар мы возьмём с вашего фото.
          </span>
        </div>
      </div>
    </div>
  );
}
