import { useEffect, useState } from 'react';
import { SINCE, attempt, supports, type TelegramWebApp } from './webApp';

/**
 * Whether the Mini App runs fullscreen now (Bot API 8.0: the bot's launch mode, a link with
 * mode=fullscreen), followed live through fullscreenChanged. Outside Telegram, or on an older
 * client, always false.
 */
export function useFullscreen(app: TelegramWebApp | null): boolean {
  const able = supports(app, SINCE.fullscreen);
  const [fullscreen, setFullscreen] = useState(() => able && Boolean(app?.isFullscreen));
  useEffect(() => {
    if (!able || !app) return undefined;
    const read = () => setFullscreen(Boolean(app.isFullscreen));
    read();
    attempt(() => app.onEvent?.('fullscreenChanged', read));
    return () => void attempt(() => app.offEvent?.('fullscreenChanged', read));
  }, [app, able]);
  return able && fullscreen;
}
