import { createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { StyleSuggestion } from '../../shared/types';
import { errorMessage } from '../../shared/errors';
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
};

export const MIN_CUSTOM_PROMPT = 10;
export const MAX_CUSTOM_PROMPT = 1000;

export interface UploadDeps {
  validate?: typeof validateProductImage;
  post?: typeof postToPresignedUrl;
  createPreviewUrl?: (file: File) => string;
}

/**
 * The whole "pick a photo" step: validate in the browser, get a presigned POST, send the file,
 * then ask for suggestions (which also validates the image on the server).
 */
export const uploadProductPhoto = createAsyncThunk<
  { uploadId: string; dimensions: ImageDimensions; suggestions: StyleSuggestion[]; cutoutUrl: string | null },
  { file: File; deps?: UploadDeps },
  { rejectValue: string }
>('draft/uploadProductPhoto', async ({ file, deps = {} }, { dispatch, rejectWithValue, requestId, getState }) => {
  const validate = deps.validate ?? validateProductImage;
  const post = deps.post ?? postToPresignedUrl;
  const isCurrent = () => (getState() as { draft: DraftState }).draft.requestId === requestId;

  const validation = await validate(file);
  if (!validation.ok) return rejectWithValue(validation.message);
  if (!isCurrent()) return rejectWithValue('');
  dispatch(uploadPhaseChanged({ requestId, phase: 'uploading', previewUrl: deps.createPreviewUrl?.(file) }));

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
    await post(url, fields, file, (percent) => {
      if (isCurrent()) dispatch(uploadProgressed({ requestId, percent }));
    });
  } catch {
    return rejectWithValue('Не удалось загрузить фото. Проверьте соединение и попробуйте ещё раз.');
  }
  if (!isCurrent()) return rejectWithValue('');
  dispatch(uploadPhaseChanged({ requestId, phase: 'analyzing' }));

  const suggestions = await dispatch(generationApi.endpoints.getSuggestions.initiate(upload_id, { subscribe: false }));
  if (suggestions.error) return rejectWithValue(errorMessage(suggestions.error));
  const data = suggestions.data!;
  return {
    uploadId: upload_id,
    dimensions: { width: data.width || validation.dimensions.width, height: data.height || validation.dimensions.height },
    suggestions: [...(data.suggestions ?? [])].sort((a, b) => b.score - a.score),
    cutoutUrl: data.cutout_url ?? null,
  };
});

const draftSlice = createSlice({
  name: 'draft',
  initialState,
  reducers: {
    uploadPhaseChanged(state, action: PayloadAction<{ requestId: string; phase: UploadPhase; previewUrl?: string }>) {
      if (state.requestId !== action.payload.requestId) return;
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
        Object.assign(state, {
          ...initialState,
          choice: state.choice,
          format: state.format,
          phase: 'validating',
          fileName: action.meta.arg.file.name,
          requestId: action.meta.requestId,
        });
      })
      .addCase(uploadProductPhoto.fulfilled, (state, action) => {
        if (state.requestId !== action.meta.requestId) return;
        state.phase = 'ready';
        state.uploadProgress = 100;
        state.uploadId = action.payload.uploadId;
        state.dimensions = action.payload.dimensions;
        state.suggestions = action.payload.suggestions;
        state.cutoutUrl = action.payload.cutoutUrl;
        state.error = null;
        // suggest the best style if nothing was chosen yet
        if (!state.choice && action.payload.suggestions[0]) {
          state.choice = { kind: 'style', style_id: action.payload.suggestions[0].style_id };
        }
      })
      .addCase(uploadProductPhoto.rejected, (state, action) => {
        if (state.requestId !== action.meta.requestId || action.payload === '') return;
        state.phase = 'error';
        state.uploadId = null;
        state.error = action.payload ?? 'Не удалось загрузить фото. Попробуйте ещё раз.';
      });
  },
});

export const { uploadPhaseChanged, uploadProgressed, photoCleared, styleChosen, formatChosen, draftReset } =
  draftSlice.actions;
export default draftSlice.reducer;

/** Why the "Сгенерировать" button is disabled, or null when the draft is complete. */
export function draftBlocker(draft: DraftState): string | null {
  if (draft.phase === 'idle' || draft.phase === 'error') return 'Загрузите фото товара';
  if (draft.phase !== 'ready' || !draft.uploadId) return 'Дождитесь загрузки фото';
  if (!draft.choice) return 'Выберите стиль';
  if (draft.choice.kind === 'custom' && draft.choice.prompt.trim().length < MIN_CUSTOM_PROMPT) {
    return `Опишите сцену подробнее — хотя бы ${MIN_CUSTOM_PROMPT} символов`;
  }
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
      return { ...base, custom_prompt: draft.choice.prompt.trim().slice(0, MAX_CUSTOM_PROMPT) };
  }
}
