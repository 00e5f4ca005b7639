import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import { leaveTo } from '../shared/navigation';
import { THIN_SPACE } from '../shared/format';
import { config, packages, styles, user } from '../test/fixtures';
import { apiError, mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

vi.mock('../shared/navigation', () => ({ leaveTo: vi.fn() }));

const loggedIn = { auth: { token: 't', user, expired: false } };
const common = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/packages': { body: { items: packages } },
  'GET /api/me': { body: user },
};

describe('packages', () => {
  it('shows cards with price per photoshoot, the popular badge and what the user has', async () => {
    mockApi(common);
    renderApp('/packages', loggedIn, App);
    const card = await screen.findByTestId('package-card-business');
    expect(within(card).getByTestId('package-popular-business')).toHaveTextContent('Популярный');
    expect(within(card).getByTestId('package-per-shoot-business').textContent).toBe(`74,50${THIN_SPACE}₽`);
    expect(within(card).getByTestId('package-price-business').textContent).toBe(`1${THIN_SPACE}490${THIN_SPACE}₽`);
    expect(screen.getByTestId('package-card-start')).toHaveAttribute('data-popular', 'false');
    expect(screen.getByTestId('packages-owned')).toHaveTextContent('3');
    expect(window.__goals?.map((g) => g.target)).toContain('view_packages');
  });

  it('asks for an e-mail for the receipt before posting when the profile has none, saves it and goes to checkout', async () => {
    const { calls } = mockApi({
      ...common,
      'POST /api/payments': () =>
        calls.some((c) => c.method === 'PATCH')
          ? { body: { order_id: 'o1', confirmation_url: 'https://yookassa.test/checkout/p1' } }
          : apiError(400, 'email_required', 'Укажите e-mail для чека'),
      'PATCH /api/me': ({ body }) => ({ body: { ...user, ...(body as object) } }),
    });
    renderApp('/packages', loggedIn, App);
    await screen.findByTestId('package-buy-business');
    await waitFor(() => expect(calls.some((c) => c.path === '/api/config')).toBe(true));
    await userEvent.click(screen.getByTestId('package-buy-business'));
    expect(screen.getByTestId('checkout-total').textContent).toBe(`1${THIN_SPACE}490${THIN_SPACE}₽`);
    await userEvent.click(screen.getByTestId('checkout-confirm'));

    const email = await screen.findByTestId('checkout-email-input');
    // known from the profile: no request that could only fail (and log a 400 in the console)
    expect(calls.filter((c) => c.path === '/api/payments')).toHaveLength(0);
    await userEvent.type(email, 'not-an-email');
    await userEvent.click(screen.getByTestId('checkout-email-submit'));
    expect(await screen.findByText(/Проверьте адрес почты/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);

    await userEvent.clear(email);
    await userEvent.type(email, 'shop@example.ru');
    await userEvent.click(screen.getByTestId('checkout-email-submit'));
    await waitFor(() => expect(leaveTo).toHaveBeenCalledWith('https://yookassa.test/checkout/p1'));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ email: 'shop@example.ru' });
    expect(calls.filter((c) => c.path === '/api/payments').map((c) => c.body)).toEqual([{ package_id: 'business' }]);
    const goals = window.__goals!.map((g) => g.target);
    expect(goals).toContain('click_buy');
    expect(goals).toContain('payment_start');
  });

  it('the API asking for an e-mail the profile seemed to have still opens the e-mail form', async () => {
    const withEmail = { ...user, email: 'old@example.ru' };
    mockApi({
      ...common,
      'GET /api/me': { body: withEmail },
      'POST /api/payments': apiError(400, 'email_required', 'Укажите e-mail для чека'),
    });
    renderApp('/packages', { auth: { token: 't', user: withEmail, expired: false } }, App);
    await userEvent.click(await screen.findByTestId('package-buy-business'));
    await userEvent.click(screen.getByTestId('checkout-confirm'));
    expect(await screen.findByTestId('checkout-email-input')).toHaveValue('old@example.ru');
  });

  it('a visitor who is not logged in is sent to login and comes back to the same package', async () => {
    mockApi(common);
    renderApp('/packages', undefined, App);
    await userEvent.click(await screen.findByTestId('package-buy-start'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fpackages%3Fbuy%3Dstart'));
  });
});
