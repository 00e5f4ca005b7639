// The real `vite build` of the real index.html and config, once with a public origin and once
// without (each ~1.5 s: no type check), then what a crawler and a link preview would read.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISALLOWED_PATHS, ORIGIN_VARIABLE, parseOrigin, SITEMAP_ROUTES } from './publicSite';

const root = join(__dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'photoshoot-site-'));

function viteBuild(outDir: string, origin: string | undefined) {
  const env = { ...process.env };
  delete env[ORIGIN_VARIABLE];
  delete env.NODE_ENV; // vitest's "test" would change what Vite bundles
  if (origin !== undefined) env[ORIGIN_VARIABLE] = origin;
  return spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
    { cwd: root, env, encoding: 'utf8', timeout: 120_000 },
  );
}

function built(outDir: string, origin: string | undefined): string {
  const result = viteBuild(outDir, origin);
  if (result.status !== 0) throw new Error(`vite build failed: ${result.stderr}`);
  return outDir;
}

/** `<meta property|name="key" content="…">` values of an HTML page, by key. */
function metaOf(html: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [tag] of html.matchAll(/<meta\b[^>]*>/g)) {
    const key = /\b(?:property|name)="([^"]+)"/.exec(tag)?.[1];
    const content = /\bcontent="([^"]*)"/.exec(tag)?.[1];
    if (key && content !== undefined) found.set(key, [...(found.get(key) ?? []), content]);
  }
  return found;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): [number, number] {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('the public origin setting', () => {
  it('is normalised to a bare origin', () => {
    expect(parseOrigin('https://Photoshoot.RU/')).toBe('https://photoshoot.ru');
    expect(parseOrigin(' http://localhost:8000 ')).toBe('http://localhost:8000');
    expect(parseOrigin('https://d111.cloudfront.net')).toBe('https://d111.cloudfront.net');
  });

  it('unset or empty means no origin', () => {
    expect(parseOrigin(undefined)).toBeNull();
    expect(parseOrigin('  ')).toBeNull();
  });

  it.each([
    'photoshoot.ru',
    'https://photoshoot.ru/ru',
    'https://photoshoot.ru/?a=1',
    'ftp://photoshoot.ru',
    // hosts the URL parser accepts but no site has: they would break sitemap.xml's XML
    'https://a&b.example',
    'https://photo"shoot.ru',
    "https://photo'shoot.ru",
  ])(
    'refuses %s rather than publish a wrong URL',
    (value) => {
      expect(() => parseOrigin(value)).toThrow(ORIGIN_VARIABLE);
    },
  );
});

describe('a build with the site origin', () => {
  let dist = '';
  beforeAll(() => {
    dist = built(join(scratch, 'with-origin'), 'https://photoshoot.example/');
  }, 120_000);

  it('gives index.html absolute share URLs on that origin', () => {
    const meta = metaOf(readFileSync(join(dist, 'index.html'), 'utf8'));
    expect(meta.get('og:url')).toEqual(['https://photoshoot.example/']);
    const [image] = meta.get('og:image') ?? [];
    expect(image).toMatch(/^https:\/\/photoshoot\.example\/og-image\.jpg\?v=[0-9a-f]{10}$/);
    expect(meta.get('twitter:image')).toEqual([image]);
    expect(meta.get('og:image:width')).toEqual(['1200']);
    expect(meta.get('og:image:height')).toEqual(['630']);
    expect(meta.get('og:image:type')).toEqual(['image/jpeg']);
    expect(meta.get('og:image:alt')?.[0]).toMatch(/[а-я]/);
    expect(existsSync(join(dist, new URL(image).pathname))).toBe(true);
  });

  it('keeps the origin-free card tags once each', () => {
    const meta = metaOf(readFileSync(join(dist, 'index.html'), 'utf8'));
    for (const key of ['og:title', 'og:description', 'og:type', 'og:locale', 'og:site_name', 'twitter:card']) {
      expect(meta.get(key), key).toHaveLength(1);
    }
    expect(meta.get('og:locale')).toEqual(['ru_RU']);
    expect(meta.get('og:type')).toEqual(['website']);
    expect(meta.get('twitter:card')).toEqual(['summary_large_image']);
  });

  it('lists the public pages in sitemap.xml and names it in robots.txt', () => {
    const sitemap = readFileSync(join(dist, 'sitemap.xml'), 'utf8');
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual(SITEMAP_ROUTES.map((route) => `https://photoshoot.example${route}`));
    expect(sitemap).toContain('xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"');
    const robots = readFileSync(join(dist, 'robots.txt'), 'utf8');
    expect(robots).toMatch(/^Sitemap: https:\/\/photoshoot\.example\/sitemap\.xml$/m);
  });

  it('keeps crawlers out of the API, callbacks and signed-in pages, not the public ones', () => {
    const robots = readFileSync(join(dist, 'robots.txt'), 'utf8');
    const disallowed = [...robots.matchAll(/^Disallow: (\S+)$/gm)].map((m) => m[1]);
    for (const path of ['/api/', '/admin', '/payment/', '/webhooks/', '/sandbox/']) {
      expect(disallowed).toContain(path);
    }
    expect(disallowed).toEqual(DISALLOWED_PATHS);
    for (const route of [...SITEMAP_ROUTES, '/login', '/og-image.jpg', '/manifest.webmanifest']) {
      expect(
        disallowed.some((prefix) => route.startsWith(prefix)),
        route,
      ).toBe(false);
    }
  });

  it('ships a manifest whose icons exist at their declared sizes', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.webmanifest'), 'utf8'));
    expect(manifest).toMatchObject({ lang: 'ru', start_url: '/', display: 'standalone', short_name: 'Photoshoot' });
    expect(manifest.name).toMatch(/Photoshoot/);
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/);
    const icons = manifest.icons as { src: string; sizes: string; type: string; purpose: string }[];
    for (const icon of icons) {
      const [width, height] = pngSize(join(dist, icon.src));
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
      expect(icon.type).toBe('image/png');
    }
    const sizes = (purpose: string) => icons.filter((i) => i.purpose === purpose).map((i) => i.sizes);
    expect(sizes('any')).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(sizes('maskable')).toContain('512x512');
  });

  it('gives iPhones a 180×180 home-screen icon', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const href = /<link rel="apple-touch-icon" href="([^"]+)"/.exec(html)?.[1];
    expect(href).toBe('/apple-touch-icon.png');
    expect(pngSize(join(dist, 'apple-touch-icon.png'))).toEqual([180, 180]);
  });
});

describe('a build without the site origin', () => {
  let dist = '';
  beforeAll(() => {
    dist = built(join(scratch, 'without-origin'), undefined);
  }, 120_000);

  it('leaves out every URL that would need a host', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const meta = metaOf(html);
    for (const key of ['og:url', 'og:image', 'og:image:width', 'twitter:image']) {
      expect(meta.has(key), key).toBe(false);
    }
    expect(html).not.toMatch(/%VITE_|undefined|null\//);
    expect(meta.get('og:title')).toHaveLength(1); // the card still has its text
  });

  it('still keeps crawlers out, but has no sitemap to name', () => {
    expect(existsSync(join(dist, 'sitemap.xml'))).toBe(false);
    const robots = readFileSync(join(dist, 'robots.txt'), 'utf8');
    expect(robots).toContain('Disallow: /api/');
    expect(robots).not.toContain('Sitemap:');
  });
});

describe('a build with a malformed origin', () => {
  it('fails instead of shipping a wrong host', () => {
    const result = viteBuild(join(scratch, 'malformed'), 'photoshoot.ru');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(ORIGIN_VARIABLE);
  }, 120_000);
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});
