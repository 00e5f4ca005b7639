#!/usr/bin/env node
// Measures the initial JavaScript of the built SPA: the entry chunk from dist/index.html plus
// every chunk it imports statically (what the browser must load before the first render),
// gzip level 9. Fails when it is over the budget.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = Number(process.env.INITIAL_JS_BUDGET_KB ?? 150);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

export function initialChunks(distDir) {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]);
  const seen = new Set();
  const queue = [...entries, ...preloads].map((p) => p.replace(/^\//, ''));
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(distDir, file), 'utf8');
    // static imports only: `import ... from "./x.js"` / `import "./x.js"` (not `import("./x.js")`)
    for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w*${}\s,]+from\s*)?["']([^"']+\.js)["']/g)) {
      const target = join(dirname(file), m[1]).replace(/\\/g, '/');
      if (!seen.has(target)) queue.push(target);
    }
  }
  return [...seen];
}

export function measure(distDir) {
  const files = initialChunks(distDir);
  const sizes = files.map((file) => {
    const buf = readFileSync(join(distDir, file));
    return { file, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  });
  return { files: sizes, gzip: sizes.reduce((a, s) => a + s.gzip, 0) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(dist, 'index.html'))) {
    console.error('dist/index.html not found — run `npm run build` first');
    process.exit(2);
  }
  const { files, gzip } = measure(dist);
  for (const f of files) console.log(`${f.file.padEnd(48)} ${(f.raw / 1024).toFixed(1).padStart(8)} KB  gzip ${(f.gzip / 1024).toFixed(1).padStart(7)} KB`);
  const kb = gzip / 1024;
  console.log(`initial JS (gzip): ${kb.toFixed(1)} KB — budget ${BUDGET_KB} KB`);
  if (kb > BUDGET_KB) {
    console.error('initial JS is over budget');
    process.exit(1);
  }
}
