import { isMiniAppLaunch, loadMiniApp } from '../features/auth/miniApp';

export type ColorScheme = 'light' | 'dark';

/** What the theme uses of Telegram.WebApp; all optional, since older clients lack some of it. */
interface ThemedWebApp {
  colorScheme?: string;
  onEvent?: (event: 'themeChanged', handler: () => void) => void;
  offEvent?: (event: 'themeChanged', handler: () => void) => void;
  setHeaderColor?: (color: string) => void;
  setBackgroundColor?: (color: string) => void;
  isVersionAtLeast?: (version: string) => boolean;
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

function webAppOf(win: Window): ThemedWebApp | null {
  return (win.Telegram?.WebApp as ThemedWebApp | undefined) ?? null;
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
  return rgb ? hexPairs(Number(rgb[1]), Number(rgb[2]), Number(rgb[3])) : null;
}

/**
 * The scheme a Mini App launch implies before telegram-web-app.js has loaded: the launch hash
 * carries Telegram's theme, and its background decides as the script itself decides colorScheme.
 * Without it the page would flash the system's scheme for as long as the script takes.
 */
export function launchScheme(hash: string): ColorScheme | null {
  const raw = new URLSearchParams(hash.replace(/^#/, '')).get('tgWebAppThemeParams');
  if (!raw) return null;
  let background: unknown;
  try {
    background = (JSON.parse(raw) as { bg_color?: unknown }).bg_color;
  } catch {
    return null;
  }
  const hex = typeof background === 'string' ? toHexColor(background) : null;
  if (!hex) return null;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return Math.sqrt(0.299 * r * r + 0.587 * g * g + 0.114 * b * b) < 120 ? 'dark' : 'light';
}

/** Telegram's header and the area around the page take the page's own background: no seam. */
function paintMiniAppChrome(app: ThemedWebApp, color: string | null): void {
  if (!color) return;
  // a colour (not a theme key) for the header only from Bot API 6.9 (before, it throws);
  // no colours at all before 6.1. A client refusing keeps its own colours: still usable.
  const atLeast = (version: string) => app.isVersionAtLeast?.(version) ?? true;
  try {
    if (atLeast('6.9')) app.setHeaderColor?.(color);
  } catch {
    /* the header keeps Telegram's colour */
  }
  try {
    if (atLeast('6.1')) app.setBackgroundColor?.(color);
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
  const launch = isMiniAppLaunch(win.location.hash);
  const beforeScript = launch ? launchScheme(win.location.hash) : null;
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
  if (app) {
    app.onEvent?.('themeChanged', apply);
  } else if (launch) {
    // telegram-web-app.js is loaded on a Mini App launch only (features/auth/miniApp.ts)
    void miniAppLoaded().then(() => {
      const loaded = webAppOf(win);
      if (stopped || app || !loaded) return;
      app = loaded;
      app.onEvent?.('themeChanged', apply);
      apply();
    });
  }
  apply();

  return () => {
    stopped = true;
    media?.removeEventListener?.('change', apply);
    app?.offEvent?.('themeChanged', apply);
  };
}
