import type { GeneratedImage, Generation, GenerationStatus, GenerationStep } from '../../shared/types';

export const TERMINAL_STATUSES: GenerationStatus[] = ['succeeded', 'failed', 'cancelled'];

export function isTerminal(status: GenerationStatus | undefined | null): boolean {
  return Boolean(status && TERMINAL_STATUSES.includes(status));
}

export const STEPS: { step: GenerationStep; title: string }[] = [
  { step: 'upload', title: 'Загрузка' },
  { step: 'analyze', title: 'Анализ товара' },
  { step: 'prompt', title: 'Сцена' },
  { step: 'generate', title: 'Генерация' },
  { step: 'done', title: 'Готово' },
];

export function stepIndex(step: GenerationStep | undefined | null): number {
  const index = STEPS.findIndex((s) => s.step === step);
  return index < 0 ? 0 : index;
}

/** Server → client `generation.status` message. */
export interface GenerationStatusMessage {
  type: 'generation.status';
  generation_id: string;
  status: GenerationStatus;
  step: GenerationStep;
  progress: number;
  message: string;
  eta_s: number | null;
  images?: GeneratedImage[];
  error?: { code: string; message: string } | null;
}

export type LiveGeneration = Partial<Generation> & Pick<Generation, 'generation_id' | 'images'>;

/** Images arrive one by one while rendering: merge by `index`, newest data wins, keep sorted. */
export function mergeImages(current: GeneratedImage[], incoming: GeneratedImage[] | undefined): GeneratedImage[] {
  if (!incoming || incoming.length === 0) return current;
  const byIndex = new Map<number, GeneratedImage>();
  for (const image of current) byIndex.set(image.index, image);
  for (const image of incoming) byIndex.set(image.index, { ...byIndex.get(image.index), ...image });
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/**
 * Applies an update (an HTTP snapshot or a socket message) to what we know about a generation.
 * A finished generation never goes back to running because of a late, stale update, and within a
 * running generation progress never goes backwards.
 */
export function applyGenerationUpdate(
  current: LiveGeneration | undefined,
  update: Partial<Generation> & { generation_id: string; images?: GeneratedImage[] },
): LiveGeneration {
  const base: LiveGeneration = current ?? { generation_id: update.generation_id, images: [] };
  const images = mergeImages(base.images, update.images);
  const { images: _ignored, ...fields } = update;
  void _ignored;
  if (isTerminal(base.status) && !isTerminal(update.status)) {
    // stale: keep the terminal state, but still take descriptive fields we may not have had
    const descriptive: Partial<Generation> = {};
    for (const key of ['style_id', 'saved_style_id', 'custom_prompt', 'style_title', 'format', 'created_at'] as const) {
      if (base[key] == null && fields[key] != null) (descriptive as Record<string, unknown>)[key] = fields[key];
    }
    return { ...base, ...descriptive, images };
  }
  const next: LiveGeneration = { ...base, ...stripUndefined(fields), images };
  if (
    !isTerminal(update.status) &&
    base.status === update.status &&
    typeof base.progress === 'number' &&
    typeof update.progress === 'number' &&
    update.progress < base.progress &&
    stepIndex(update.step) <= stepIndex(base.step)
  ) {
    next.progress = base.progress;
    next.step = base.step;
  }
  return next;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}
