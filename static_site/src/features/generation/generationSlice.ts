import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Generation } from '../../shared/types';
import { applyGenerationUpdate, type GenerationStatusMessage, type LiveGeneration } from './liveGeneration';

export interface GenerationState {
  byId: Record<string, LiveGeneration>;
}

const initialState: GenerationState = { byId: {} };

const generationSlice = createSlice({
  name: 'generation',
  initialState,
  reducers: {
    /** A full snapshot from GET /api/generations/{id} (or the create answer). */
    generationReceived(state, action: PayloadAction<Partial<Generation> & { generation_id: string }>) {
      const id = action.payload.generation_id;
      state.byId[id] = applyGenerationUpdate(state.byId[id], action.payload);
    },
    /** A `generation.status` message from the socket. */
    generationStatusReceived(state, action: PayloadAction<GenerationStatusMessage>) {
      const { type: _type, ...update } = action.payload;
      void _type;
      const id = update.generation_id;
      state.byId[id] = applyGenerationUpdate(state.byId[id], update);
    },
    generationForgotten(state, action: PayloadAction<string>) {
      delete state.byId[action.payload];
    },
  },
});

export const { generationReceived, generationStatusReceived, generationForgotten } = generationSlice.actions;
export default generationSlice.reducer;

export const selectLiveGeneration = (state: { generation: GenerationState }, id: string | undefined) =>
  id ? state.generation.byId[id] : undefined;
