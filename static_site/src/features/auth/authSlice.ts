import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { AuthResponse, User } from '../../shared/types';
import { unauthorized } from '../../shared/api';
import { readToken } from './tokenStorage';

export interface AuthState {
  token: string | null;
  user: User | null;
  /** Set when the session ended because the server answered 401. */
  expired: boolean;
}

const initialState: AuthState = { token: readToken(), user: null, expired: false };

const authSlice = createSlice({
  name: 'auth',
  initialState,
  reducers: {
    loggedIn(state, action: PayloadAction<AuthResponse>) {
      state.token = action.payload.token;
      state.user = action.payload.user;
      state.expired = false;
    },
    userLoaded(state, action: PayloadAction<User>) {
      state.user = action.payload;
    },
    balanceUpdated(state, action: PayloadAction<number>) {
      if (state.user) state.user.balance = action.payload;
    },
    loggedOut(state) {
      state.token = null;
      state.user = null;
      state.expired = false;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(unauthorized, (state) => {
      state.token = null;
      state.user = null;
      state.expired = true;
    });
  },
});

export const { loggedIn, userLoaded, balanceUpdated, loggedOut } = authSlice.actions;
export default authSlice.reducer;

export const selectToken = (s: { auth: AuthState }) => s.auth.token;
export const selectUser = (s: { auth: AuthState }) => s.auth.user;
export const selectIsAuthenticated = (s: { auth: AuthState }) => Boolean(s.auth.token);
export const selectBalance = (s: { auth: AuthState }) => s.auth.user?.balance ?? null;
