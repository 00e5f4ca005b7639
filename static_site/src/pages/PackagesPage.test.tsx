import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import { resetMetrikaForTests } from '../features/analytics/metrika';
import { loggedIn as loggedInAction } from '../features/auth/authSlice';
import { leaveTo } from '../shared/navigation';
import { THIN_SPACE } from '../shared/format';
import { catalogueRoutes, config, loggedIn, user } from '../test/fixtures';
import { apiError, mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

vi.mock('../shared/navigation', () => ({ leaveTo: vi.fn() }));

const common = catalogueRoutes;

const withCounter = { ...common, 'GET /api/config': { body: { ...config, metrika_counter_id: '12345' } } };
const metrikaCalls = (method: string) => (window.ym?.a ?? []).filter((call) => call[1] === method).map((call) => call.slice(2));
const clickBuyGoals = () => window.__goals!.filter((g) => g.target === 'click_buy');

describe('packages', () => {
  afterEach(() => resetMetrikaForTests());

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
    // a screen reader hears what is wrong at the field itself
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription(/Проверьте адрес почты/);
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

  it('view_packages raised on a fresh load, before the config names the counter, still reaches Metrika', async () => {
    mockApi({
      ...withCounter,
      // the config answers only once the page has raised its goal (a fixed 50 ms could end before
      // a slow lazy page mounted, and then nothing waited in the queue)
      'GET /api/config': () =>
        new Promise((resolve) => {
          const answerAfterGoal = () =>
            window.__goals?.some((g) => g.target === 'view_packages')
              ? resolve({ body: { ...config, metrika_counter_id: '12345' } })
              : setTimeout(answerAfterGoal, 5);
          answerAfterGoal();
        }),
    });
    renderApp('/packages', loggedIn, App);
    await waitFor(() => expect(metrikaCalls('reachGoal')).toContainEqual(['view_packages', undefined]));
    expect(metrikaCalls('reachGoal').filter(([goal]) => goal === 'view_packages')).toHaveLength(1);
  });

  it('a visitor\'s click on «Купить» counts click_buy once and the way back from login is one page view', async () => {
    mockApi(withCounter);
    const { store } = renderApp('/packages', undefined, App);
    await userEvent.click(await screen.findByTestId('package-buy-start'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fpackages%3Fbuy%3Dstart'));
    act(() => {
      store.dispatch(loggedInAction({ token: 't', user }));
    });
    expect(await screen.findByTestId('checkout-total')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/packages$/));
    expect(clickBuyGoals().map((g) => g.params?.package_id)).toEqual(['start']);
    const origin = window.location.origin;
    expect(metrikaCalls('hit').map(([url]) => url)).toEqual([
      `${origin}/packages`,
      `${origin}/login?next=%2Fpackages%3Fbuy%3Dstart`,
      `${origin}/packages?buy=start`,
    ]);
  });

  it('a package picked on the home page counts click_buy once, through the login detour too', async () => {
    mockApi(common);
    const { store } = renderApp('/packages?buy=business', undefined, App);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fpackages%3Fbuy%3Dbusiness'));
    expect(clickBuyGoals()).toHaveLength(1);
    act(() => {
      store.dispatch(loggedInAction({ token: 't', user }));
    });
    expect(await screen.findByTestId('checkout-total')).toBeInTheDocument();
    expect(clickBuyGoals().map((g) => g.params?.package_id)).toEqual(['business']);
  });
});
