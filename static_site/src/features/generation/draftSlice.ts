import { createAsyncThunk, createSlice, isAnyOf, type PayloadAction } from '@reduxjs/toolkit';
import type { StyleSuggestion } from '../../shared/types';
import { errorMessage } from '../../shared/errors';
import { clip } from '../../shared/text';
import type { SavedDraft } from './draftStorage';
import { generationApi, type CreateGenerationRequest } from './generationApi';
import { validateProductImage, type ImageDimensions } from './imageValidation';
import { postToPresignedUrl } from './presignedUpload';

export type UploadPhase = 'idle' | 'validating' | 'uploading' | 'analyzing' | 'ready' | 'error';

export type StyleChoice =
  | { kind: 'style'; style_id: string }
  | { kind: 'saved'; saved_style_id: string }
  | { kind: 'custom'; prompt: string };

export interface DraftState {
  phase: UploadPhase;
  uploadProgress: number;
  uploadId: string | null;
  previewUrl: string | null;
  /** The studio's cut-out of the product, shown before paying. */
  cutoutUrl: string | null;
  fileName: string | null;
  dimensions: ImageDimensions | null;
  suggestions: StyleSuggestion[];
  error: string | null;
  choice: StyleChoice | null;
  format: string | null;
  requestId: string | null;
  /**
   * The last photo the studio accepted, kept while a replacement is checked and sent: a
   * replacement that is refused (too small, not an image, the server says no) brings it back.
   */
  previous: AcceptedPhoto | null;
}

/** A photo ready for the studio, as the draft shows it. */
export interface AcceptedPhoto {
  uploadId: string;
  previewUrl: string | null;
  cutoutUrl: string | null;
  fileName: string | null;
  dimensions: ImageDimensions | null;
  suggestions: StyleSuggestion[];
}

function acceptedPhoto(draft: DraftState): AcceptedPhoto | null {
  if (draft.phase !== 'ready' || !draft.uploadId) return null;
  const { uploadId, previewUrl, cutoutUrl, fileName, dimensions, suggestions } = draft;
  return { uploadId, previewUrl, cutoutUrl, fileName, dimensions, suggestions };
}

const initialState: DraftState = {
  phase: 'idle',
  uploadProgress: 0,
  uploadId: null,
  previewUrl: null,
  cutoutUrl: null,
  fileName: null,
  dimensions: null,
  suggestions: [],
  error: null,
  choice: null,
  format: null,
  requestId: null,
  previous: null,
};

export const MIN_CUSTOM_PROMPT = 10;
export const MAX_CUSTOM_PROMPT = 1000;

export interface UploadDeps {
  validate?: typeof validateProductImage;
  post?: typeof postToPresignedUrl;
  createPreviewUrl?: (file: File) => string;
}

/** What a photo ready for the studio carries into the draft. */
interface ReadyPhoto {
  uploadId: string;
  dimensions: ImageDimensions;
  suggestions: StyleSuggestion[];
  cutoutUrl: string | null;
  /** The validated photo on the server (a restored draft has no local preview). */
  photoUrl: string | null;
}

/** Suggestions for an upload (the server validates and analyses it on the way). */
async function requestSuggestions(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  dispatch: (action: any) => any,
  uploadId: string,
  fallback: ImageDimensions | null,
): Promise<ReadyPhoto | { error: string }> {
  const suggestions = await dispatch(generationApi.endpoints.getSuggestions.initiate(uploadId, { subscribe: false }));
  if (suggestions.error) return { error: errorMessage(suggestions.error) };
  const data = suggestions.data!;
  return {
    uploadId,
    dimensions: { width: data.width || fallback?.width || 0, height: data.height || fallback?.height || 0 },
    suggestions: [...(data.suggestions ?? [])].sort((a, b) => b.score - a.score),
    cutoutUrl: data.cutout_url ?? null,
    photoUrl: data.photo_url ?? null,
  };
}

/**
 * The whole "pick a photo" step: validate in the browser, get a presigned POST, send the file,
 * then ask for suggestions (which also validates the image on the server).
 */
export const uploadProductPhoto = createAsyncThunk<
  ReadyPhoto,
  { file: File; deps?: UploadDeps },
  { rejectValue: string }
