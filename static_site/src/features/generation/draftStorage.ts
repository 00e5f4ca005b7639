import type { StyleChoice, DraftState } from './draftSlice';
import type { ImageDimensions } from './imageValidation';

/**
 * The /generate draft kept for this tab (sessionStorage), so a seller who leaves for the
 * payment page comes back to the photo, style and format they had picked. Only what the
 * server can vouch for again is kept: the upload id (re-checked on restore), not the
 * browser's preview of the file.
 */
const DRAFT_KEY = 'photoshoot.draft';
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface SavedDraft {
  userId: string;
  savedAt: number;
  uploadId: string | null;
  fileName: string | null;
  dimensions: ImageDimensions | null;
  choice: StyleChoice | null;
  format: string | null;
}

export function saveDraft(userId: string, draft: DraftState, now = Date.now()): void {
  const ready = draft.phase === 'ready' && Boolean(draft.uploadId);
  const saved: SavedDraft = {
    userId,
    savedAt: now,
    uploadId: ready ? draft.uploadId : null,
    fileName: ready ? draft.fileName : null,
    dimensions: ready ? draft.dimensions : null,
    choice: draft.choice,
    format: draft.format,
  };
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(saved));
  } catch {
    /* storage may be unavailable (private mode): the draft then lives in memory only */
  }
}

function isChoice(value: unknown): value is StyleChoice {
  const choice = value as StyleChoice | null;
  if (!choice || typeof choice !== 'object') return false;
  if (choice.kind === 'style') return typeof choice.style_id === 'string';
  if (choice.kind === 'saved') return typeof choice.saved_style_id === 'string';
  if (choice.kind === 'custom') return typeof choice.prompt === 'string';
  return false;
}

/** This user's draft, or null when there is none, it is another user's or a day old. */
export function loadDraft(userId: string, now = Date.now()): SavedDraft | null {
  let saved: Partial<SavedDraft> | null = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null');
  } catch {
    return null;
  }
  if (!saved || typeof saved !== 'object' || saved.userId !== userId) return null;
  if (typeof saved.savedAt !== 'number' || now - saved.savedAt > MAX_AGE_MS) return null;
  const dimensions = saved.dimensions;
  return {
    userId,
    savedAt: saved.savedAt,
    uploadId: typeof saved.uploadId === 'string' && saved.uploadId ? saved.uploadId : null,
    fileName: typeof saved.fileName === 'string' ? saved.fileName : null,
    dimensions:
      dimensions && typeof dimensions.width === 'number' && typeof dimensions.height === 'number' ? dimensions : null,
    choice: isChoice(saved.choice) ? saved.choice : null,
    format: typeof saved.format === 'string' ? saved.format : null,
  };
}

export function clearDraft(): void {
  try {
    sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    /* nothing kept */
  }
}
