import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { catalogueRoutes, loggedIn } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const routes = {
  ...catalogueRoutes,
  'GET /api/me/styles': { body: { items: [] } },
  'GET /api/orders': { body: { items: [] } },
  'GET /api/generations': { body: { items: [], next_cursor: null } },
};

describe('moving between pages with a keyboard or a screen reader', () => {
  it('a header link that stays on screen gives the focus to the new page’s heading', async () => {
    mockApi(routes);
    renderApp('/', loggedIn, App);
    await screen.findByRole('heading', { level: 1 });
    const link = screen.getByRole('navigation', { name: 'Основное меню' }).querySelector('a[href="/packages"]') as HTMLElement;
    await userEvent.click(link);
    const heading = await screen.findByRole('heading', { level: 1, name: 'Пакеты фотосессий' });
    await waitFor(() => expect(heading).toHaveFocus());
  });

  it('a link that leaves with the old page does not drop the focus on the body', async () => {
    mockApi(routes);
    renderApp('/packages', loggedIn, App);
    await screen.findByRole('heading', { level: 1, name: 'Пакеты фотосессий' });
    await userEvent.click(screen.getByText('Создать фотосессию', { selector: 'footer a' }));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Новая фотосессия' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(document.activeElement).not.toBe(document.body);
  });

  it('the first Tab reaches «Перейти к содержанию», which moves past the header to the page', async () => {
    mockApi(routes);
    renderApp('/packages', loggedIn, App);
    await screen.findByRole('heading', { level: 1 });
    await userEvent.tab();
    const skip = screen.getByRole('link', { name: 'Перейти к содержанию' });
    expect(skip).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByRole('main')).toHaveFocus();
    await userEvent.tab();
    expect(screen.getByRole('main').contains(document.activeElement)).toBe(true);
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/packages$/);
  });

  it('a focus the user moved while the new page was loading is not taken away', async () => {
    const running = {
      generation_id: 'g1', status: 'running', step: 'generate', progress: 10, message: '', eta_s: null, style_id: 'marble',
      saved_style_id: null, custom_prompt: null, style_title: 'Мрамор', format: '3:4', created_at: '2025-05-01T10:00:00Z',
      finished_at: null, images: [],
    };
    let answer: (value: { body: unknown }) => void = () => undefined;
    mockApi({
      ...routes,
      'GET /api/generations': { body: { items: [running], next_cursor: null } },
      'GET /api/generations/g1': () => new Promise((resolve) => (answer = resolve)),
    });
    renderApp('/profile', loggedIn, App);
    await userEvent.click((await screen.findAllByRole('link', { name: 'Открыть фотосессию' }))[0]);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/generations/g1'));
    const logo = screen.getByRole('link', { name: 'Photoshoot — на главную' });
    act(() => logo.focus());
    act(() => answer({ body: running }));
    await screen.findByRole('heading', { level: 1, name: 'Создаём фотосессию' });
    expect(logo).toHaveFocus();
  });
});
