import { combineReducers, configureStore, createListenerMiddleware } from '@reduxjs/toolkit';
import { api } from '../shared/api';
import auth from '../features/auth/authSlice';
import draft from '../features/generation/draftSlice';
import generation from '../features/generation/generationSlice';
import payments from '../features/payments/paymentsSlice';
import realtime from '../features/realtime/realtimeSlice';
import { registerAuthListeners } from '../features/auth/authListeners';
import { registerAnalyticsListeners } from '../features/analytics/analyticsListeners';
import { registerDraftListeners } from '../features/generation/draftListeners';

const rootReducer = combineReducers({
  [api.reducerPath]: api.reducer,
  auth,
  draft,
  generation,
  payments,
  realtime,
});

export type RootState = ReturnType<typeof rootReducer>;

export function setupStore(preloadedState?: Partial<RootState>) {
  const listener = createListenerMiddleware();
  registerAuthListeners(listener);
  registerAnalyticsListeners(listener);
  registerDraftListeners(listener);
  return configureStore({
    reducer: rootReducer,
    preloadedState,
    middleware: (getDefault) =>
      getDefault({
        serializableCheck: { ignoredActionPaths: ['meta.arg.file', 'meta.arg.deps', 'meta.baseQueryMeta'] },
      })
        .prepend(listener.middleware)
        .concat(api.middleware),
  });
}

export type AppStore = ReturnType<typeof setupStore>;
export type AppDispatch = AppStore['dispatch'];
