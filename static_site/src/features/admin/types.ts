// Shapes of the admin API (GET /api/admin/stats, /api/admin/packages, /api/admin/styles).

export const FUNNEL_METRICS = [
  'signup',
  'generation_start',
  'generation_complete',
  'payment_start',
  'payment_success',
  'payment_refund',
] as const;

export type FunnelMetric = (typeof FUNNEL_METRICS)[number];

/**
 * Money in kopecks: `revenue_kopecks` on the day paid, `refunded_kopecks` on the day refunded.
 * `signup_paid`: the sign-ups of that day/source who have paid at least once (each account
 * once, on its sign-up day); `signup_tracked`: the sign-ups it covers, its base (0 on days
 * before first payments were tracked).
 */
export type FunnelCounts = Record<FunnelMetric, number> & {
  revenue_kopecks: number;
  refunded_kopecks: number;
  signup_paid: number;
  signup_tracked: number;
};

export interface DayStats extends FunnelCounts {
  day: string;
}

export interface SourceStats extends FunnelCounts {
  source: string;
}

export interface AdminStats {
  from: string;
  to: string;
  days: DayStats[];
  sources: SourceStats[];
  totals: FunnelCounts;
}

export interface AdminPackage {
  package_id: string;
  title: string;
  description: string | null;
  photoshoots: number;
  price_kopecks: number;
  price_per_photoshoot_kopecks: number;
  images_per_photoshoot: number;
  stars_price: number | null;
  popular: boolean;
  active: boolean;
  sort: number;
  /** What an update must send back: the server refuses it (409) once someone saved since. */
  version: number;
}

export interface AdminStyle {
  style_id: string;
  title: string;
  description: string | null;
  prompt: string;
  tags: string[];
  preview_url: string | null;
  active: boolean;
  sort: number;
  /** As AdminPackage.version. */
  version: number;
}

export interface DateRange {
  from: string;
  to: string;
}

/** A review flag of an order: its code and the Russian label the server gives it (the code
 * itself for a flag it does not know). */
export interface ReviewFlag {
  code: string;
  label: string;
}

/** An order a person must look at (GET /api/admin/orders/flagged). */
export interface FlaggedOrder {
  order_id: string;
  user_id: string;
  provider: string;
  status: string;
  currency: string;
  amount_kopecks: number;
  amount_stars: number | null;
  photoshoots: number;
  /** Money the refund notifications returned so far; null for orders from before that. */
  refunded_kopecks: number | null;
  payment_id: string | null;
  created_at: string;
  updated_at: string | null;
  flags: ReviewFlag[];
}

/** One bounded Scan of the orders table: more may follow from `next_cursor`. */
export interface FlaggedOrdersPage {
  items: FlaggedOrder[];
  next_cursor: string | null;
}
