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

const STATUS_RANK: Record<GenerationStatus, number> = {
  queued: 0,
  running: 1,
  succeeded: 2,
  failed: 2,
  cancelled: 2,
};

/**
 * True when an update describes an earlier moment than what we have: an HTTP answer that left
 * the server before a push we already applied, or a push that overtook a poll. A generation
 * only moves forward — queued → running → finished, step by step, progress up — so the order
 * of (status, step, progress) tells old from new without clocks.
 */
function isBehind(current: LiveGeneration, update: Partial<Generation>): boolean {
  if (!current.status || !update.status) return false;
  const rank = STATUS_RANK[update.status] - STATUS_RANK[current.status];
  if (rank !== 0) return rank < 0;
  if (isTerminal(current.status)) return false; // a finished state restated: take it
  const steps = stepIndex(update.step ?? current.step) - stepIndex(current.step);
  if (steps !== 0) return steps < 0;
  return (update.progress ?? 0) < (current.progress ?? 0);
}

const DESCRIPTIVE_FIELDS = ['style_id', 'saved_style_id', 'custom_prompt', 'style_title', 'format', 'created_at'] as const;

/**
 * Applies an update (an HTTP snapshot or a socket message) to what we know about a generation.
 * A late update from an earlier moment changes none of the live fields (status, step, progress,
 * message, ETA) — a finished generation never goes back to running, progress never back — but
 * its images and the descriptive fields we lacked are still taken.
 */
export function applyGenerationUpdate(
  current: LiveGeneration | undefined,
  update: Partial<Generation> & { generation_id: string; images?: GeneratedImage[] },
): LiveGeneration {
  const base: LiveGeneration = current ?? { generation_id: update.generation_id, images: [] };
  const images = mergeImages(base.images, update.images);
  const { images: _ignored, ...fields } = update;
  void _ignored;
  if (isBehind(base, update)) {
    const descriptive: Partial<Generation> = {};
    for (const key of DESCRIPTIVE_FIELDS) {
      if (base[key] == null && fields[key] != null) (descriptive as Record<string, unknown>)[key] = fields[key];
    }
    return { ...base, ...descriptive, images };
  }
  return { ...base, ...stripUndefined(fields), images };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}
