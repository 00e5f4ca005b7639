import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { catalogueRoutes, loggedIn, user } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const common = catalogueRoutes;

describe('home page', () => {
  it('«Выбрать» on a package opens the checkout for that very package', async () => {
    mockApi(common);
    renderApp('/', loggedIn, App);
    await userEvent.click(await screen.findByTestId('package-buy-business'));
    const dialog = await screen.findByTestId('checkout-dialog');
    expect(dialog).toHaveTextContent('Пакет «Бизнес»');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/packages$/));
  });

  it('a visitor who picks a package logs in first and comes back to the same package', async () => {
    mockApi(common);
    renderApp('/', undefined, App);
    await userEvent.click(await screen.findByTestId('package-buy-start'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fpackages%3Fbuy%3Dstart'));
  });

  it('a visitor is offered the sign-up gift', async () => {
    mockApi(common);
    renderApp('/', undefined, App);
    expect(await screen.findByTestId('home-signup-bonus')).toHaveTextContent('1 фотосессия в подарок при входе');
    expect(screen.getByTestId('home-band')).toHaveTextContent('Первая фотосессия — за наш счёт');
  });

  it('a logged-in seller sees the balance and a call to the next photoshoot, not the sign-up pitch', async () => {
    mockApi(common);
    renderApp('/', loggedIn, App);
    expect(await screen.findByTestId('home-balance')).toHaveTextContent('3 фотосессии на балансе');
    expect(screen.queryByTestId('home-signup-bonus')).toBeNull();
    const band = screen.getByTestId('home-band');
    expect(band).not.toHaveTextContent(/Войдите|за наш счёт/);
    expect(band).toHaveTextContent('На балансе 3 фотосессии');
    expect(within(band).getByRole('link', { name: 'Создать фотосессию' })).toHaveAttribute('href', '/generate');
  });

  it('a logged-in seller with nothing left is led to the packages', async () => {
    mockApi({ ...common, 'GET /api/me': { body: { ...user, balance: 0 } } });
    renderApp('/', { auth: { token: 't', user: { ...user, balance: 0 }, expired: false } }, App);
    const band = await screen.findByTestId('home-band');
    expect(band).toHaveTextContent('Фотосессии закончились');
    expect(within(band).getByRole('link', { name: 'Выбрать пакет' })).toHaveAttribute('href', '/packages');
  });
});
