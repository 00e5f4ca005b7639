import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { FakeSocket } from './fakeSocket';

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
