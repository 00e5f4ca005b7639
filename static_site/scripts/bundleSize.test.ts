import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { measure } from './check-size.mjs';

const dist = join(__dirname, '..', 'dist');

describe('bundle budget', () => {
  it.skipIf(!existsSync(join(dist, 'index.html')))('initial JS (entry + static imports) is at most 150 KB gzip', () => {
    const { gzip, files } = measure(dist) as { gzip: number; files: { file: string }[] };
    expect(files.length).toBeGreaterThan(0);
    expect(gzip / 1024).toBeLessThanOrEqual(150);
  });
});
