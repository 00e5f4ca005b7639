import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { config, packages, styles, user } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const admin = { ...user, is_admin: true };
const zero = { signup: 0, generation_start: 0, generation_complete: 0, payment_start: 0, payment_success: 0, payment_refund: 0, revenue_kopecks: 0, refunded_kopecks: 0, signup_paid: 0, signup_tracked: 0 };
const stats = {
  from: '2026-03-01', to: '2026-03-02',
  days: [{ day: '2026-03-01', ...zero, signup: 3 }, { day: '2026-03-02', ...zero, signup: 1 }],
  sources: [{ source: 'vk', ...zero, signup: 2, signup_tracked: 2 }],
  totals: { ...zero, signup: 4 },
};
const routes = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/packages': { body: { items: packages } },
  'GET /api/me': { body: admin },
  'GET /api/admin/stats': { body: stats },
  'GET /api/admin/packages': { body: { items: packages.map((p, i) => ({ ...p, stars_price: null, active: true, sort: i, version: 0 })) } },
  'GET /api/admin/styles': { body: { items: styles.map((s) => ({ ...s, active: true, sort: 0, version: 0 })) } },
};
const open = () => renderApp('/admin', { auth: { token: 't', user: admin, expired: false } }, App);

describe('admin page with a keyboard and a screen reader', () => {
  it('the tabs are one Tab stop, the arrows move between them and the panel is named by its tab', async () => {
    mockApi(routes);
    open();
    const stats = await screen.findByRole('tab', { name: 'Статистика' });
    expect(screen.getByRole('tablist')).toHaveAccessibleName('Разделы админки');
    expect(screen.getAllByRole('tab').map((t) => t.getAttribute('tabindex'))).toEqual(['0', '-1', '-1', '-1']);
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('Статистика');
    expect(stats).toHaveAttribute('aria-controls', screen.getByRole('tabpanel').id);

    stats.focus();
    await userEvent.keyboard('{ArrowRight}');
    const packagesTab = screen.getByRole('tab', { name: 'Пакеты' });
    expect(packagesTab).toHaveFocus();
    expect(packagesTab).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('Пакеты');
    await userEvent.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'Заказы на проверке' })).toHaveFocus();
    await userEvent.keyboard('{ArrowRight}');
    expect(stats).toHaveFocus();
    await userEvent.keyboard('{ArrowLeft}');
    expect(screen.getByRole('tab', { name: 'Заказы на проверке' })).toHaveAttribute('aria-selected', 'true');
  });

  it('section titles are h2 under the page h1, and wide tables scroll from the keyboard', async () => {
    mockApi(routes);
    open();
    expect(await screen.findByRole('heading', { level: 2, name: 'По источникам (utm_source)' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'По дням' })).toBeInTheDocument();
    const sources = screen.getByRole('region', { name: 'По источникам' });
    expect(sources).toHaveAttribute('tabindex', '0');
    expect(within(sources).getByTestId('admin-sources')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Пакеты' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Пакеты' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Пакеты' })).toHaveAttribute('tabindex', '0');
    expect(screen.getAllByRole('columnheader').at(-1)).toHaveAccessibleName('Действия');
    expect(screen.getByTestId('admin-package-edit-start')).toHaveAccessibleName('Изменить пакет «Старт»');
  });

  it('a wrong date range is said at the dates themselves', async () => {
    mockApi(routes);
    open();
    const from = await screen.findByTestId('admin-range-from');
    expect(from).not.toHaveAttribute('aria-invalid');
    await userEvent.clear(from);
    await userEvent.type(from, '2025-01-01');
    const problem = screen.getByTestId('admin-range-error').textContent!;
    for (const input of [from, screen.getByTestId('admin-range-to')]) {
      expect(input).toHaveAttribute('aria-invalid', 'true');
      expect(input).toHaveAccessibleDescription(problem);
    }
  });
});
