import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { config, styles, user } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const loggedIn = { auth: { token: 't', user, expired: false } };
const generation = (id: string, style_id: string) => ({
  generation_id: id, status: 'succeeded', step: 'done', progress: 100, message: '', eta_s: null, style_id, saved_style_id: null,
  custom_prompt: null, style_title: style_id === 'marble' ? 'Мрамор' : 'Белый фон', format: '3:4', created_at: '2025-05-01T10:00:00Z',
  finished_at: '2025-05-01T10:01:00Z', images: [{ index: 0, url: '/a.jpg', thumb_url: '/a_t.jpg', width: 900, height: 1200 }],
});

// what the profile page reads besides the history
const profileRoutes = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/me': { body: user },
  'GET /api/me/styles': { body: { items: [] } },
  'GET /api/orders': { body: { items: [] } },
};

describe('profile', () => {
  it('filters the generation history by style, date and status and pages with the cursor', async () => {
    const { calls } = mockApi({
      ...profileRoutes,
      'GET /api/generations': ({ search }) => {
        const q = new URLSearchParams(search);
        if (q.get('cursor') === 'c2') return { body: { items: [generation('g3', 'white')], next_cursor: null } };
        if (q.get('style') === 'marble') return { body: { items: [generation('g2', 'marble')], next_cursor: null } };
        return { body: { items: [generation('g1', 'white')], next_cursor: 'c2' } };
      },
    });
    renderApp('/profile', loggedIn, App);
    expect(await screen.findByTestId('history-item-g1')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('history-more'));
    expect(await screen.findByTestId('history-item-g3')).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByTestId('history-filter-style'), 'marble');
    expect(await screen.findByTestId('history-item-g2')).toBeInTheDocument();
    expect(screen.queryByTestId('history-item-g1')).toBeNull();

    await userEvent.type(screen.getByTestId('history-filter-from'), '2025-05-01');
    await userEvent.selectOptions(screen.getByTestId('history-filter-status'), 'queued,running');
    await waitFor(() => {
      const last = calls.filter((c) => c.path === '/api/generations').at(-1)!;
      const q = new URLSearchParams(last.search);
      expect(q.get('style')).toBe('marble');
      expect(q.get('from')).toBe(new Date(2025, 4, 1).toISOString()); // the seller's midnight
      expect(q.get('status')).toBe('queued,running');
    });
  });

  it('filters that find nothing say so and offer to clear them; inverted dates are pointed out', async () => {
    mockApi({
      ...profileRoutes,
      'GET /api/generations': ({ search }) =>
        new URLSearchParams(search).get('style') ? { body: { items: [], next_cursor: null } } : { body: { items: [generation('g1', 'white')], next_cursor: null } },
    });
    renderApp('/profile', loggedIn, App);
    expect(await screen.findByTestId('history-item-g1')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByTestId('history-filter-style'), 'marble');
    expect(await screen.findByTestId('history-nothing-found')).toHaveTextContent('По этим фильтрам фотосессий нет.');
    expect(screen.queryByText('Здесь появятся ваши фотосессии')).toBeNull();
    await userEvent.click(screen.getByTestId('history-reset'));
    expect(await screen.findByTestId('history-item-g1')).toBeInTheDocument();
    expect(screen.getByTestId('history-filter-style')).toHaveValue('');

    await userEvent.type(screen.getByTestId('history-filter-from'), '2025-05-10');
    await userEvent.type(screen.getByTestId('history-filter-to'), '2025-05-01');
    expect(await screen.findByTestId('history-dates-inverted')).toHaveTextContent('поменяйте их местами');
  });

  it('/generations (no id) opens the history in the profile', async () => {
    mockApi({
      ...profileRoutes,
      'GET /api/generations': { body: { items: [generation('g1', 'white')], next_cursor: null } },
    });
    renderApp('/generations', loggedIn, App);
    expect(await screen.findByTestId('history-item-g1')).toBeInTheDocument();
    expect(screen.queryByText('Такой страницы нет')).toBeNull();
  });

  it('saves the e-mail and the notifications toggle, and logs out', async () => {
    const { calls } = mockApi({
      'GET /api/config': { body: config },
      'GET /api/styles': { body: { items: styles } },
      'GET /api/me': { body: user },
      'PATCH /api/me': ({ body }) => ({ body: { ...user, ...(body as object) } }),
      'GET /api/me/styles': { body: { items: [] } },
      'GET /api/orders': { body: { items: [] } },
      'GET /api/generations': { body: { items: [], next_cursor: null } },
      'POST /api/auth/logout': { status: 204 },
    });
    localStorage.setItem('photoshoot.token', 't');
    renderApp('/profile', loggedIn, App);
    await userEvent.type(await screen.findByTestId('settings-email'), 'shop@example.ru');
    await userEvent.click(screen.getByTestId('settings-email-notifications'));
    await userEvent.click(screen.getByTestId('settings-save'));
    expect(await screen.findByTestId('settings-saved')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ email: 'shop@example.ru', email_notifications: false });

    await userEvent.click(screen.getByTestId('logout'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/));
    expect(localStorage.getItem('photoshoot.token')).toBeNull();
    expect(screen.getByTestId('header-login')).toBeInTheDocument();
  });
});
