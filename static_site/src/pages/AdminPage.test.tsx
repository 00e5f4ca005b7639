import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { config, packages, styles, user } from '../test/fixtures';
import { apiError, mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const admin = { ...user, is_admin: true };
const zero = { signup: 0, generation_start: 0, generation_complete: 0, payment_start: 0, payment_success: 0, payment_refund: 0, revenue_kopecks: 0, refunded_kopecks: 0, signup_paid: 0, signup_tracked: 0 };
const stats = {
  from: '2026-03-01',
  to: '2026-03-02',
  days: [
    { day: '2026-03-01', ...zero, signup: 3 },
    { day: '2026-03-02', ...zero, signup: 1, payment_start: 1, payment_success: 1, revenue_kopecks: 149_000 },
  ],
  sources: [
    { source: 'vk', ...zero, signup: 2, signup_tracked: 2, signup_paid: 1, payment_start: 1, payment_success: 1, revenue_kopecks: 149_000 },
    { source: 'direct', ...zero, signup: 2 },
  ],
  totals: { ...zero, signup: 4, payment_start: 1, payment_success: 1, payment_refund: 1, revenue_kopecks: 149_000, refunded_kopecks: 49_000 },
};
const adminPackages = packages.map((p, i) => ({ ...p, stars_price: null, active: i === 0, sort: i, version: i }));
const adminStyles = styles.map((s) => ({ ...s, active: true, sort: 0, version: 0 }));
const common = (me = admin) => ({
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/packages': { body: { items: packages } },
  'GET /api/me': { body: me },
  'GET /api/admin/stats': { body: stats },
  'GET /api/admin/packages': { body: { items: adminPackages } },
  'GET /api/admin/styles': { body: { items: adminStyles } },
});

/** Chrome drops the focus of a button that turns disabled (jsdom keeps it): do it by hand. */
/** The admin page's styles tab: a new style «white» filled in and saved. */
async function createWhiteStyle() {
  renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
  await userEvent.click(await screen.findByTestId('admin-tab-styles'));
  await userEvent.click(await screen.findByTestId('style-new'));
  await userEvent.type(screen.getByTestId('style-form-style_id'), 'white');
  await userEvent.type(screen.getByTestId('style-form-title'), 'Новый белый');
  await userEvent.type(screen.getByTestId('style-form-prompt'), 'pure white');
  await userEvent.click(screen.getByTestId('style-form-save'));
}

function loseFocus() {
  act(() => {
    const busy = document.activeElement as HTMLElement;
    busy.removeAttribute('disabled');
    busy.blur();
    busy.setAttribute('disabled', '');
  });
}

describe('admin page', () => {
  it('shows the header link only to admins', async () => {
    mockApi(common(user));
    renderApp('/profile', { auth: { token: 't', user, expired: false } }, App);
    await screen.findByTestId('header-profile');
    expect(screen.queryByTestId('header-admin')).not.toBeInTheDocument();
    expect(screen.queryByTestId('tab-admin')).not.toBeInTheDocument();
  });

  it('tells a seller the section is for admins only', async () => {
    mockApi(common(user));
    renderApp('/admin', { auth: { token: 't', user, expired: false } }, App);
    expect(await screen.findByTestId('admin-forbidden')).toHaveTextContent('только администраторам');
  });

  it('shows totals, the chart and conversion by source for the chosen period', async () => {
    const { calls } = mockApi(common());
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    expect(await screen.findByTestId('header-admin')).toBeInTheDocument();
    expect(screen.getByTestId('tab-admin')).toHaveAttribute('href', '/admin'); // the mobile tab bar
    const vk = await screen.findByTestId('admin-source-vk');
    expect(within(vk).getByTestId('admin-source-vk-conversion')).toHaveTextContent('50');
    expect(screen.getByTestId('admin-source-direct')).toHaveTextContent('Прямые заходы');
    expect(screen.getAllByTestId('admin-chart-bar')).toHaveLength(2);
    expect(screen.getByTestId('admin-total-signup')).toHaveTextContent('4');
    expect(screen.getByTestId('admin-total-revenue')).toHaveTextContent(/1\s?000/); // 1 490 − 490 ₽
    expect(screen.getByTestId('admin-total-refunded')).toHaveTextContent(/возвращено 490/);

    await userEvent.click(screen.getByTestId('admin-range-7'));
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/admin/stats')).toHaveLength(2));
    const last = new URLSearchParams(calls.filter((c) => c.path === '/api/admin/stats').at(-1)!.search);
    const days = (Date.parse(last.get('to')!) - Date.parse(last.get('from')!)) / 86_400_000 + 1;
    expect(days).toBe(7);
  });

  it('after a 100 ₽ partial refund of a 299 ₽ order, the card, sources, days and chart agree', async () => {
    const paidDay = { ...zero, signup: 1, payment_start: 1, payment_success: 1, revenue_kopecks: 29_900, signup_tracked: 1, signup_paid: 1 };
    // a partial refund leaves the order paid: payment_refund (orders refunded in full) stays 0
    const refundDay = { ...zero, refunded_kopecks: 10_000 };
    const sum = { ...paidDay, refunded_kopecks: 10_000 };
    mockApi({
      ...common(),
      'GET /api/admin/stats': {
        body: { from: '2026-03-01', to: '2026-03-02', days: [{ day: '2026-03-01', ...paidDay }, { day: '2026-03-02', ...refundDay }], sources: [{ source: 'vk', ...sum }], totals: sum },
      },
    });
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    const card = await screen.findByTestId('admin-total-revenue');
    expect(card).toHaveTextContent(/199\s₽/);
    // the money returned is said as money; the count is only of orders refunded in full
    expect(screen.getByTestId('admin-total-refunded')).toHaveTextContent(/оплачено 299\s₽, возвращено 100\s₽/);
    expect(screen.getByTestId('admin-total-refunded-orders')).toHaveTextContent('заказов возвращено целиком: 0');
    expect(card).not.toHaveTextContent('возвраты: 0 на');

    // sources: paid, refunded and net side by side, each headed by what it is
    const headers = within(screen.getByTestId('admin-sources')).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(expect.arrayContaining(['Оплачено', 'Возвращено', 'Выручка за вычетом возвратов']));
    const vk = within(screen.getByTestId('admin-source-vk')).getAllByRole('cell').map((c) => c.textContent);
    const at = (header: string) => vk[headers.indexOf(header)];
    expect(at('Оплачено')).toMatch(/^299\s₽$/);
    expect(at('Возвращено')).toMatch(/^100\s₽$/);
    expect(at('Выручка за вычетом возвратов')).toMatch(/^199\s₽$/);

    // the chart's paid bar is gross and says so; the refund is its own bar; the days add up
    expect(screen.getAllByTestId('admin-chart-bar').map((b) => b.getAttribute('data-value'))).toEqual(['29900', '0']);
    expect(screen.getByTestId('admin-chart-refund')).toHaveAttribute('data-value', '10000');
    expect(screen.getByTestId('admin-chart')).toHaveTextContent('Оплачено (до возвратов)');
    expect(screen.getByTestId('admin-day-2026-03-01-net')).toHaveTextContent(/^299$/);
    expect(screen.getByTestId('admin-day-2026-03-02-net')).toHaveTextContent(/^−100$/);
    expect(screen.getByTestId('admin-day-2026-03-02')).toHaveTextContent(/^02\.03/);
  });

  it('lists the numbers by Moscow day in a table, a long period behind a toggle', async () => {
    const days = Array.from({ length: 30 }, (_, i) => ({ day: `2026-03-${String(i + 1).padStart(2, '0')}`, ...zero, signup: i === 4 ? 7 : 0, payment_success: i === 4 ? 2 : 0, revenue_kopecks: i === 4 ? 59_800 : 0 }));
    mockApi({ ...common(), 'GET /api/admin/stats': { body: { ...stats, from: '2026-03-01', to: '2026-03-30', days } } });
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    const toggle = await screen.findByTestId('admin-days-toggle');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveTextContent('Показать по дням (30 дн.)');
    expect(screen.queryByTestId('admin-days')).not.toBeInTheDocument();

    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const table = screen.getByRole('table', { name: /По дням/ });
    expect(table).toBe(screen.getByTestId('admin-days'));
    // soft hyphens only let the words wrap on a phone
    const headings = within(table).getAllByRole('columnheader').map((h) => h.textContent!.replaceAll('\u00ad', ''));
    expect(headings).toEqual(['День', 'Регистрации', 'Оплаты', 'Оплачено, ₽', 'Возвращено, ₽', 'За вычетом возвратов, ₽']);
    expect(within(table).getAllByRole('row')).toHaveLength(31);
    const fifth = within(screen.getByTestId('admin-day-2026-03-05'));
    expect(fifth.getByRole('rowheader')).toHaveTextContent('05.03');
    expect(fifth.getAllByRole('cell').map((c) => c.textContent)).toEqual(['7', '2', '598', '—', '598']);
  });

  it('names the column of every package and style value, for the one-card-per-item phone layout', async () => {
    mockApi(common());
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    await userEvent.click(await screen.findByTestId('admin-tab-packages'));
    const start = await screen.findByTestId('admin-package-start');
    const labels = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.getAttribute('data-label'));
    // the title heads the card and «Изменить» sits beside it: neither needs a label
    expect(labels(start)).toEqual([null, 'Фотосессий', 'Цена', 'За фотосессию', 'Stars', 'Статус', null]);
    expect(within(start).getByTestId('admin-package-edit-start')).toHaveTextContent('Изменить');

    await userEvent.click(screen.getByTestId('admin-tab-styles'));
    const white = await screen.findByTestId('admin-style-white');
    expect(labels(white)).toEqual([null, 'Теги', 'Порядок', 'Статус', null]);
  });

  it('refuses a range over 92 days before asking the server', async () => {
    mockApi(common());
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    const from = await screen.findByTestId('admin-range-from');
    await userEvent.clear(from);
    await userEvent.type(from, '2025-01-01');
    expect(screen.getByTestId('admin-range-error')).toHaveTextContent('92');
    expect(screen.getByTestId('admin-range-apply')).toBeDisabled();
  });

  it('edits a package inline and sends kopecks', async () => {
    const { calls } = mockApi({
      ...common(),
      'PUT /api/admin/packages/start': ({ body }) => ({ body: { ...adminPackages[0], ...(body as object) } }),
    });
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    await userEvent.click(await screen.findByTestId('admin-tab-packages'));
    await userEvent.click(await screen.findByTestId('admin-package-edit-start'));
    const price = screen.getByTestId('package-form-price_rubles');
    await userEvent.clear(price);
    await userEvent.type(price, '590,50');
    await userEvent.click(screen.getByTestId('package-form-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toMatchObject({ price_kopecks: 59_050, photoshoots: 5, title: 'Старт', version: 0 });
    await waitFor(() => expect(screen.queryByTestId('package-form')).not.toBeInTheDocument());
  });

  it('shows the server refusal in Russian and keeps the form open', async () => {
    mockApi({
      ...common(),
      'PUT /api/admin/styles/white': apiError(400, 'validation_failed', 'Заполните поле «Промпт».'),
    });
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    await userEvent.click(await screen.findByTestId('admin-tab-styles'));
    await userEvent.click(await screen.findByTestId('admin-style-edit-white'));
    await userEvent.click(screen.getByTestId('style-form-save'));
    expect(await screen.findByTestId('style-form-error')).toHaveTextContent('Заполните поле');
    expect(screen.getByTestId('style-form')).toBeInTheDocument();
  });

  it('on a conflict offers the latest version and keeps what the admin typed', async () => {
    // The server side of optimistic concurrency: a save must name the stored version.
    let stored = { ...adminPackages[0] };
    const { calls } = mockApi({
      ...common(),
      'GET /api/admin/packages': () => ({ body: { items: [stored, adminPackages[1]] } }),
      'PUT /api/admin/packages/start': ({ body }) => {
        const { version, ...changes } = body as { version: number };
        if (version !== stored.version) {
          return apiError(409, 'catalogue_conflict', 'Этот пакет уже изменили в другой вкладке или другой администратор. Загрузите актуальную версию — ваша правка не пропадёт.');
        }
        stored = { ...stored, ...changes, version: stored.version + 1 };
        return { body: stored };
      },
    });
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    await userEvent.click(await screen.findByTestId('admin-tab-packages'));
    await userEvent.click(await screen.findByTestId('admin-package-edit-start'));
    const price = screen.getByTestId('package-form-price_rubles');
    await userEvent.clear(price);
    await userEvent.type(price, '590,50');
    stored = { ...stored, title: 'Старт+', version: 1 }; // another admin saves meanwhile

    await userEvent.click(screen.getByTestId('package-form-save'));

    expect(await screen.findByTestId('package-form-error')).toHaveTextContent('уже изменили в другой вкладке');
    expect(screen.getByTestId('package-form-price_rubles')).toHaveValue('590,50'); // nothing typed is lost
    await userEvent.click(screen.getByTestId('package-form-reload'));

    // the form now shows the latest version; the admin's edit waits to be put back
    await waitFor(() => expect(screen.getByTestId('package-form-title')).toHaveValue('Старт+'));
    expect(screen.getByTestId('package-form-price_rubles')).toHaveValue('490,00');
    expect(screen.queryByTestId('package-form-error')).not.toBeInTheDocument();
    expect(screen.getByTestId('package-form-unsaved-price_rubles')).toHaveTextContent('590,50');
    expect(screen.queryByTestId('package-form-unsaved-title')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('package-form-reapply'));
    expect(screen.getByTestId('package-form-price_rubles')).toHaveValue('590,50');
    expect(screen.getByTestId('package-form-title')).toHaveValue('Старт+'); // the other edit stays

    await userEvent.click(screen.getByTestId('package-form-save'));
    await waitFor(() => expect(screen.queryByTestId('package-form')).not.toBeInTheDocument());
    const puts = calls.filter((c) => c.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts[1].body).toMatchObject({ version: 1, price_kopecks: 59_050, title: 'Старт+' });
    expect(stored).toMatchObject({ version: 2, price_kopecks: 59_050, title: 'Старт+' });
  });

  it('keeps the keyboard focus in the form through a conflict and gives it back to the row', async () => {
    let stored = { ...adminPackages[0] };
    let answer: (reply: { status?: number; body?: unknown }) => void = () => {};
    mockApi({
      ...common(),
      'GET /api/admin/packages': () => ({ body: { items: [stored, adminPackages[1]] } }),
      'PUT /api/admin/packages/start': ({ body }) => {
        const { version, ...changes } = body as { version: number };
        if (version !== stored.version) {
          // answered when the test says: meanwhile the busy Save button drops the focus
          return new Promise<{ status?: number; body?: unknown }>((resolve) => {
            answer = resolve;
          });
        }
        stored = { ...stored, ...changes, version: stored.version + 1 };
        return { body: stored };
      },
    });
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    await userEvent.click(await screen.findByTestId('admin-tab-packages'));
    const edit = await screen.findByTestId('admin-package-edit-start');
    await userEvent.click(edit);
    const price = screen.getByTestId('package-form-price_rubles');
    await userEvent.clear(price);
    await userEvent.type(price, '590,50');
    stored = { ...stored, title: 'Старт+', version: 1 }; // another admin saves meanwhile
    await userEvent.click(screen.getByTestId('package-form-save'));
    loseFocus(); // as Chrome does when the busy Save button is disabled
    await act(async () => answer(apiError(409, 'catalogue_conflict', 'Этот пакет уже изменили.')));

    // the refusal takes the lost focus: Enter loads the latest version
    await waitFor(() => expect(screen.getByTestId('package-form-reload')).toHaveFocus());
    await userEvent.keyboard('{Enter}');
    // the button is gone; the notice of what was not saved has the focus, then its answers
    const notice = await screen.findByTestId('package-form-unsaved');
    await waitFor(() => expect(notice.parentElement).toHaveFocus());
    await userEvent.tab();
    expect(screen.getByTestId('package-form-reapply')).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByTestId('package-form-save')).toHaveFocus(); // the next step
    expect(screen.getByTestId('package-form-price_rubles')).toHaveValue('590,50');
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByTestId('package-form')).not.toBeInTheDocument());
    expect(screen.getByTestId('admin-package-edit-start')).toHaveFocus(); // back where it opened
  });

  it('a refusal that arrives with the focus lost takes it, so it is read out', async () => {
    let answer: (reply: { status?: number; body?: unknown }) => void = () => {};
    mockApi({
      ...common(),
      'POST /api/admin/styles': () =>
        new Promise<{ status?: number; body?: unknown }>((resolve) => {
          answer = resolve;
        }),
    });
    await createWhiteStyle();
    await waitFor(() => expect(screen.getByTestId('style-form-save')).toBeDisabled());
    loseFocus();
    await act(async () => answer(apiError(409, 'catalogue_id_taken', 'Стиль с идентификатором «white» уже есть.')));

    const error = await screen.findByTestId('style-form-error');
    await waitFor(() => expect(error.parentElement).toHaveFocus());
    await userEvent.click(screen.getByRole('button', { name: 'Отмена' }));
    expect(screen.getByTestId('style-new')).toHaveFocus(); // back to the button that opened it
  });

  it('after keeping the latest version the focus is on the first field', async () => {
    const stored = { ...adminPackages[0], title: 'Старт+', version: 1 };
    mockApi({
      ...common(),
      'GET /api/admin/packages': () => ({ body: { items: [stored, adminPackages[1]] } }),
      'PUT /api/admin/packages/start': apiError(409, 'catalogue_conflict', 'Этот пакет уже изменили.'),
    });
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    await userEvent.click(await screen.findByTestId('admin-tab-packages'));
    await userEvent.click(await screen.findByTestId('admin-package-edit-start'));
    await userEvent.type(screen.getByTestId('package-form-description'), ' и ещё');
    await userEvent.click(screen.getByTestId('package-form-save'));
    await userEvent.click(await screen.findByTestId('package-form-reload'));
    await userEvent.click(await screen.findByTestId('package-form-dismiss'));
    expect(screen.queryByTestId('package-form-unsaved')).not.toBeInTheDocument();
    expect(screen.getByTestId('package-form-title')).toHaveFocus();
    expect(screen.getByTestId('package-form-title')).toHaveValue('Старт+');
  });

  it('bases the next edit on the version the last save returned', async () => {
    let listCalls = 0;
    let releaseList = () => {};
    const { calls } = mockApi({
      ...common(),
      // The list fetched again after a save is slow: the next edit must not wait for it.
      'GET /api/admin/packages': () => {
        listCalls += 1;
        if (listCalls === 1) return { body: { items: adminPackages } };
        return new Promise((resolve) => {
          releaseList = () => resolve({ body: { items: adminPackages } });
        });
      },
      'PUT /api/admin/packages/start': ({ body }) => {
        const { version, ...changes } = body as { version: number };
        return { body: { ...adminPackages[0], ...changes, version: version + 1 } };
      },
    });
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    await userEvent.click(await screen.findByTestId('admin-tab-packages'));
    for (const title of ['Старт 1', 'Старт 2']) {
      await userEvent.click(await screen.findByTestId('admin-package-edit-start'));
      const field = screen.getByTestId('package-form-title');
      await userEvent.clear(field);
      await userEvent.type(field, title);
      await userEvent.click(screen.getByTestId('package-form-save'));
      await waitFor(() => expect(screen.queryByTestId('package-form')).not.toBeInTheDocument());
    }
    expect(calls.filter((c) => c.method === 'PUT').map((c) => (c.body as { version: number }).version)).toEqual([0, 1]);
    releaseList();
  });

  it('creates a style with POST and says so when the id is taken, keeping the form', async () => {
    const { calls } = mockApi({
      ...common(),
      'POST /api/admin/styles': apiError(409, 'catalogue_id_taken', 'Стиль с идентификатором «white» уже есть. Выберите другой идентификатор или измените существующий стиль в списке.'),
    });
    await createWhiteStyle();

    expect(await screen.findByTestId('style-form-error')).toHaveTextContent('«white» уже есть');
    expect(screen.queryByTestId('style-form-reload')).not.toBeInTheDocument();
    expect(screen.getByTestId('style-form-title')).toHaveValue('Новый белый');
    const post = calls.find((c) => c.method === 'POST' && c.path === '/api/admin/styles')!;
    expect(post.body).toMatchObject({ style_id: 'white', title: 'Новый белый', prompt: 'pure white' });
    expect(post.body).not.toHaveProperty('version');
  });
});