>('draft/uploadProductPhoto', async ({ file, deps = {} }, { dispatch, rejectWithValue, requestId, getState, signal }) => {
  const validate = deps.validate ?? validateProductImage;
  const post = deps.post ?? postToPresignedUrl;
  const isCurrent = () => (getState() as { draft: DraftState }).draft.requestId === requestId;

  const validation = await validate(file);
  if (!validation.ok) return rejectWithValue(validation.message);
  if (!isCurrent()) return rejectWithValue('');
  dispatch(
    uploadPhaseChanged({ requestId, phase: 'uploading', previewUrl: deps.createPreviewUrl?.(file), fileName: file.name }),
  );

  const ticketRequest = dispatch(
    generationApi.endpoints.createUpload.initiate({ content_type: file.type, size: file.size }),
  );
  const ticket = await ticketRequest;
  if ('error' in ticket && ticket.error) return rejectWithValue(errorMessage(ticket.error));
  const { upload_id, url, fields, max_bytes } = ticket.data!;
  if (max_bytes && file.size > max_bytes) {
    return rejectWithValue(`Файл слишком большой: максимум ${Math.round(max_bytes / 1024 / 1024)} МБ.`);
  }
  try {
    await post(
      url,
      fields,
      file,
      (percent) => {
        if (isCurrent()) dispatch(uploadProgressed({ requestId, percent }));
      },
      signal,
    );
  } catch {
    if (!isCurrent()) return rejectWithValue(''); // replaced by another photo: stopped on purpose
    return rejectWithValue('Не удалось загрузить фото. Проверьте соединение и попробуйте ещё раз.');
  }
  if (!isCurrent()) return rejectWithValue('');
  dispatch(uploadPhaseChanged({ requestId, phase: 'analyzing' }));

  const ready = await requestSuggestions(dispatch, upload_id, validation.dimensions);
  return 'error' in ready ? rejectWithValue(ready.error) : ready;
});

/**
 * A saved draft's photo, checked again on the server (it may be gone, or be another
 * account's): the same answer as after an upload, with a fresh link to the cut-out.
 */
export const restoreDraftPhoto = createAsyncThunk<ReadyPhoto, SavedDraft, { rejectValue: string }>(
  'draft/restoreDraftPhoto',
  async (saved, { dispatch, rejectWithValue }) => {
    const ready = await requestSuggestions(dispatch, saved.uploadId!, saved.dimensions);
    return 'error' in ready ? rejectWithValue(ready.error) : ready;
  },
);

