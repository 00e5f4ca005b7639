import { hostedByTelegram, type TelegramWebApp } from '../telegram/webApp';

const WEB_APP_SCRIPT = 'https://telegram.org/js/telegram-web-app.js';

/** Where telegram-web-app.js keeps the launch parameters for a later page load in the same tab. */
const STORED_LAUNCH_KEY = '__telegram__initParams';

/**
 * True when the page runs as a Telegram Mini App: a Telegram client hosts it and the launch hash
 * carries tgWebAppData, or this tab was launched so before this page load — back from the
 * YooKassa checkout (return_url) the hash is gone, and telegram-web-app.js restores initData from
 * sessionStorage. The same hash in a plain browser tab came with a link, not from Telegram.
 */
export function isMiniAppLaunch(hash: string = window.location.hash, win: Window = window): boolean {
  return hostedByTelegram(win) && (hash.includes('tgWebAppData') || launchedBeforeInThisTab(win));
}

function launchedBeforeInThisTab(win: Window): boolean {
  try {
    const stored = JSON.parse(win.sessionStorage.getItem(STORED_LAUNCH_KEY) ?? 'null') as { tgWebAppData?: unknown } | null;
    return typeof stored?.tgWebAppData === 'string' && stored.tgWebAppData.length > 0;
  } catch {
    return false;
  }
}

let loading: Promise<TelegramWebApp | null> | null = null;

/** Loads telegram-web-app.js only inside Telegram and resolves with WebApp when initData is there. */
export function loadMiniApp(doc: Document = document): Promise<TelegramWebApp | null> {
  if (window.Telegram?.WebApp?.initData) return Promise.resolve(window.Telegram.WebApp);
  if (!isMiniAppLaunch()) return Promise.resolve(null);
  loading =
    loading ??
    new Promise((resolve) => {
      const script = doc.createElement('script');
      script.src = WEB_APP_SCRIPT;
      script.async = true;
      script.onload = () => {
        const webApp = window.Telegram?.WebApp;
        webApp?.ready?.();
        webApp?.expand?.();
        resolve(webApp?.initData ? webApp : null);
      };
      script.onerror = () => resolve(null);
      doc.head.appendChild(script);
    });
  return loading;
}
