import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { catalogueRoutes, loggedIn } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';
import { App } from './App';

const common = {
  ...catalogueRoutes,
  'GET /api/me/styles': { body: { items: [] } },
  'GET /api/orders': { body: { items: [] } },
  'GET /api/generations': { body: { items: [], next_cursor: null } },
};

describe('browser tab title', () => {
  it('names the page, in Russian, and changes as the seller moves between pages', async () => {
    mockApi(common);
    renderApp('/', loggedIn, App);
    await waitFor(() => expect(document.title).toBe('Photoshoot — AI-фотосессии для товаров'));

    await userEvent.click(await screen.findByTestId('tab-packages'));
    await waitFor(() => expect(document.title).toBe('Пакеты фотосессий — Photoshoot'));

    await userEvent.click(screen.getByTestId('tab-profile'));
    await waitFor(() => expect(document.title).toBe('Профиль — Photoshoot'));
  });

  it.each([
    ['/login', 'Вход — Photoshoot', undefined],
    ['/payment/result?order=o1', 'Оплата — Photoshoot', loggedIn],
    ['/generations/g1', 'Фотосессия — Photoshoot', loggedIn],
    ['/no-such-page', 'Страница не найдена — Photoshoot', undefined],
  ])('%s is titled «%s»', async (route, title, state) => {
    mockApi(common);
    renderApp(route, state, App);
    await waitFor(() => expect(document.title).toBe(title));
  });
});
