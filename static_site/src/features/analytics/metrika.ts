import type { Goal, GoalParams } from './goals';

type Ym = ((id: number, method: string, ...args: unknown[]) => void) & { a?: unknown[][]; l?: number };

export interface RecordedGoal {
  target: Goal;
  params?: GoalParams;
  at: number;
}

declare global {
  interface Window {
    ym?: Ym;
    dataLayer?: unknown[];
    __goals?: RecordedGoal[];
  }
}

const TAG_URL = 'https://mc.yandex.ru/metrika/tag.js';
/** Calls held before the counter is known are capped, so a config that never answers cannot grow memory without bound. */
const MAX_PENDING = 200;

/**
 * `pending` until /api/config answers: the counter id comes from there, yet pages raise goals
 * (view_packages on mount) and the landing page view long before. Those calls wait in
 * `pendingCalls` — the same idea as the `ym.a` stub queue of Metrika's own snippet, which we
 * cannot use directly because every call needs the counter id — and are replayed in order
 * right after `init`. `off` (config names no counter) drops them.
 */
let status: 'pending' | 'ready' | 'off' = 'pending';
let counterId: number | null = null;
let pendingCalls: unknown[][] = [];

export function metrikaCounterId(): number | null {
  return counterId;
}

function send(method: string, ...args: unknown[]): void {
  if (status === 'ready' && counterId && window.ym) {
    window.ym(counterId, method, ...args);
  } else if (status === 'pending' && pendingCalls.length < MAX_PENDING) {
    pendingCalls.push([method, ...args]);
  }
}

/** Loads the Yandex.Metrika tag only when a counter id is configured, then replays the calls made before. */
export function initMetrika(id: string | number | null | undefined, doc: Document = document): boolean {
  const numeric = Number(id);
  if (!id || !Number.isFinite(numeric) || numeric <= 0) {
    counterId = null;
    status = 'off';
    pendingCalls = [];
    return false;
  }
  if (counterId === numeric) return true;
  counterId = numeric;
  window.dataLayer = window.dataLayer ?? [];
  if (!window.ym) {
    const queue: Ym = ((...args: unknown[]) => {
      (queue.a = queue.a ?? []).push(args);
    }) as Ym;
    queue.l = Date.now();
    window.ym = queue;
    const script = doc.createElement('script');
    script.async = true;
    script.src = TAG_URL;
    doc.head.appendChild(script);
  }
  window.ym(numeric, 'init', {
    clickmap: true,
    trackLinks: true,
    accurateTrackBounce: true,
    ecommerce: 'dataLayer',
    // no automatic page view at init: it would carry whatever URL is current when /api/config
    // answers (maybe after a redirect), and a SPA sends its own `hit`s anyway. The landing is
    // reported by `hit` with its full URL (UTM, yclid) — see usePageViews.
    defer: true,
  });
  status = 'ready';
  const calls = pendingCalls;
  pendingCalls = [];
  for (const [method, ...args] of calls) send(method as string, ...args);
  return true;
}

/** Records a goal: sent to Metrika when configured (held until the counter is known), and always kept in `window.__goals`. */
export function reachGoal(target: Goal, params?: GoalParams): void {
  window.__goals = window.__goals ?? [];
  window.__goals.push(params ? { target, params, at: Date.now() } : { target, at: Date.now() });
  send('reachGoal', target, params);
}

export interface HitOptions {
  /** The previous page's URL (for the landing: the external referrer). */
  referer?: string;
  title?: string;
}

/** A page view; `url` is absolute, as Metrika's `hit` expects. */
export function hit(url: string, options?: HitOptions): void {
  send('hit', url, options);
}

export function setUserId(userId: string): void {
  send('userParams', { UserID: userId });
}

/** Resolves with Metrika's ClientID, or null when there is no counter or it does not answer in time. */
export function getClientId(timeoutMs = 800): Promise<string | null> {
  // not queued: a login waits for this answer, and the login page cannot be used before the
  // config (which starts the counter) has loaded anyway
  const id = counterId;
  const ym = window.ym;
  if (status !== 'ready' || !id || !ym) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    try {
      ym(id, 'getClientID', (clientId: string) => {
        clearTimeout(timer);
        resolve(clientId ? String(clientId) : null);
      });
    } catch {
      clearTimeout(timer);
      resolve(null);
    }
  });
}

export interface PurchaseData {
  orderId: string;
  revenueRub: number;
  product: { id: string; name: string; price: number; quantity: number };
}

/** E-commerce purchase in Metrika's dataLayer format. */
export function pushPurchase({ orderId, revenueRub, product }: PurchaseData): void {
  window.dataLayer = window.dataLayer ?? [];
  window.dataLayer.push({
    ecommerce: {
      currencyCode: 'RUB',
      purchase: {
        actionField: { id: orderId, revenue: revenueRub },
        products: [product],
      },
    },
  });
}

/** For tests only. */
export function resetMetrikaForTests(): void {
  counterId = null;
  status = 'pending';
  pendingCalls = [];
  delete window.ym;
  window.dataLayer = [];
  window.__goals = [];
}
