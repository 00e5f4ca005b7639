interface TelegramWebApp {
  initData: string;
  ready?: () => void;
  expand?: () => void;
}

declare global {
  interface Window {
    Telegram?: { WebApp?: TelegramWebApp };
  }
}

const WEB_APP_SCRIPT = 'https://telegram.org/js/telegram-web-app.js';

/** True when the page was opened as a Telegram Mini App (the launch hash carries tgWebAppData). */
export function isMiniAppLaunch(hash: string = window.location.hash): boolean {
  return hash.includes('tgWebAppData');
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
