import type { CatalogueStyle, Package, PublicConfig, User } from '../shared/types';

export const config: PublicConfig = {
  ws_url: 'ws://localhost:8001/ws',
  bot_username: 'photoshoot_bot',
  metrika_counter_id: null,
  telegram_login_sandbox: true,
  signup_bonus: 1,
  receipts_enabled: true,
  formats: [
    { format_id: '1:1', title: 'Квадрат', width: 1024, height: 1024 },
    { format_id: '3:4', title: 'Карточка', width: 900, height: 1200 },
  ],
};

export const user: User = {
  id: 'u1',
  telegram_id: 777000001,
  username: 'test_seller',
  first_name: 'Тестовый продавец',
  photo_url: null,
  balance: 3,
  email: null,
  email_notifications: true,
  is_admin: false,
};

export const packages: Package[] = [
  { package_id: 'start', title: 'Старт', description: '', photoshoots: 5, price_kopecks: 49000, images_per_photoshoot: 4, popular: false, price_per_photoshoot_kopecks: 9800 },
  { package_id: 'business', title: 'Бизнес', description: '', photoshoots: 20, price_kopecks: 149000, images_per_photoshoot: 4, popular: true, price_per_photoshoot_kopecks: 7450 },
];

export const styles: CatalogueStyle[] = [
  { style_id: 'white', title: 'Белый фон', description: 'Студия', prompt: 'white studio', tags: [], preview_url: '/styles/white.jpg' },
  { style_id: 'marble', title: 'Мрамор', description: 'Мрамор', prompt: 'marble table', tags: [], preview_url: '/styles/marble.jpg' },
];

/** A logged-in session for renderApp's preloaded state. */
export const loggedIn = { auth: { token: 't', user, expired: false } };

/** What every page reads at start: config, catalogue and the profile. */
export const catalogueRoutes = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/packages': { body: { items: packages } },
  'GET /api/me': { body: user },
};

/** The start-up reads plus the lists a seller's pages load (saved styles, history, orders), empty. */
export const sellerRoutes = {
  ...catalogueRoutes,
  'GET /api/me/styles': { body: { items: [] } },
  'GET /api/generations': { body: { items: [], next_cursor: null } },
  'GET /api/orders': { body: { items: [] } },
};
