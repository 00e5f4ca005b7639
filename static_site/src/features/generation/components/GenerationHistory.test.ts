import { afterEach, describe, expect, it, vi } from 'vitest';
import { filtersToQuery } from './GenerationHistory';

describe('history date filters', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("a picked day is the seller's day: Moscow midnight to midnight, sent as UTC instants", () => {
    vi.stubEnv('TZ', 'Europe/Moscow');
    expect(filtersToQuery({ style: '', status: '', from: '2025-05-05', to: '2025-05-05' })).toEqual({
      from: '2025-05-04T21:00:00.000Z',
      to: '2025-05-05T20:59:59.999Z',
    });
  });

  it('empty filters send nothing', () => {
    expect(filtersToQuery({ style: '', status: '', from: '', to: '' })).toEqual({});
  });
});
