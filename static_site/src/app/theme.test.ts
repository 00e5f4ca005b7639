import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { launchScheme, startTheme, storedScheme, toHexColor } from './theme';

/** The system's dark mode, switchable as the OS switches it. */
function fakeSystem(dark: boolean) {
  const listeners = new Set<() => void>();
  const query = {
    matches: dark,
    addEventListener: (_: string, fn: () => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: () => void) => listeners.delete(fn),
  };
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    value: vi.fn((q: string) => {
      expect(q).toBe('(prefers-color-scheme: dark)');
      return query;
    }),
  });
  return {
    switchTo(nowDark: boolean) {
      query.matches = nowDark;
      listeners.forEach((fn) => fn());
    },
    listening: () => listeners.size,
  };
}

/** A Mini App's Telegram.WebApp as telegram-web-app.js gives it, reduced to the theme's part. */
function fakeWebApp(colorScheme: 'light' | 'dark', version = '8.0') {
  const handlers = new Set<() => void>();
  const atLeast = (v: string) => parseFloat(version) >= parseFloat(v);
  const app = {
    initData: '',
    colorScheme,
    isVersionAtLeast: atLeast,
    onEvent: (_: string, fn: () => void) => handlers.add(fn),
    offEvent: (_: string, fn: () => void) => handlers.delete(fn),
    setHeaderColor: vi.fn((color: string) => {
      if (!atLeast('6.9') && color !== 'bg_color') throw Error('WebAppHeaderColorKeyInvalid');
    }),
    setBackgroundColor: vi.fn(),
    /** Telegram switched its theme: colorScheme changes, then themeChanged fires. */
    switchTo(scheme: 'light' | 'dark') {
      app.colorScheme = scheme;
      handlers.forEach((fn) => fn());
    },
    listening: () => handlers.size,
  };
  return app;
}

const theme = () => document.documentElement.dataset.theme;
const PAGE_BACKGROUNDS = `
  html[data-theme='light'] body { background-color: #f6f5f2; }
  html[data-theme='dark'] body { background-color: #111016; }`;
const DARK_LAUNCH = `#tgWebAppData=query_id%3D1&tgWebAppVersion=8.0&tgWebAppThemeParams=${encodeURIComponent(
  JSON.stringify({ bg_color: '#17212b', text_color: '#f5f5f5' }),
)}`;

let stop: () => void = () => undefined;
let style: HTMLStyleElement;

beforeEach(() => {
  style = document.createElement('style');
  style.textContent = PAGE_BACKGROUNDS;
  document.head.appendChild(style);
});

/** Telegram's apps inject this into their webview before the page's scripts run. */
const insideTelegramClient = () => {
  (window as Window & { TelegramWebviewProxy?: unknown }).TelegramWebviewProxy = { postEvent() {} };
};

afterEach(() => {
  stop();
  delete (window as Window & { TelegramWebviewProxy?: unknown }).TelegramWebviewProxy;
  style.remove();
  delete document.documentElement.dataset.theme;
  delete (window as { matchMedia?: unknown }).matchMedia;
  delete window.Telegram;
  history.replaceState(null, '', '/');
  sessionStorage.clear();
});

describe('outside Telegram: the system scheme', () => {
  it('is light under a light system and dark under a dark one', () => {
    fakeSystem(false);
    stop = startTheme();
    expect(theme()).toBe('light');
    stop();
    fakeSystem(true);
    stop = startTheme();
    expect(theme()).toBe('dark');
  });

  it('follows the system live when it switches, until stopped', () => {
    const system = fakeSystem(false);
    stop = startTheme();
    system.switchTo(true);
    expect(theme()).toBe('dark');
    system.switchTo(false);
    expect(theme()).toBe('light');
    stop();
    expect(system.listening()).toBe(0);
  });

  it('without matchMedia at all stays light', () => {
    stop = startTheme();
    expect(theme()).toBe('light');
  });
});

