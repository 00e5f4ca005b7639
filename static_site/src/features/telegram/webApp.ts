/**
 * The part of Telegram.WebApp (telegram-web-app.js) this app uses. Everything but initData is
 * optional: older clients lack some of it, and tests give only what they need.
 * https://core.telegram.org/bots/webapps
 */
export type HapticNotification = 'success' | 'error' | 'warning';

export interface SafeAreaInset {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface TelegramBackButton {
  isVisible?: boolean;
  show: () => void;
  hide: () => void;
  onClick: (handler: () => void) => void;
  offClick: (handler: () => void) => void;
}

export interface TelegramWebApp {
  initData: string;
  version?: string;
  colorScheme?: string;
  isFullscreen?: boolean;
  safeAreaInset?: SafeAreaInset;
  contentSafeAreaInset?: SafeAreaInset;
  ready?: () => void;
  setHeaderColor?: (color: string) => void;
  setBackgroundColor?: (color: string) => void;
  expand?: () => void;
  isVersionAtLeast?: (version: string) => boolean;
  onEvent?: (event: string, handler: () => void) => void;
  offEvent?: (event: string, handler: () => void) => void;
  BackButton?: TelegramBackButton;
  HapticFeedback?: { notificationOccurred: (type: HapticNotification) => void };
  enableClosingConfirmation?: () => void;
  disableClosingConfirmation?: () => void;
  isVerticalSwipesEnabled?: boolean;
  enableVerticalSwipes?: () => void;
  disableVerticalSwipes?: () => void;
  openLink?: (url: string) => void;
  openTelegramLink?: (url: string) => void;
  downloadFile?: (params: { url: string; file_name: string }, callback?: (accepted: boolean) => void) => void;
}

declare global {
  interface Window {
    Telegram?: { WebApp?: TelegramWebApp };
  }
}

/**
 * Bot API versions that brought what we use (telegram-web-app.js warns and does nothing on an
 * older client; we check first, so an old client keeps the plain web behaviour).
 */
export const SINCE = {
  backgroundColor: '6.1',
  /** a colour of its own (before: only a theme key, anything else throws) */
  headerColor: '6.9',
  backButton: '6.1',
  haptics: '6.1',
  links: '6.1',
  closingConfirmation: '6.2',
  verticalSwipes: '7.7',
  downloadFile: '8.0',
  fullscreen: '8.0',
} as const;

/** Telegram.WebApp when the page runs as a Mini App (initData given), else null. */
export function insideTelegram(win: Window = window): TelegramWebApp | null {
  const app = win.Telegram?.WebApp;
  return typeof app?.initData === 'string' && app.initData ? app : null;
}

/**
 * Whether a Telegram client hosts this page: its apps inject TelegramWebviewProxy before the
 * page's scripts (older Windows ones window.external.notify), and Telegram Web frames the page
 * (only telegram.org may: the site's CSP frame-ancestors). A plain browser tab has none of these
 * — there a launch hash is only what the link's sender put in it (their own signed initData would
 * sign the visitor in as them), and telegram-web-app.js could not reach Telegram anyway.
 */
export function hostedByTelegram(win: Window = window): boolean {
  try {
    if ((win as { TelegramWebviewProxy?: unknown }).TelegramWebviewProxy !== undefined) return true;
    const external: unknown = (win as { external?: unknown }).external;
    if (external && typeof external === 'object' && 'notify' in external) return true;
    return win.parent != null && win.parent !== win;
  } catch {
    return false; // a window that cannot even be inspected is no client's
  }
}

export function supports(app: TelegramWebApp | null, version: string): app is TelegramWebApp {
  if (!app || typeof app.isVersionAtLeast !== 'function') return false;
  try {
    return app.isVersionAtLeast(version) === true;
  } catch {
    return false;
  }
}

/**
 * One call into Telegram.WebApp. A client that lacks the method or throws (an old or partial
 * one) keeps the page as it is on the web: no error reaches React, where an effect's error would
 * take the whole page down. True when the call went through.
 */
export function attempt(call: () => void): boolean {
  try {
    call();
    return true;
  } catch {
    return false;
  }
}
