import { act } from '@testing-library/react';
import type { AppStore } from '../app/store';
import { api } from '../shared/api';

/**
 * Resolves once no query is running, including those started by the answers of earlier ones.
 * The deterministic stand-in for "wait a little and see whether a request goes out": a fixed
 * sleep proves nothing on a loaded machine, where the request may come after it.
 */
export async function queriesSettled(store: AppStore): Promise<void> {
  for (;;) {
    const running = store.dispatch(api.util.getRunningQueriesThunk());
    if (running.length === 0) return;
    await act(async () => {
      await Promise.all(running);
    });
  }
}
