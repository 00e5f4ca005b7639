import { isMiniAppLaunch, loadMiniApp } from '../features/auth/miniApp';
import { SINCE, attempt, supports, type TelegramWebApp } from '../features/telegram/webApp';

export type ColorScheme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** Where telegram-web-app.js keeps its current theme for a later page load in the same tab. */
const STORED_THEME_KEY = '__telegram__themeParams';

function webAppOf(win: Window): TelegramWebApp | null {
  return win.Telegram?.WebApp ?? null;
}

function hexPairs(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** '#abc', '#aabbcc' or 'rgb(…)' as '#aabbcc', the one form Telegram takes; null for anything else. */
export function toHexColor(color: string): string | null {
  const value = color.trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(value)) return value;
  if (/^#[0-9a-f]{3}$/.test(value)) return `#${[...value.slice(1)].map((c) => c + c).join('')}`;
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*(?:[,/]\s*1(?:\.0*)?\s*)?\)$/.exec(value);
  const channels = rgb ? [rgb[1], rgb[2], rgb[3]].map(Number) : [];
  // a channel past 255 would make seven hex digits: a colour Telegram refuses
  return channels.length === 3 && channels.every((v) => v <= 255) ? hexPairs(channels[0], channels[1], channels[2]) : null;
}

/** The scheme of a Telegram theme, decided by its background as telegram-web-app.js decides colorScheme. */
function schemeOfTheme(theme: unknown): ColorScheme | null {
  const background = (theme as { bg_color?: unknown } | null)?.bg_color;
  const hex = typeof background === 'string' ? toHexColor(background) : null;
  if (!hex) return null;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return Math.sqrt(0.299 * r * r + 0.587 * g * g + 0.114 * b * b) < 120 ? 'dark' : 'light';
}

function parsed(raw: string | null): unknown {
  try {
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

/**
 * The scheme a Mini App launch implies before telegram-web-app.js has loaded: the launch hash
 * carries Telegram's theme. Without it the page would flash the system's scheme for as long as
 * the script takes.
 */
export function launchScheme(hash: string): ColorScheme | null {
  return schemeOfTheme(parsed(new URLSearchParams(hash.replace(/^#/, '')).get('tgWebAppThemeParams')));
}

/**
 * The scheme telegram-web-app.js left in this tab's sessionStorage (it saves every theme it
 * gets, themeChanged included): back from the YooKassa checkout the hash is gone, and this is
 * the theme the script restores. As in the script, it wins over the hash's (it is newer).
 */
export function storedScheme(win: Window): ColorScheme | null {
  try {
    return schemeOfTheme(parsed(win.sessionStorage.getItem(STORED_THEME_KEY)));
  } catch {
    return null; // storage denied (a sandboxed frame): the hash or the system decides
  }
}

/** Telegram's header and the area around the page take the page's own background: no seam. */
function paintMiniAppChrome(app: TelegramWebApp, color: string | null): void {
  if (!color) return;
  // a client refusing (or too old: a colour for the header only from 6.9, before it throws)
  // keeps its own colours: still usable
  try {
    if (supports(app, SINCE.headerColor)) app.setHeaderColor?.(color);
  } catch {
    /* the header keeps Telegram's colour */
  }
  try {
    if (supports(app, SINCE.backgroundColor)) app.setBackgroundColor?.(color);
  } catch {
    /* the background keeps Telegram's colour */
  }
}

function pageBackground(win: Window): string | null {
  const body = win.document.body ?? win.document.documentElement;
  return toHexColor(win.getComputedStyle(body).backgroundColor);
}

/**
 * Keeps <html data-theme> on the scheme the seller sees around the page: inside Telegram the
 * Mini App's (colorScheme, live through themeChanged), elsewhere the system's
 * (prefers-color-scheme, live). global.css holds both palettes. Returns a stop function.
 */
export function startTheme(
  win: Window = window,
  miniAppLoaded: () => Promise<unknown> = () => loadMiniApp(win.document),
): () => void {
  const root = win.document.documentElement;
  const media = typeof win.matchMedia === 'function' ? win.matchMedia(DARK_QUERY) : null;
  const launch = isMiniAppLaunch(win.location.hash, win);
  const beforeScript = launch ? (storedScheme(win) ?? launchScheme(win.location.hash)) : null;
  let app = webAppOf(win);
  let stopped = false;

  const current = (): ColorScheme => {
    const told = app?.colorScheme;
    if (told === 'dark' || told === 'light') return told;
    return beforeScript ?? (media?.matches ? 'dark' : 'light');
  };
  const apply = () => {
    root.dataset.theme = current();
    if (app) paintMiniAppChrome(app, pageBackground(win));
  };

  media?.addEventListener?.('change', apply);
  // main.tsx starts the theme before the first render: an odd client's throw must not stop it
  if (app) {
    const told = app;
    attempt(() => told.onEvent?.('themeChanged', apply));
  } else if (launch) {
    // telegram-web-app.js is loaded on a Mini App launch only (features/auth/miniApp.ts)
    void miniAppLoaded().then(() => {
      const loaded = webAppOf(win);
      if (stopped || app || !loaded) return;
      app = loaded;
      attempt(() => loaded.onEvent?.('themeChanged', apply));
      apply();
    });
  }
  apply();

  return () => {
    stopped = true;
    media?.removeEventListener?.('change', apply);
    const told = app;
    if (told) attempt(() => told.offEvent?.('themeChanged', apply));
  };
}
