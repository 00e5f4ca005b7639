import { clip } from '../../shared/text';
import type { SavedStyle } from '../../shared/types';

/** The saved style's name is at most this long (the dialog's title field). */
const MAX_TITLE = 60;
/** A name made from a description stops at a word before this many characters. */
const MAX_WORDS_TITLE = 32;

/**
 * The name «Сохранить стиль» suggests. «Мой стиль «Вода»» reads right for any title (the
 * old «Вода — мой» did not: «Вода» is feminine, «Кухня» too); a description of one's own
 * is named by its first words, which say more than «Свой стиль».
 */
export function suggestedStyleTitle({ styleTitle, customPrompt }: { styleTitle?: string | null; customPrompt?: string | null }): string {
  const prompt = customPrompt?.trim().replace(/\s+/g, ' ');
  if (prompt) return firstWords(prompt);
  const title = styleTitle?.trim().replace(/[«»]/g, '');
  if (!title) return 'Мой стиль';
  return `Мой стиль «${clip(title, MAX_TITLE - 'Мой стиль «»'.length)}»`;
}

function firstWords(text: string): string {
  let title = text;
  if (text.length > MAX_WORDS_TITLE) {
    const cut = clip(text, MAX_WORDS_TITLE + 1);
    const space = cut.lastIndexOf(' ');
    title = `${(space > 0 ? cut.slice(0, space) : clip(cut, MAX_WORDS_TITLE)).replace(/[\s,.;:!?—–-]+$/, '')}…`;
  }
  return title.charAt(0).toLocaleUpperCase('ru-RU') + title.slice(1);
}

const sameText = (a: string, b: string) => a.trim().replace(/\s+/g, ' ') === b.trim().replace(/\s+/g, ' ');

/**
 * True when the seller already keeps this style (the same description on the same base
 * style): read from their saved styles, so it holds after a reload and across devices.
 */
export function isStyleSaved(saved: SavedStyle[], prompt: string, baseStyleId: string | null | undefined): boolean {
  return saved.some((st) => (st.base_style_id ?? null) === (baseStyleId ?? null) && sameText(st.prompt, prompt));
}
