import type { CSSProperties } from 'react';
import { useFullscreen } from './useFullscreen';
import type { TelegramWebApp } from './webApp';

// Set on <html> by telegram-web-app.js (Bot API 8.0): the device's insets (notch, home bar)
// and, inside them, the strip Telegram's own controls take in fullscreen.
const TOP = 'calc(var(--tg-safe-area-inset-top, 0px) + var(--tg-content-safe-area-inset-top, 0px))';
const BOTTOM =
  'calc(6px + max(env(safe-area-inset-bottom, 0px), var(--tg-safe-area-inset-bottom, 0px)) + var(--tg-content-safe-area-inset-bottom, 0px))';

export interface FullscreenInsets {
  header?: CSSProperties;
  tabbar?: CSSProperties;
}

/**
 * A Mini App can be launched fullscreen: then the page runs under Telegram's close/menu buttons
 * and the notch. The sticky header grows by that strip (its background under the controls, its
 * content below them) and the tab bar by the bottom one. Outside fullscreen, and outside
 * Telegram, nothing changes.
 */
export function useFullscreenInsets(app: TelegramWebApp | null): FullscreenInsets {
  const fullscreen = useFullscreen(app);
  if (!fullscreen) return {};
  return { header: { paddingTop: TOP }, tabbar: { paddingBottom: BOTTOM } };
}