describe('admin page: orders on review', () => {
  const order = (order_id: string, created_at: string, flags: { code: string; label: string }[], extra = {}) => ({
    order_id,
    user_id: '1001',
    provider: 'yookassa',
    status: 'paid',
    currency: 'RUB',
    amount_kopecks: 99_000,
    amount_stars: null,
    photoshoots: 10,
    refunded_kopecks: null,
    payment_id: `pay-${order_id}`,
    created_at,
    updated_at: created_at,
    flags,
    ...extra,
  });

  async function openOrdersTab() {
    renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);
    await userEvent.click(await screen.findByTestId('admin-tab-orders'));
  }

  it('lists flagged orders with Russian labels, raw codes and the order facts', async () => {
    mockApi({
      ...common(),
      'GET /api/admin/orders/flagged': {
        body: {
          items: [
            order(
              'o-new',
              '2026-03-02T10:00:00Z',
              [
                { code: 'partial_refund', label: 'Частичный возврат' },
                { code: 'refund_shortfall', label: 'Возврат больше неизрасходованных фотосессий' },
              ],
              { refunded_kopecks: 40_000 },
            ),
            order('o-stars', '2026-03-01T10:00:00Z', [{ code: 'second_charge', label: 'Повторная оплата звёздами' }], {
              provider: 'stars',
              currency: 'XTR',
              amount_kopecks: 0,
              amount_stars: 250,
            }),
          ],
          next_cursor: null,
        },
      },
    });
    await openOrdersTab();
    expect(await screen.findByRole('heading', { name: 'Заказы на проверке' })).toBeInTheDocument();
    const fresh = await screen.findByTestId('flagged-order-o-new');
    expect(fresh).toHaveTextContent('Частичный возврат');
    expect(fresh).toHaveTextContent('refund_shortfall');
    expect(fresh).toHaveTextContent('ЮKassa');
    expect(fresh).toHaveTextContent('990');
    expect(fresh).toHaveTextContent('10 фотосессий');
    expect(fresh).toHaveTextContent('pay-o-new');
    expect(fresh).toHaveTextContent('оплачен');
    expect(within(fresh).getAllByTestId('flagged-order-flag')).toHaveLength(2);
    expect(within(fresh).getByTestId('flagged-order-refunded')).toHaveTextContent('400');
    const stars = screen.getByTestId('flagged-order-o-stars');
    expect(within(stars).queryByTestId('flagged-order-refunded')).toBeNull();
    expect(stars).toHaveTextContent('Telegram Stars');
    expect(stars).toHaveTextContent('250');
    expect(stars).toHaveTextContent('Повторная оплата звёздами');
    const cards = screen.getAllByTestId(/^flagged-order-o-/);
    expect(cards.map((c) => c.dataset.testid)).toEqual(['flagged-order-o-new', 'flagged-order-o-stars']);
    expect(screen.queryByTestId('flagged-orders-more')).not.toBeInTheDocument();
  });

  it('says so when no order needs a person', async () => {
    mockApi({ ...common(), 'GET /api/admin/orders/flagged': { body: { items: [], next_cursor: null } } });
    await openOrdersTab();
    expect(await screen.findByTestId('flagged-orders-empty')).toHaveTextContent('Заказов на проверке нет');
  });

  it('loads more from the cursor and keeps the newest first', async () => {
    const first = { items: [order('o-2', '2026-03-01T10:00:00Z', [{ code: 'new_flag', label: 'new_flag' }])], next_cursor: 'o-2' };
    const second = { items: [order('o-9', '2026-03-05T10:00:00Z', [{ code: 'amount_mismatch', label: 'Сумма платежа не совпадает с заказом' }])], next_cursor: null };
    const { calls } = mockApi({
      ...common(),
      'GET /api/admin/orders/flagged': (call) => ({ body: call.search.includes('cursor=o-2') ? second : first }),
    });
    await openOrdersTab();
    await screen.findByTestId('flagged-order-o-2');
    await userEvent.click(screen.getByTestId('flagged-orders-more'));
    await screen.findByTestId('flagged-order-o-9');
    const cards = screen.getAllByTestId(/^flagged-order-o-/);
    expect(cards.map((c) => c.dataset.testid)).toEqual(['flagged-order-o-9', 'flagged-order-o-2']);
    expect(calls.filter((c) => c.path === '/api/admin/orders/flagged').map((c) => c.search)).toEqual(['', '?cursor=o-2']);
    expect(screen.queryByTestId('flagged-orders-more')).not.toBeInTheDocument();
  });

  it('shows a Russian error when the list cannot be loaded', async () => {
    mockApi({ ...common(), 'GET /api/admin/orders/flagged': apiError(403, 'admin_only', 'Этот раздел доступен только администраторам.') });
    await openOrdersTab();
    expect(await screen.findByRole('alert')).toHaveTextContent('только администраторам');
  });
});
