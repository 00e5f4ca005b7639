#!/usr/bin/env node
// A tiny stand-in for the backend, for looking at the built SPA without the Python stack:
// serves dist/ with SPA fallback and answers the public API with fixtures. No WebSocket
// (ws_url points nowhere), so the SPA's polling fallback drives live generations.
//   npm run build && npm run mock   →  http://localhost:4173
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const PORT = Number(process.env.PORT ?? 4173);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg', '.png': 'image/png' };

const state = { balance: 1, email: null, notifications: true, generations: new Map(), orders: new Map(), saved: [] };
const user = () => ({ id: 'u_1', telegram_id: 777000001, username: 'test_seller', first_name: 'Тестовый продавец', photo_url: null, balance: state.balance, email: state.email, email_notifications: state.notifications, is_admin: false });
const STYLES = [
  ['white', 'Белый фон', 'Чистый студийный фон для карточки маркетплейса', ['маркетплейс']],
  ['marble', 'Мрамор', 'Светлый мрамор и мягкий дневной свет', ['косметика', 'украшения']],
  ['loft', 'Лофт', 'Кирпич, дерево и тёплый свет', ['интерьер']],
  ['nature', 'Природа', 'Зелень, камни и солнечные блики', ['эко']],
  ['neon', 'Неон', 'Тёмный фон и цветные неоновые акценты', ['техника']],
  ['kitchen', 'Кухня', 'Светлая кухня, утро, продукты на столе', ['посуда']],
].map(([style_id, title, description, tags]) => ({ style_id, title, description, prompt: `${description}, профессиональная предметная съёмка`, tags, preview_url: `/styles/${style_id}.jpg` }));
const PACKAGES = [
  { package_id: 'start', title: 'Старт', description: 'Попробовать на нескольких товарах', photoshoots: 5, price_kopecks: 49000, images_per_photoshoot: 4, popular: false, price_per_photoshoot_kopecks: 9800 },
  { package_id: 'business', title: 'Бизнес', description: 'Для небольшого каталога', photoshoots: 20, price_kopecks: 149000, images_per_photoshoot: 4, popular: true, price_per_photoshoot_kopecks: 7450 },
  { package_id: 'pro', title: 'Про', description: 'Для магазинов с сотнями SKU', photoshoots: 100, price_kopecks: 490000, images_per_photoshoot: 4, popular: false, price_per_photoshoot_kopecks: 4900 },
];
const COLORS = ['#d9d2ff', '#ffd9cc', '#cdeedd', '#d6e6ff'];
const svg = (n, w, h) => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${COLORS[n % 4]}"/><stop offset="1" stop-color="#fff"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><ellipse cx="${w / 2}" cy="${h * 0.78}" rx="${w * 0.28}" ry="${h * 0.04}" fill="rgba(0,0,0,.12)"/><rect x="${w * 0.36}" y="${h * 0.3}" width="${w * 0.28}" height="${h * 0.46}" rx="${w * 0.05}" fill="#6b4eff" opacity=".85"/><rect x="${w * 0.42}" y="${h * 0.22}" width="${w * 0.16}" height="${h * 0.1}" rx="8" fill="#15141a"/></svg>`;