const draftSlice = createSlice({
  name: 'draft',
  initialState,
  reducers: {
    uploadPhaseChanged(
      state,
      action: PayloadAction<{ requestId: string; phase: UploadPhase; previewUrl?: string; fileName?: string }>,
    ) {
      if (state.requestId !== action.payload.requestId) return;
      if (action.payload.phase === 'uploading' && state.phase === 'validating') {
        // the new file passed the browser's checks: it takes the place of the one shown
        Object.assign(state, {
          uploadId: null,
          previewUrl: null,
          cutoutUrl: null,
          dimensions: null,
          suggestions: [],
          fileName: action.payload.fileName ?? state.fileName,
        });
      }
      state.phase = action.payload.phase;
      if (action.payload.previewUrl) state.previewUrl = action.payload.previewUrl;
    },
    uploadProgressed(state, action: PayloadAction<{ requestId: string; percent: number }>) {
      if (state.requestId !== action.payload.requestId) return;
      state.uploadProgress = Math.max(state.uploadProgress, Math.min(100, action.payload.percent));
    },
    photoCleared(state) {
      Object.assign(state, { ...initialState, choice: state.choice, format: state.format });
    },
    /** The style and format of a saved draft (its photo comes back with restoreDraftPhoto). */
    draftRestored(state, action: PayloadAction<SavedDraft>) {
      if (action.payload.choice) state.choice = action.payload.choice;
      if (action.payload.format) state.format = action.payload.format;
    },
    styleChosen(state, action: PayloadAction<StyleChoice | null>) {
      state.choice = action.payload;
    },
    formatChosen(state, action: PayloadAction<string>) {
      state.format = action.payload;
    },
    draftReset() {
      return initialState;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(uploadProductPhoto.pending, (state, action) => {
        // A photo the studio accepted stays on screen, and usable, until the new file passes
        // the checks; one still being sent gives way to the last accepted one.
        const kept = acceptedPhoto(state) ?? state.previous;
        Object.assign(state, {
          ...initialState,
          ...kept,
          choice: state.choice,
          format: state.format,
          phase: 'validating',
          fileName: kept ? kept.fileName : action.meta.arg.file.name,
          requestId: action.meta.requestId,
          previous: kept,
        });
      })
      .addCase(restoreDraftPhoto.pending, (state, action) => {
        Object.assign(state, {
          ...initialState,
          choice: state.choice,
          format: state.format,
          phase: 'analyzing',
          fileName: action.meta.arg.fileName,
          dimensions: action.meta.arg.dimensions,
          requestId: action.meta.requestId,
        });
      })
      .addMatcher(isAnyOf(uploadProductPhoto.fulfilled, restoreDraftPhoto.fulfilled), (state, action) => {
        if (state.requestId !== action.meta.requestId) return;
        state.phase = 'ready';
        state.uploadProgress = 100;
        state.uploadId = action.payload.uploadId;
        state.dimensions = action.payload.dimensions;
        state.suggestions = action.payload.suggestions;
        state.cutoutUrl = action.payload.cutoutUrl;
        if (!state.previewUrl) state.previewUrl = action.payload.photoUrl;
        state.error = null;
        state.previous = null;
        // suggest the best style if nothing was chosen yet
        if (!state.choice && action.payload.suggestions[0]) {
          state.choice = { kind: 'style', style_id: action.payload.suggestions[0].style_id };
        }
      })
      .addMatcher(isAnyOf(uploadProductPhoto.rejected, restoreDraftPhoto.rejected), (state, action) => {
        if (state.requestId !== action.meta.requestId || action.payload === '' || action.meta.aborted) return;
        const error = action.payload ?? 'Не удалось загрузить фото. Попробуйте ещё раз.';
        if (state.previous) {
          // the replacement was refused: the photo it was to replace is back, with the reason
          Object.assign(state, { ...state.previous, phase: 'ready', uploadProgress: 100, error, previous: null });
          return;
        }
        state.phase = 'error';
        state.uploadId = null;
        state.error = error;
      });
  },
});

export const { uploadPhaseChanged, uploadProgressed, photoCleared, draftRestored, styleChosen, formatChosen, draftReset } =
  draftSlice.actions;
export default draftSlice.reducer;

/** Why the "Сгенерировать" button is disabled, or null when the draft is complete. */
/** A style is picked, and a description of one's own is long enough to use. */
export function styleComplete(draft: DraftState): boolean {
  if (!draft.choice) return false;
  return draft.choice.kind !== 'custom' || draft.choice.prompt.trim().length >= MIN_CUSTOM_PROMPT;
}

export function draftBlocker(draft: DraftState): string | null {
  if (draft.phase === 'idle' || draft.phase === 'error') return 'Загрузите фото товара';
  if (draft.phase !== 'ready' || !draft.uploadId) return 'Дождитесь загрузки фото';
  if (!draft.choice) return 'Выберите стиль';
  if (!styleComplete(draft)) return `Опишите сцену подробнее — хотя бы ${MIN_CUSTOM_PROMPT} символов`;
  if (!draft.format) return 'Выберите формат';
  return null;
}

export function buildGenerationRequest(draft: DraftState): CreateGenerationRequest | null {
  if (draftBlocker(draft) || !draft.uploadId || !draft.choice || !draft.format) return null;
  const base = { upload_id: draft.uploadId, format: draft.format };
  switch (draft.choice.kind) {
    case 'style':
      return { ...base, style_id: draft.choice.style_id };
    case 'saved':
      return { ...base, saved_style_id: draft.choice.saved_style_id };
    case 'custom':
      return { ...base, custom_prompt: clip(draft.choice.prompt.trim(), MAX_CUSTOM_PROMPT) };
  }
}
