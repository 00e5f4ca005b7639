import { useEffect, useState } from 'react';
import { loadMiniApp } from '../auth/miniApp';
import { insideTelegram, type TelegramWebApp } from './webApp';

/**
 * Telegram.WebApp once it is there (telegram-web-app.js loads after the first render on a
 * Mini App launch), null in a plain browser — where nothing is loaded and nothing changes.
 */
export function useMiniApp(): TelegramWebApp | null {
  const [app, setApp] = useState(() => insideTelegram());
  useEffect(() => {
    if (app) return undefined;
    let live = true;
    void loadMiniApp().then((loaded) => {
      if (live && loaded) setApp(loaded);
    });
    return () => {
      live = false;
    };
  }, [app]);
  return app;
}
