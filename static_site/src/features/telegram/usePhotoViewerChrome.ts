import { useEffect, type CSSProperties } from 'react';
import { useFullscreen } from './useFullscreen';
import { useMiniApp } from './useMiniApp';
import { SINCE, attempt, supports } from './webApp';

type Side = 'top' | 'right' | 'bottom' | 'left';

// The device's inset on that side (notch, home bar; left and right in landscape) and, inside
// it, the strip Telegram's own controls take — CSS variables telegram-web-app.js sets on <html>.
// max(): where the webview also reports env(), the notch is counted once.
const clearOf = (side: Side) =>
  `calc(max(env(safe-area-inset-${side}, 0px), var(--tg-safe-area-inset-${side}, 0px)) + var(--tg-content-safe-area-inset-${side}, 0px))`;

const FULLSCREEN_PADDING: CSSProperties = {
  paddingTop: clearOf('top'),
  paddingRight: clearOf('right'),
  paddingBottom: clearOf('bottom'),
  paddingLeft: clearOf('left'),
};

/**
 * A full-screen photo viewer inside Telegram. While it is open a vertical swipe on the photo
 * is the viewer's (Bot API 7.7), not Telegram's «swipe down to minimise/close» — restored as it
 * was on close. In fullscreen its padding keeps the controls (close, arrows, caption, download)
 * clear of Telegram's buttons and the notch, on every side. Returns the viewer's extra style;
 * outside Telegram, none and no effect.
 */
export function usePhotoViewerChrome(): CSSProperties | undefined {
  const app = useMiniApp();
  const fullscreen = useFullscreen(app);
  const canHoldSwipes = supports(app, SINCE.verticalSwipes);
  useEffect(() => {
    if (!canHoldSwipes || !app) return undefined;
    // the app may have turned them off for a reason of its own: then they stay off
    const wereOn = app.isVerticalSwipesEnabled !== false;
    attempt(() => app.disableVerticalSwipes?.());
    return () => {
      if (wereOn) attempt(() => app.enableVerticalSwipes?.());
    };
  }, [app, canHoldSwipes]);
  return fullscreen ? FULLSCREEN_PADDING : undefined;
}