describe('inside Telegram: the Mini App scheme', () => {
  it('takes colorScheme over the system and paints Telegram’s header and background as the page', () => {
    fakeSystem(false);
    const app = fakeWebApp('dark');
    window.Telegram = { WebApp: app };
    stop = startTheme();
    expect(theme()).toBe('dark');
    expect(app.setHeaderColor).toHaveBeenLastCalledWith('#111016');
    expect(app.setBackgroundColor).toHaveBeenLastCalledWith('#111016');
  });

  it('follows themeChanged, and a switch of the system no longer decides', () => {
    const system = fakeSystem(true);
    const app = fakeWebApp('dark');
    window.Telegram = { WebApp: app };
    stop = startTheme();
    app.switchTo('light');
    expect(theme()).toBe('light');
    expect(app.setHeaderColor).toHaveBeenLastCalledWith('#f6f5f2');
    expect(app.setBackgroundColor).toHaveBeenLastCalledWith('#f6f5f2');
    system.switchTo(true);
    expect(theme()).toBe('light');
    stop();
    expect(app.listening()).toBe(0);
  });

  it('an old client that takes no header colour still gets the background, and nothing throws', () => {
    fakeSystem(false);
    const app = fakeWebApp('dark', '6.2');
    window.Telegram = { WebApp: app };
    expect(() => {
      stop = startTheme();
    }).not.toThrow();
    expect(theme()).toBe('dark');
    expect(app.setHeaderColor).not.toHaveBeenCalled();
    expect(app.setBackgroundColor).toHaveBeenCalledWith('#111016');
  });

  it('on a Mini App launch, is dark from the launch’s theme before the script loads, then follows the script', async () => {
    fakeSystem(false);
    insideTelegramClient();
    history.replaceState(null, '', `/${DARK_LAUNCH}`);
    let loaded: () => void = () => undefined;
    const script = new Promise<void>((resolve) => {
      loaded = resolve;
    });
    stop = startTheme(window, () => script);
    expect(theme()).toBe('dark');

    const app = fakeWebApp('light');
    window.Telegram = { WebApp: app };
    loaded();
    await script;
    await Promise.resolve();
    expect(theme()).toBe('light');
    expect(app.setBackgroundColor).toHaveBeenLastCalledWith('#f6f5f2');
    app.switchTo('dark');
    expect(theme()).toBe('dark');
  });

  it('back from the checkout (no hash), is dark from the theme Telegram’s script kept in the tab, before the script loads', () => {
    fakeSystem(false);
    insideTelegramClient();
    // what telegram-web-app.js left in sessionStorage on the launch (YooKassa's return_url has no hash)
    sessionStorage.setItem('__telegram__initParams', JSON.stringify({ tgWebAppData: 'query_id=1&hash=abc', tgWebAppVersion: '8.0' }));
    sessionStorage.setItem('__telegram__themeParams', JSON.stringify({ bg_color: '#17212b', text_color: '#f5f5f5' }));
    const load = vi.fn(() => new Promise<void>(() => undefined)); // the script is still on its way
    stop = startTheme(window, load);
    expect(load).toHaveBeenCalled();
    expect(theme()).toBe('dark');
  });

  it('takes the kept theme over the launch hash, as the script does (it is the newer one: themeChanged)', () => {
    fakeSystem(true);
    insideTelegramClient();
    history.replaceState(null, '', `/${DARK_LAUNCH}`);
    sessionStorage.setItem('__telegram__themeParams', JSON.stringify({ bg_color: '#ffffff' }));
    stop = startTheme(window, () => new Promise(() => undefined));
    expect(theme()).toBe('light');
  });

  it('a launch hash in a plain browser tab (a link) is not a Mini App: the system decides, no script', () => {
    fakeSystem(false);
    history.replaceState(null, '', `/${DARK_LAUNCH}`);
    const load = vi.fn(() => Promise.resolve());
    stop = startTheme(window, load);
    expect(load).not.toHaveBeenCalled();
    expect(theme()).toBe('light');
  });

  it('an ordinary visit in a tab that kept a theme is not a Mini App: the system decides', () => {
    fakeSystem(false);
    sessionStorage.setItem('__telegram__themeParams', JSON.stringify({ bg_color: '#17212b' }));
    stop = startTheme(window, () => Promise.resolve());
    expect(theme()).toBe('light');
  });

  it('does not wait for Telegram’s script on an ordinary visit', () => {
    fakeSystem(true);
    const load = vi.fn(() => Promise.resolve());
    stop = startTheme(window, load);
    expect(load).not.toHaveBeenCalled();
    expect(theme()).toBe('dark');
  });
});

describe('launchScheme', () => {
  it('reads the scheme from the background Telegram passes, as telegram-web-app.js does', () => {
    expect(launchScheme(DARK_LAUNCH)).toBe('dark');
    const light = encodeURIComponent(JSON.stringify({ bg_color: '#ffffff' }));
    expect(launchScheme(`#tgWebAppData=x&tgWebAppThemeParams=${light}`)).toBe('light');
    expect(launchScheme('#tgWebAppData=x')).toBeNull();
    expect(launchScheme('#tgWebAppData=x&tgWebAppThemeParams=%7Bbroken')).toBeNull();
  });
});

describe('storedScheme', () => {
  it('reads the theme telegram-web-app.js keeps, and nothing from a broken or missing one', () => {
    expect(storedScheme(window)).toBeNull();
    sessionStorage.setItem('__telegram__themeParams', JSON.stringify({ bg_color: '#17212b' }));
    expect(storedScheme(window)).toBe('dark');
    sessionStorage.setItem('__telegram__themeParams', JSON.stringify({ bg_color: '#f0f0f0' }));
    expect(storedScheme(window)).toBe('light');
    sessionStorage.setItem('__telegram__themeParams', '{broken');
    expect(storedScheme(window)).toBeNull();
    sessionStorage.setItem('__telegram__themeParams', 'null');
    expect(storedScheme(window)).toBeNull();
  });

  it('a storage that refuses (a sandboxed frame) is no theme, not an error', () => {
    const denied = {
      get sessionStorage(): Storage {
        throw new DOMException('denied', 'SecurityError');
      },
    } as unknown as Window;
    expect(storedScheme(denied)).toBeNull();
  });
});

describe('toHexColor', () => {
  it('gives Telegram the #rrggbb it takes', () => {
    expect(toHexColor('rgb(17, 16, 22)')).toBe('#111016');
    expect(toHexColor('#FFF')).toBe('#ffffff');
    expect(toHexColor(' #f6f5f2')).toBe('#f6f5f2');
    expect(toHexColor('rgba(0, 0, 0, 0)')).toBeNull();
  });
});
