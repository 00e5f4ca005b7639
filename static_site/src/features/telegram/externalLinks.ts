import { useEffect } from 'react';
import { SINCE, attempt, supports, type TelegramWebApp } from './webApp';

/** Where a link must go instead of the Mini App's own webview; null for links that stay. */
export function externalTarget(href: string, here: string = window.location.href): 'telegram' | 'browser' | null {
  let url: URL;
  try {
    url = new URL(href, here);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.origin === new URL(here).origin) return null;
  // openTelegramLink takes t.me only; other links open in the browser, outside Telegram
  return url.hostname === 't.me' ? 'telegram' : 'browser';
}

/**
 * Inside Telegram a link to another site would replace the Mini App in its webview (and a
 * target=_blank one often does nothing): t.me links open in Telegram (openTelegramLink), the
 * rest in the browser (openLink). Download links (`download`) are saved by the page itself.
 */
export function useExternalLinks(app: TelegramWebApp | null): void {
  const able = supports(app, SINCE.links);
  useEffect(() => {
    if (!able || !app) return undefined;
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = (event.target as Element | null)?.closest?.('a[href]');
      if (!(anchor instanceof HTMLAnchorElement) || anchor.hasAttribute('download')) return;
      const target = externalTarget(anchor.href);
      const open = target === 'telegram' ? app.openTelegramLink : target === 'browser' ? app.openLink : undefined;
      if (typeof open !== 'function') return;
      // a client that refuses the link (throws) leaves it to the webview, as without Telegram
      if (attempt(() => open.call(app, anchor.href))) event.preventDefault();
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [app, able]);
}