function generationView(g) {
  const t = (Date.now() - g.started) / 1000;
  const steps = [['upload', 1, 'Получили фото'], ['analyze', 3, 'Изучаем товар: форма, материал, цвет'], ['prompt', 5, 'Составляем сцену под стиль'], ['generate', 13, 'Рисуем фотографии']];
  if (g.status === 'cancelled') return { ...g.base, status: 'cancelled', step: 'generate', progress: g.progress, message: 'Генерация отменена', eta_s: null, images: [] };
  const images = [];
  let step = 'done', message = 'Готово!', progress = 100, status = 'succeeded';
  for (const [name, until, text] of steps) if (t < until) { step = name; message = text; status = 'running'; break; }
  if (status === 'running') progress = Math.min(99, Math.round((t / 14) * 100));
  const count = step === 'generate' ? Math.max(0, Math.floor((t - 6) / 2)) : step === 'done' ? 4 : 0;
  for (let i = 0; i < Math.min(4, count); i++) images.push({ index: i, url: `/mock-images/${i}.svg`, thumb_url: `/mock-images/${i}.svg`, width: 900, height: 1200 });
  g.progress = progress;
  return { ...g.base, status, step, progress, message, eta_s: status === 'running' ? Math.max(1, Math.round(14 - t)) : null, finished_at: status === 'succeeded' ? new Date().toISOString() : null, images };
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}
const fail = (res, status, code, message) => send(res, status, { error: { code, message } });

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  try { return JSON.parse(Buffer.concat(chunks).toString() || '{}'); } catch { return {}; }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const p = url.pathname;
  const m = req.method;
  const authed = /^Bearer .+/.test(req.headers.authorization ?? '');
  if (p.startsWith('/api/') || p.startsWith('/sandbox/') || p.startsWith('/mock-s3')) {
    if (p === '/api/config') return send(res, 200, { ws_url: 'ws://127.0.0.1:9/ws', bot_username: 'photoshoot_bot', metrika_counter_id: null, telegram_login_sandbox: true, signup_bonus: 1, receipts_enabled: true, formats: [{ format_id: '1:1', title: 'Квадрат', width: 1024, height: 1024 }, { format_id: '3:4', title: 'Карточка', width: 900, height: 1200 }, { format_id: '4:5', title: 'Лента', width: 1080, height: 1350 }, { format_id: '16:9', title: 'Баннер', width: 1920, height: 1080 }] });
    if (p === '/api/styles') return send(res, 200, { items: STYLES });
    if (p === '/api/packages') return send(res, 200, { items: PACKAGES });
    if (p === '/sandbox/telegram/login-widget') { const b = await readJson(req); return send(res, 200, { ...b, auth_date: Math.floor(Date.now() / 1000), hash: 'f'.repeat(64) }); }
    if (p === '/api/auth/telegram' || p === '/api/auth/code/verify' || p === '/api/auth/webapp') return send(res, 200, { token: 'mock.jwt.token', user: user(), is_new: true });
    if (p === '/api/auth/link' && m === 'POST') return send(res, 200, { challenge_id: 'ch1', bot_link: 'https://t.me/photoshoot_bot?start=login_ch1', expires_in: 300 });
    if (p.startsWith('/api/auth/link/')) return send(res, 200, { status: 'pending' });
    if (p === '/api/auth/code/request') return send(res, 200, { challenge_id: 'c1', expires_in: 300, delivered: true, bot_link: 'https://t.me/photoshoot_bot?start=hi' });
    if (p.startsWith('/mock-s3')) { for await (const _ of req) void _; res.writeHead(204); return res.end(); }
    if (!authed) return fail(res, 401, 'unauthorized', 'Войдите, чтобы продолжить');
    if (p === '/api/auth/logout') return send(res, 200, {});
    if (p === '/api/me' && m === 'GET') return send(res, 200, user());
    if (p === '/api/me' && m === 'PATCH') { const b = await readJson(req); if ('email' in b) state.email = b.email; if ('email_notifications' in b) state.notifications = b.email_notifications; return send(res, 200, user()); }
    if (p === '/api/me/styles' && m === 'GET') return send(res, 200, { items: state.saved });
    if (p === '/api/me/styles' && m === 'POST') { const b = await readJson(req); const st = { style_id: `s${state.saved.length + 1}`, title: b.title, prompt: b.prompt, base_style_id: b.base_style_id ?? null, created_at: new Date().toISOString() }; state.saved.push(st); return send(res, 201, st); }
    if (p === '/api/uploads' && m === 'POST') return send(res, 200, { upload_id: 'up1', url: '/mock-s3', fields: { key: 'uploads/up1', policy: 'x' }, max_bytes: 15728640 });
    if (/^\/api\/uploads\/[^/]+\/suggestions$/.test(p)) return send(res, 200, { upload_id: 'up1', width: 1200, height: 1200, suggestions: [{ style_id: 'marble', score: 0.92, reason: 'Мрамор подчеркнёт премиальность косметики' }, { style_id: 'white', score: 0.81, reason: 'Белый фон — стандарт карточки маркетплейса' }, { style_id: 'nature', score: 0.64, reason: 'Природные текстуры — для эко-товаров' }] });
    if (p === '/api/generations' && m === 'POST') {
      if (state.balance <= 0) return fail(res, 402, 'insufficient_balance', 'На балансе нет фотосессий');
      const b = await readJson(req); state.balance -= 1;
      const id = `g${state.generations.size + 1}`;
      const st = STYLES.find((s) => s.style_id === b.style_id);
      state.generations.set(id, { started: Date.now(), progress: 0, base: { generation_id: id, style_id: b.style_id ?? null, saved_style_id: b.saved_style_id ?? null, custom_prompt: b.custom_prompt ?? null, style_title: st?.title ?? null, format: b.format, created_at: new Date().toISOString() } });
      return send(res, 202, { generation_id: id, status: 'queued' });
    }
    if (p === '/api/generations' && m === 'GET') return send(res, 200, { items: [...state.generations.values()].map(generationView).reverse(), next_cursor: null });
    let mm;
    if ((mm = /^\/api\/generations\/([^/]+)$/.exec(p))) { const g = state.generations.get(mm[1]); if (!g) return fail(res, 404, 'not_found', 'Фотосессия не найдена'); if (m === 'DELETE') { state.generations.delete(mm[1]); return send(res, 204); } return send(res, 200, generationView(g)); }
    if ((mm = /^\/api\/generations\/([^/]+)\/cancel$/.exec(p))) { const g = state.generations.get(mm[1]); if (g) { g.status = 'cancelled'; state.balance += 1; } return send(res, 200, generationView(g)); }
    if ((mm = /^\/api\/generations\/([^/]+)\/archive$/.exec(p))) return send(res, 200, { url: '/mock-images/0.svg' });
    if (p === '/api/payments' && m === 'POST') {
      const b = await readJson(req); if (!state.email) return fail(res, 400, 'email_required', 'Укажите e-mail для чека');
      const pkg = PACKAGES.find((x) => x.package_id === b.package_id); const id = `o${state.orders.size + 1}`;
      state.orders.set(id, { order_id: id, package_id: pkg.package_id, package_title: pkg.title, photoshoots: pkg.photoshoots, amount_kopecks: pkg.price_kopecks, currency: 'RUB', status: 'paid', cancellation_reason: null, created_at: new Date().toISOString(), paid_at: new Date().toISOString() });
      state.balance += pkg.photoshoots;
      return send(res, 200, { order_id: id, confirmation_url: `/payment/result?order=${id}` });
    }
    if (p === '/api/orders') return send(res, 200, { items: [...state.orders.values()] });
    if ((mm = /^\/api\/orders\/([^/]+)$/.exec(p))) { const o = state.orders.get(mm[1]); return o ? send(res, 200, o) : fail(res, 404, 'not_found', 'Заказ не найден'); }
    return fail(res, 404, 'not_found', 'Не найдено');
  }
  if ((p.startsWith('/mock-images/'))) { const n = Number(p.split('/').pop().split('.')[0]) || 0; res.writeHead(200, { 'Content-Type': 'image/svg+xml' }); return res.end(svg(n, 900, 1200)); }
  let file = join(dist, decodeURIComponent(p));
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});

server.listen(PORT, '127.0.0.1', () => console.log(`mock backend + SPA on http://127.0.0.1:${PORT}`));
