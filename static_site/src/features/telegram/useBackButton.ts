import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { SINCE, attempt, supports, type TelegramWebApp } from './webApp';

/** The Mini App's start page: Telegram's own «close» stands there, no back arrow. */
export const START_PATH = '/';

/**
 * Whether the SPA has a page of its own to go back to. BrowserRouter numbers its entries
 * (history.state.idx); the first entry of a MemoryRouter has the key "default". A page opened
 * by a deep link, or reached back from the checkout, is the first entry: nothing of ours before.
 */
function hasInAppHistory(locationKey: string): boolean {
  const idx = (window.history.state as { idx?: unknown } | null)?.idx;
  return typeof idx === 'number' ? idx > 0 : locationKey !== 'default';
}

/**
 * Telegram's BackButton: shown off the start page, hidden on it; a press goes back in the
 * SPA's history, or to the start page when there is nothing of ours to go back to. One click
 * handler at a time: each location's handler is removed when the location changes.
 */
export function useBackButton(app: TelegramWebApp | null): void {
  const location = useLocation();
  const navigate = useNavigate();
  const button = supports(app, SINCE.backButton) ? (app.BackButton ?? null) : null;
  const onStart = location.pathname === START_PATH;

  useEffect(() => {
    if (!button) return undefined;
    if (onStart) {
      attempt(() => button.hide());
      return undefined;
    }
    attempt(() => button.show());
    // Leaving the SPA (to the checkout) leaves a page that cannot answer the arrow; hidden,
    // Telegram shows its own way out. Back from the checkout the SPA shows it again (a fresh
    // load, or this page restored as it was from the back-forward cache).
    const onLeave = () => attempt(() => button.hide());
    const onRestored = (event: PageTransitionEvent) => {
      if (event.persisted) attempt(() => button.show());
    };
    window.addEventListener('pagehide', onLeave);
    window.addEventListener('pageshow', onRestored);
    return () => {
      window.removeEventListener('pagehide', onLeave);
      window.removeEventListener('pageshow', onRestored);
    };
  }, [button, onStart]);

  // a handler per location, removed before the next one is added: never two at once
  useEffect(() => {
    if (!button || onStart) return undefined;
    const onBack = () => {
      if (hasInAppHistory(location.key)) navigate(-1);
      else navigate(START_PATH, { replace: true });
    };
    attempt(() => button.onClick(onBack));
    return () => void attempt(() => button.offClick(onBack));
  }, [button, onStart, location.key, navigate]);

  useEffect(() => () => void attempt(() => button?.hide()), [button]);
}
