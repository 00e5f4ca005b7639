import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { FakeSocket } from './fakeSocket';

// CI runs the whole suite on two cores shared with other work. There the first import of a lazy
// page alone can outlast Testing Library's default second, and a findBy/waitFor then failed a test
// that was right (reproduced: four runs of ProfilePage.test.tsx on one core). A wait for what must
// appear still ends at the first success; only the give-up point moves, and the tests' own limit
// with it, above the longest such wait.
configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 20_000 });

// jsdom does not scroll; the layout scrolls a new page to its top
window.scrollTo = (() => {}) as typeof window.scrollTo;

beforeEach(() => {
  // no real network sockets in unit tests
  vi.stubGlobal('WebSocket', FakeSocket);
  FakeSocket.reset();
  window.__goals = [];
});

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
