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
let counterId: number | null = null;

export function metrikaCounterId(): number | null {
  return counterId;
}

/** Loads the Yandex.Metrika tag only when a counter id is configured. */
export function initMetrika(id: string | number | null | undefined, doc: Document = document): boolean {
  const numeric = Number(id);
  if (!id || !Number.isFinite(numeric) || numeric <= 0) {
    counterId = null;
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
    defer: true,
  });
  return true;
}

/** Records a goal: sent to Metrika when configured, and always kept in `window.__goals`. */
export function reachGoal(target: Goal, params?: GoalParams): void {
  window.__goals = window.__goals ?? [];
  window.__goals.push(params ? { target, params, at: Date.now() } : { target, at: Date.now() });
  if (counterId && window.ym) window.ym(counterId, 'reachGoal', target, params);
}

export function hit(url: string): void {
  if (counterId && window.ym) window.ym(counterId, 'hit', url);
}

export function setUserId(userId: string): void {
  if (counterId && window.ym) window.ym(counterId, 'userParams', { UserID: userId });
}

/** Resolves with Metrika's ClientID, or null when there is no counter or it does not answer in time. */
export function getClientId(timeoutMs = 800): Promise<string | null> {
  const id = counterId;
  const ym = window.ym;
  if (!id || !ym) return Promise.resolve(null);
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
  delete window.ym;
  window.dataLayer = [];
  window.__goals = [];
}
