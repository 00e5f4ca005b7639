import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { ConnectionStatus } from './realtimeClient';

export interface RealtimeState {
  status: ConnectionStatus;
}

const realtimeSlice = createSlice({
  name: 'realtime',
  initialState: { status: 'idle' } as RealtimeState,
  reducers: {
    connectionChanged(state, action: PayloadAction<ConnectionStatus>) {
      state.status = action.payload;
    },
  },
});

export const { connectionChanged } = realtimeSlice.actions;
export default realtimeSlice.reducer;

export const selectSocketOpen = (s: { realtime: RealtimeState }) => s.realtime.status === 'open';
