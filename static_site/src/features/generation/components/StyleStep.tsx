import { useId, useMemo, useRef } from 'react';
import type { CatalogueStyle, SavedStyle, StyleSuggestion } from '../../../shared/types';
import { hintClass, inputClass } from '../../../shared/ui';
import { StyleCard } from '../../styles/components/StyleCard';
import sc from '../../styles/components/styles.module.css';
import { MAX_CUSTOM_PROMPT, MIN_CUSTOM_PROMPT, type StyleChoice } from '../draftSlice';
import { useRadioGroup, type RadioOption } from '../useRadioGroup';
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

function sameChoice(a: StyleChoice | null, b: StyleChoice): boolean {
  if (!a || a.kind !== b.kind) return false;
  if (a.kind === 'style') return a.style_id === (b as typeof a).style_id;
  if (a.kind === 'saved') return a.saved_style_id === (b as typeof a).saved_style_id;
  return true;
}

/**
 * Suggested for this product first (with reasons), then saved styles, the catalogue and a
 * custom text — all one radio group: a single Tab stop, the arrows move the choice.
 */
export function StyleStep({ styles, saved, suggestions, choice, onChoose, analyzing }: Props) {
  const byId = useMemo(() => new Map(styles.map((st) => [st.style_id, st])), [styles]);
  const suggested = suggestions.filter((sg) => byId.has(sg.style_id)).slice(0, MAX_SUGGESTIONS);
  const customText = choice?.kind === 'custom' ? choice.prompt : '';
  // Typing a description replaces the picked style; erasing it gives the pick back, so trying
  // «Свой вариант» and changing one's mind does not leave the step (and the button) empty.
  // Chosen in the group on purpose, it stays chosen while the box is emptied to retype.
  const picked = useRef<StyleChoice | null>(null);
  const customChosen = useRef(false);
  // arrowing past «Своими словами» and back must not lose what was written there
  const lastCustom = useRef('');
  const ids = useId();
  const customHint = `${ids}-custom-hint`;
  const customTitle = `${ids}-custom-title`;
  if (choice && choice.kind !== 'custom') {
    picked.current = choice;
    customChosen.current = false;
  }
  if (choice?.kind === 'custom') lastCustom.current = choice.prompt;

  const option = (key: string, value: StyleChoice): RadioOption => ({
    key,
    checked: sameChoice(choice, value),
    select: () => onChoose(value),
  });
  const suggestedOptions = suggested.map((sg) => option(`suggested:${sg.style_id}`, { kind: 'style', style_id: sg.style_id }));
  const savedOptions = saved.map((st) => option(`saved:${st.style_id}`, { kind: 'saved', saved_style_id: st.style_id }));
  const catalogueOptions = styles.map((st) => option(`style:${st.style_id}`, { kind: 'style', style_id: st.style_id }));
  const customOption: RadioOption = {
    key: 'custom',
    checked: choice?.kind === 'custom',
    select: () => {
      customChosen.current = true;
      if (choice?.kind !== 'custom') onChoose({ kind: 'custom', prompt: lastCustom.current });
    },
  };
  const options = [...suggestedOptions, ...savedOptions, ...catalogueOptions, customOption];
  const { groupRef, optionProps } = useRadioGroup(options);
  const radio = (o: RadioOption) => optionProps(o, options.indexOf(o));

  return (
    <div ref={groupRef} className={s.stepCard} role="radiogroup" aria-label="Стиль" data-testid="style-step">
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
            {suggested.map((sg, i) => (
              <StyleCard
                key={sg.style_id}
                style={byId.get(sg.style_id)!}
                reason={sg.reason}
                score={sg.score <= 1 ? sg.score : undefined}
                selected={suggestedOptions[i].checked}
                radio={radio(suggestedOptions[i])}
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
            {saved.map((st, i) => {
              const selected = savedOptions[i].checked;
              const titleId = `${ids}-saved-${i}`;
              const promptId = `${titleId}-prompt`;
              return (
                <button
                  key={st.style_id}
                  type="button"
                  className={`${sc.savedItem} ${selected ? `${sc.selected} chosen-option` : ''}`}
                  aria-labelledby={titleId}
                  aria-describedby={promptId}
                  {...radio(savedOptions[i])}
                  data-testid={`saved-style-option-${st.style_id}`}
                  data-selected={selected ? 'true' : 'false'}
                >
                  <span className={sc.savedIcon} aria-hidden>
                    ★
                  </span>
                  <span className={sc.savedText}>
                    <span id={titleId} className={sc.title}>
                      {st.title}
                    </span>
                    <span id={promptId} className={sc.savedPrompt}>
                      {st.prompt}
                    </span>
                  </span>
                  {selected && (
                    <span className={s.ok} aria-hidden>
                      ✓
                    </span>
                  )}
                </button>
              );
            })}
          </div>
        </div>
      )}

      <div className={s.section} data-testid="style-catalogue">
        <h3 className={s.sectionTitle}>Все стили</h3>
        <div className={`${sc.grid} ${sc.compactGrid}`}>
          {styles.map((st, i) => (
            <StyleCard key={st.style_id} style={st} compact selected={catalogueOptions[i].checked} radio={radio(catalogueOptions[i])} />
          ))}
        </div>
      </div>

      <div className={s.section}>
        <h3 className={s.sectionTitle}>Свой вариант</h3>
        <div className={`${s.customCard} ${customOption.checked ? `${s.customSelected} chosen-option` : ''}`} data-testid="style-option-custom">
          <button
            type="button"
            className={s.customOption}
            aria-labelledby={customTitle}
            aria-describedby={customHint}
            {...radio(customOption)}
            data-testid="style-option-custom-radio"
            data-selected={customOption.checked ? 'true' : 'false'}
          >
            <span className={sc.savedIcon} aria-hidden>
              ✎
            </span>
            <span id={customTitle} className={sc.title}>
              Своими словами
            </span>
            {customOption.checked && (
              <span className={s.ok} aria-hidden>
                ✓
              </span>
            )}
          </button>
          <textarea
            className={inputClass}
            placeholder="Например: флакон на мокром чёрном камне, капли воды, мягкий контровой свет, тёмный фон"
            value={customText}
            maxLength={MAX_CUSTOM_PROMPT}
            onChange={(e) => {
              const text = e.target.value;
              if (text.trim()) onChoose({ kind: 'custom', prompt: text });
              else onChoose(customChosen.current || !picked.current ? { kind: 'custom', prompt: text } : picked.current);
            }}
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
