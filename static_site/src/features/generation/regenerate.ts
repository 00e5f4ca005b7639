import type { LiveGeneration } from './liveGeneration';
import type { StyleChoice } from './draftSlice';

/** The style choice that reproduces a generation ("Сгенерировать ещё"). */
export function choiceFromGeneration(generation: Pick<LiveGeneration, 'style_id' | 'saved_style_id' | 'custom_prompt'>): StyleChoice | null {
  if (generation.saved_style_id) return { kind: 'saved', saved_style_id: generation.saved_style_id };
  if (generation.style_id) return { kind: 'style', style_id: generation.style_id };
  if (generation.custom_prompt) return { kind: 'custom', prompt: generation.custom_prompt };
  return null;
}

/** CSS aspect-ratio of a format id like "3:4"; square when unknown. */
export function aspectOf(formatId: string | null | undefined, formats: { format_id: string; width: number; height: number }[]): string {
  const known = formats.find((f) => f.format_id === formatId);
  if (known) return `${known.width} / ${known.height}`;
  const match = /^(\d+):(\d+)$/.exec(formatId ?? '');
  return match ? `${match[1]} / ${match[2]}` : '1 / 1';
}
