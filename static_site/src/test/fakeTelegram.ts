import type { HapticNotification, TelegramWebApp } from '../features/telegram/webApp';

export type TelegramCall =
  | ['BackButton.show']
  | ['BackButton.hide']
  | ['BackButton.onClick']
  | ['BackButton.offClick']
  | ['enableClosingConfirmation']
  | ['disableClosingConfirmation']
  | ['enableVerticalSwipes']
  | ['disableVerticalSwipes']
  | ['HapticFeedback.notificationOccurred', HapticNotification]
  | ['openLink', string]
  | ['openTelegramLink', string]
  | ['downloadFile', { url: string; file_name: string }];

/**
 * Telegram.WebApp as telegram-web-app.js gives it inside Telegram, recording what the app asks
 * of it. `version` is the client's Bot API version (isVersionAtLeast answers by it).
 */
export function installFakeTelegram({ version = '8.0', fullscreen = false } = {}) {
  const calls: TelegramCall[] = [];
  const backHandlers: (() => void)[] = [];
  const events = new Map<string, Set<() => void>>();
  const atLeast = (wanted: string) => {
    const [a, b] = [version, wanted].map((v) => v.split('.').map(Number));
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    }
    return true;
  };
  const app: TelegramWebApp = {
    initData: 'query_id=1&user=%7B%7D&hash=abc',
    version,
    isFullscreen: fullscreen,
    isVersionAtLeast: atLeast,
    onEvent: (event, handler) => {
      if (!events.has(event)) events.set(event, new Set());
      events.get(event)!.add(handler);
    },
    offEvent: (event, handler) => {
      events.get(event)?.delete(handler);
    },
    BackButton: {
      isVisible: false,
      show() {
        calls.push(['BackButton.show']);
        app.BackButton!.isVisible = true;
      },
      hide() {
        calls.push(['BackButton.hide']);
        app.BackButton!.isVisible = false;
      },
      onClick(handler) {
        calls.push(['BackButton.onClick']);
        // like telegram-web-app.js: the same function is registered once
        if (!backHandlers.includes(handler)) backHandlers.push(handler);
      },
      offClick(handler) {
        calls.push(['BackButton.offClick']);
        const at = backHandlers.indexOf(handler);
        if (at >= 0) backHandlers.splice(at, 1);
      },
    },
    HapticFeedback: { notificationOccurred: (type) => void calls.push(['HapticFeedback.notificationOccurred', type]) },
    enableClosingConfirmation: () => void calls.push(['enableClosingConfirmation']),
    disableClosingConfirmation: () => void calls.push(['disableClosingConfirmation']),
    // like telegram-web-app.js: on by default, and the calls do nothing before Bot API 7.7
    isVerticalSwipesEnabled: true,
    enableVerticalSwipes() {
      calls.push(['enableVerticalSwipes']);
      if (atLeast('7.7')) app.isVerticalSwipesEnabled = true;
    },
    disableVerticalSwipes() {
      calls.push(['disableVerticalSwipes']);
      if (atLeast('7.7')) app.isVerticalSwipesEnabled = false;
    },
    openLink: (url) => void calls.push(['openLink', url]),
    openTelegramLink: (url) => void calls.push(['openTelegramLink', url]),
    downloadFile: (params) => void calls.push(['downloadFile', params]),
  };
  window.Telegram = { WebApp: app };
  return {
    app,
    calls,
    named: (name: TelegramCall[0]) => calls.filter((c) => c[0] === name),
    /** The seller taps Telegram's back arrow. */
    pressBack: () => [...backHandlers].forEach((handler) => handler()),
    backHandlers: () => backHandlers.length,
    backVisible: () => Boolean(app.BackButton!.isVisible),
    /** Telegram enters or leaves fullscreen. */
    setFullscreen(value: boolean) {
      app.isFullscreen = value;
      events.get('fullscreenChanged')?.forEach((handler) => handler());
    },
    uninstall: () => {
      delete window.Telegram;
    },
  };
}
