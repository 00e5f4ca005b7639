// What crawlers and link previews read, built with the site's public origin (VITE_PUBLIC_ORIGIN,
// e.g. https://photoshoot.ru): the absolute og:url / og:image of index.html, robots.txt and
// sitemap.xml. The origin is known only to the build that ships (infra/deploy.py passes the
// custom domain or the distribution's name; `make spa` the local front's URL). Unset, the
// build leaves out everything that needs it rather than guess a host.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HtmlTagDescriptor, Plugin } from 'vite';

export const ORIGIN_VARIABLE = 'VITE_PUBLIC_ORIGIN';

/** static_site/public/og-image.jpg, made by infra/site_images.py. */
export const SHARE_IMAGE = {
  file: 'og-image.jpg',
  type: 'image/jpeg',
  width: 1200,
  height: 630,
  alt: 'Фото товара до и после AI-фотосессии Photoshoot',
};

/** The pages worth a search result: public and the same for everyone. /login is left to be
 * crawled but not listed; the signed-in pages answer a guest with the login form. */
export const SITEMAP_ROUTES = ['/', '/packages'];

/** The API, provider callbacks, sandboxes and pages that only a signed-in seller sees. */
export const DISALLOWED_PATHS = [
  '/api/',
  '/webhooks/',
  '/sandbox/',
  '/admin',
  '/payment/',
  '/profile',
  '/generate',
  '/generations/',
];

/** Ad-campaign tags (features/auth/utm.ts) do not change a page: Yandex indexes one URL. */
const TRACKING_PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'yclid', 'gclid'];

// A DNS name (punycode after URL's parsing) or an IP: the URL parser lets through hosts such as
// a&b or a"b, which would break sitemap.xml and are nobody's site.
const PLAIN_HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/;

/** "https://Photoshoot.ru/" → "https://photoshoot.ru"; empty → null; anything else is an error
 * (a path, a query, no scheme): a wrong host in a preview is worse than none. */
export function parseOrigin(value: string | undefined): string | null {
  const raw = (value ?? '').trim();
  if (!raw) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    url.pathname !== '/' ||
    url.search ||
    url.hash ||
    url.username ||
    url.password ||
    !PLAIN_HOST.test(url.hostname)
  ) {
    throw new Error(`${ORIGIN_VARIABLE} must be an origin such as https://photoshoot.ru, not "${raw}"`);
  }
  return url.origin;
}

/** The origin-bound Open Graph and Twitter tags; the rest are static in index.html. The image
 * URL carries its content's hash: Telegram, VK and Facebook cache previews by URL for days. */
export function shareTags(origin: string, imageVersion: string): HtmlTagDescriptor[] {
  const image = `${origin}/${SHARE_IMAGE.file}?v=${imageVersion}`;
  const meta = (key: 'property' | 'name', name: string, content: string): HtmlTagDescriptor => ({
    tag: 'meta',
    attrs: { [key]: name, content },
    injectTo: 'head',
  });
  return [
    meta('property', 'og:url', `${origin}/`),
    meta('property', 'og:image', image),
    meta('property', 'og:image:type', SHARE_IMAGE.type),
    meta('property', 'og:image:width', String(SHARE_IMAGE.width)),
    meta('property', 'og:image:height', String(SHARE_IMAGE.height)),
    meta('property', 'og:image:alt', SHARE_IMAGE.alt),
    meta('name', 'twitter:image', image),
    meta('name', 'twitter:image:alt', SHARE_IMAGE.alt),
  ];
}

export function robotsTxt(origin: string | null): string {
  const lines = ['User-agent: *', ...DISALLOWED_PATHS.map((path) => `Disallow: ${path}`), 'Allow: /', ''];
  lines.push(`Clean-param: ${TRACKING_PARAMS.join('&')}`);
  if (origin) lines.push('', `Sitemap: ${origin}/sitemap.xml`);
  return lines.join('\n') + '\n';
}

export function sitemapXml(origin: string): string {
  const urls = SITEMAP_ROUTES.map((route) => `  <url><loc>${origin}${route}</loc></url>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...urls,
    '</urlset>',
    '',
  ].join('\n');
}

function contentVersion(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 10);
}

/** Adds the share tags to index.html and writes robots.txt (and sitemap.xml with an origin)
 * beside it. Vite's %VARIABLE% replacement cannot leave a tag out when the variable is unset. */
export function publicSite(): Plugin {
  let origin: string | null = null;
  let imagePath = '';
  return {
    name: 'photoshoot-public-site',
    configResolved(config) {
      origin = parseOrigin(config.env[ORIGIN_VARIABLE] as string | undefined);
      imagePath = join(config.publicDir, SHARE_IMAGE.file);
    },
    transformIndexHtml() {
      if (!origin) return [];
      if (!existsSync(imagePath)) throw new Error(`${imagePath} is missing: run infra/site_images.py`);
      return shareTags(origin, contentVersion(imagePath));
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'robots.txt', source: robotsTxt(origin) });
      if (origin) this.emitFile({ type: 'asset', fileName: 'sitemap.xml', source: sitemapXml(origin) });
    },
  };
}
