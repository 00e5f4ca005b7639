// Shapes of the public API contract (ARCHITECTURE.md §10).

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export interface FormatOption {
  format_id: string;
  title: string;
  width: number;
  height: number;
}

export interface PublicConfig {
  ws_url: string;
  bot_username: string;
  metrika_counter_id: string | number | null;
  telegram_login_sandbox: boolean;
  signup_bonus: number;
  receipts_enabled: boolean;
  formats: FormatOption[];
  /** Optional: how many images one photoshoot renders (drives gallery placeholders). */
  images_per_generation?: number;
}

export interface User {
  id: string;
  telegram_id: number;
  username: string | null;
  first_name: string | null;
  photo_url: string | null;
  balance: number;
  email: string | null;
  email_notifications: boolean;
  is_admin: boolean;
}

export interface AuthResponse {
  token: string;
  user: User;
  /** Optional: true when this login created the account (drives the "signup" goal). */
  is_new?: boolean;
}

export interface Package {
  package_id: string;
  title: string;
  description: string;
  photoshoots: number;
  price_kopecks: number;
  images_per_photoshoot: number;
  popular: boolean;
  price_per_photoshoot_kopecks: number;
}

export interface CatalogueStyle {
  style_id: string;
  title: string;
  description: string;
  prompt: string;
  tags: string[];
  preview_url: string;
}

export interface SavedStyle {
  style_id: string;
  title: string;
  prompt: string;
  base_style_id: string | null;
  created_at: string;
}

export interface ListResponse<T> {
  items: T[];
}

export type GenerationStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type GenerationStep = 'upload' | 'analyze' | 'prompt' | 'generate' | 'done';

export interface GeneratedImage {
  index: number;
  /** The photo itself: given once the photoshoot has succeeded (while it runs, thumbnails only). */
  url?: string;
  thumb_url: string;
  /** The same photo answered as an attachment, so following the link saves it. */
  download_url?: string;
  width: number;
  height: number;
}

export interface Generation {
  generation_id: string;
  status: GenerationStatus;
  step: GenerationStep;
  progress: number;
  message: string;
  eta_s: number | null;
  style_id: string | null;
  saved_style_id: string | null;
  custom_prompt: string | null;
  style_title: string | null;
  format: string;
  created_at: string;
  finished_at: string | null;
  error?: { code: string; message: string } | null;
  images: GeneratedImage[];
}

export interface GenerationPage {
  items: Generation[];
  next_cursor: string | null;
}

export type OrderStatus = 'pending' | 'paid' | 'cancelled' | 'refunded' | 'expired';

export interface Order {
  order_id: string;
  package_id: string;
  package_title: string;
  photoshoots: number;
  amount_kopecks: number;
  /** Telegram Stars paid in the bot (currency XTR); null for YooKassa orders. */
  amount_stars?: number | null;
  currency: string;
  status: OrderStatus;
  cancellation_reason: string | null;
  created_at: string;
  paid_at: string | null;
}

export interface StyleSuggestion {
  style_id: string;
  score: number;
  reason: string;
}

export interface UploadTicket {
  upload_id: string;
  url: string;
  fields: Record<string, string>;
  max_bytes: number;
}

export interface SuggestionsResponse {
  upload_id: string;
  width: number;
  height: number;
  suggestions: StyleSuggestion[];
  /** The product as the studio cut it out (transparent PNG, short-lived link). */
  cutout_url?: string | null;
  /** The validated photo itself (short-lived link). */
  photo_url?: string | null;
}

export interface UtmParams {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_content?: string;
  utm_term?: string;
  yclid?: string;
}
