import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { config, packages, styles, user } from '../test/fixtures';
import { apiError, mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const admin = { ...user, is_admin: true };
const zero = { signup: 0, generation_start: 0, generation_complete: 0, payment_start: 0, payment_success: 0, payment_refund: 0, revenue_kopecks: 0, refunded_kopecks: 0 };
const stats = {
  from: '2026-03-01',
  to: '2026-03-02',
  days: [
    { day: '2026-03-01', ...zero, signup: 3 },
    { day: '2026-03-02', ...zero, signup: 1, payment_start: 1, payment_success: 1, revenue_kopecks: 149_000 },
  ],
  sources: [
    { source: 'vk', ...zero, signup: 2, payment_start: 1, payment_success: 1, revenue_kopecks: 149_000 },
    { source: 'direct', ...zero, signup: 2 },
  ],
  totals: { ...zero, signup: 4, payment_start: 1, payment_success: 1, payment_refund: 1, revenue_kopecks: 149_000, refunded_kopecks: 49_000 },
};
const adminPackages = packages.map((p, i) => ({ ...p, stars_price: null, active: i === 0, sort: i }));
const common = (me = admin) => ({
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/packages': { body: { items: packages } },
  'GET /api/me': { body: me },
  'GET /api/admin/stats': { body: stats },
  'GET /api/admin/packages': { body: { items: adminPackages } },
  'GET /api/admin/styles': { body: { items: styles.map((s) => ({ ...s, active: true, sort: 0 })) } },
});

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
    expect(screen.getByTestId('admin-total-refunded')).toHaveTextContent('возвраты: 1');

    await userEvent.click(screen.getByTestId('admin-range-7'));
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/admin/stats')).toHaveLength(2));
    const last = new URLSearchParams(calls.filter((c) => c.path === '/api/admin/stats').at(-1)!.search);
    const days = (Date.parse(last.get('to')!) - Date.parse(last.get('from')!)) / 86_400_000 + 1;
    expect(days).toBe(7);
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
    expect(put.body).toMatchObject({ price_kopecks: 59_050, photoshoots: 5, title: 'Старт' });
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
});
