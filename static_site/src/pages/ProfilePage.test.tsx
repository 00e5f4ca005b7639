import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import { config, styles, user } from '../test/fixtures';
import { apiError, mockApi, type MockCall } from '../test/mockApi';
import { queriesSettled } from '../test/queriesSettled';
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

  it('an empty history says so in a paragraph beside the list, never inside the <ul>', async () => {
    mockApi({ ...profileRoutes, 'GET /api/generations': { body: { items: [], next_cursor: null } } });
    renderApp('/profile', loggedIn, App);
    const empty = await screen.findByText('Здесь появятся ваши фотосессии');
    expect(empty.tagName).toBe('P');
    expect(empty.closest('ul')).toBeNull();
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

describe('logging out', () => {
  it('«Выйти» sends nothing more with the dead session: the private data is dropped, not reloaded', async () => {
    const { calls } = mockApi({
      ...profileRoutes,
      'GET /api/generations': { body: { items: [generation('g1', 'white')], next_cursor: null } },
      'POST /api/auth/logout': { status: 204 },
    });
    localStorage.setItem('photoshoot.token', 't');
    const { store } = renderApp('/profile', loggedIn, App);
    expect(await screen.findByTestId('history-item-g1')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('logout'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/));
    // No fixed sleep (50 ms proved nothing on a busy CI): a refetch would be started by the renders
    // that led here or by the answers to them, so once the home page is up and no request is left
    // running, every request the logout set off has gone out.
    expect(await screen.findByRole('heading', { level: 1 })).toBeInTheDocument();
    await queriesSettled(store);
    const logoutAt = calls.findIndex((c) => c.path === '/api/auth/logout');
    const private_ = ['/api/me', '/api/generations', '/api/me/styles', '/api/orders'];
    expect(calls.slice(logoutAt + 1).filter((c) => private_.includes(c.path))).toEqual([]);
    // nothing of the seller's stays in the cache for whoever uses the browser next
    expect(JSON.stringify(store.getState().api.queries)).not.toContain('g1');
  });
});

describe('deleting from the history', () => {
  const deletes = (calls: MockCall[]) => calls.filter((c) => c.method === 'DELETE');
  const runningOne = { ...generation('g2', 'marble'), status: 'running', step: 'generate', progress: 40, finished_at: null, images: [] };
  /** The history holds g1 (finished) and g2 (running) until a DELETE removes one. */
  function historyApi(onDelete?: (call: MockCall) => { status?: number; body?: unknown } | Promise<{ status?: number; body?: unknown }>) {
    const gone = new Set<string>();
    return mockApi({
      ...profileRoutes,
      'GET /api/generations': () => ({
        body: { items: [generation('g1', 'white'), runningOne].filter((g) => !gone.has(g.generation_id)), next_cursor: null },
      }),
      'DELETE /api/generations/g1': async (call) => {
        const answer = onDelete ? await onDelete(call) : { body: { deleted: true, generation_id: 'g1' } };
        if ((answer.status ?? 200) < 400) gone.add('g1');
        return answer;
      },
      'DELETE /api/generations/g2': () => {
        gone.add('g2');
        return { body: { deleted: true, generation_id: 'g2' } };
      },
    });
  }

  it('asks in the page (not the browser) and deletes only once confirmed', async () => {
    const browserConfirm = vi.spyOn(window, 'confirm');
    const { calls } = historyApi();
    renderApp('/profile', loggedIn, App);
    await userEvent.click(await screen.findByTestId('history-delete-g1'));

    const dialog = screen.getByRole('dialog', { name: 'Удалить фотосессию?' });
    expect(dialog).toHaveTextContent('Фото будут удалены без возможности восстановления.');
    expect(dialog).not.toHaveTextContent('баланс'); // a finished photoshoot is not refunded
    expect(screen.getByTestId('delete-generation-confirm')).toHaveTextContent('Удалить');
    expect(screen.getByTestId('delete-generation-keep')).toHaveFocus(); // the safe answer
    expect(deletes(calls)).toHaveLength(0);

    await userEvent.click(screen.getByTestId('delete-generation-confirm'));
    await waitFor(() => expect(screen.queryByTestId('history-item-g1')).toBeNull());
    expect(screen.queryByTestId('delete-generation-dialog')).toBeNull();
    expect(deletes(calls).map((c) => c.path)).toEqual(['/api/generations/g1']);
    expect(screen.getByTestId('history-item-g2')).toBeInTheDocument();
    expect(browserConfirm).not.toHaveBeenCalled();
  });

  it('a running photoshoot: the question says it stops and comes back to the balance', async () => {
    const { calls } = historyApi();
    renderApp('/profile', loggedIn, App);
    await userEvent.click(await screen.findByTestId('history-delete-g2'));
    const dialog = screen.getByRole('dialog', { name: 'Удалить фотосессию?' });
    expect(dialog).toHaveTextContent('Генерация ещё идёт: она остановится, а фотосессия вернётся на баланс.');
    expect(screen.getByTestId('delete-generation-confirm')).toHaveTextContent('Остановить и удалить');
    const balanceReads = calls.filter((c) => c.path === '/api/me').length;

    await userEvent.click(screen.getByTestId('delete-generation-confirm'));
    await waitFor(() => expect(screen.queryByTestId('history-item-g2')).toBeNull());
    expect(deletes(calls).map((c) => c.path)).toEqual(['/api/generations/g2']);
    // the refund changed the balance shown on the page
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/me').length).toBeGreaterThan(balanceReads));
  });

  it('«Оставить», Esc, the backdrop and × keep it and send nothing', async () => {
    const { calls } = historyApi();
    renderApp('/profile', loggedIn, App);
    const remove = await screen.findByTestId('history-delete-g1');

    await userEvent.click(remove);
    await userEvent.click(screen.getByTestId('delete-generation-keep'));
    expect(screen.queryByTestId('delete-generation-dialog')).toBeNull();
    expect(remove).toHaveFocus();

    await userEvent.click(remove);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('delete-generation-dialog')).toBeNull();

    await userEvent.click(remove);
    fireEvent.mouseDown(screen.getByTestId('delete-generation-dialog').parentElement!);
    expect(screen.queryByTestId('delete-generation-dialog')).toBeNull();

    await userEvent.click(remove);
    await userEvent.click(screen.getByRole('button', { name: 'Закрыть' }));
    expect(screen.queryByTestId('delete-generation-dialog')).toBeNull();

    expect(deletes(calls)).toHaveLength(0);
    expect(screen.getByTestId('history-item-g1')).toBeInTheDocument();
  });

  it('while the request is on its way the answer cannot be given twice or taken back', async () => {
    let answer: () => void = () => undefined;
    const { calls } = historyApi(
      () => new Promise((resolve) => {
        answer = () => resolve({ body: { deleted: true, generation_id: 'g1' } });
      }),
    );
    renderApp('/profile', loggedIn, App);
    await userEvent.click(await screen.findByTestId('history-delete-g1'));
    const confirm = screen.getByTestId('delete-generation-confirm');
    await userEvent.click(confirm);

    await waitFor(() => expect(confirm).toBeDisabled());
    expect(confirm).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByTestId('delete-generation-keep')).toBeDisabled();
    await userEvent.click(confirm);
    await userEvent.keyboard('{Escape}');
    fireEvent.mouseDown(screen.getByTestId('delete-generation-dialog').parentElement!);
    expect(screen.getByTestId('delete-generation-dialog')).toBeInTheDocument();
    expect(deletes(calls)).toHaveLength(1);

    act(() => answer());
    await waitFor(() => expect(screen.queryByTestId('history-item-g1')).toBeNull());
    expect(screen.queryByTestId('delete-generation-dialog')).toBeNull();
    expect(deletes(calls)).toHaveLength(1);
  });

  it('after «Показать ещё» a delete leaves every photoshoot once: the loaded pages reload in step', async () => {
    // 24 photoshoots, 20 a page; the cursor is the last row's id, as the server pages by it
    let all = Array.from({ length: 24 }, (_, i) => generation(`g${String(i + 1).padStart(2, '0')}`, 'white'));
    const { calls } = mockApi({
      ...profileRoutes,
      'GET /api/generations': ({ search }) => {
        const cursor = new URLSearchParams(search).get('cursor');
        const start = cursor ? all.findIndex((g) => g.generation_id === cursor) + 1 : 0;
        const items = all.slice(start, start + 20);
        return { body: { items, next_cursor: start + 20 < all.length ? items.at(-1)!.generation_id : null } };
      },
      'DELETE /api/generations/g01': () => {
        all = all.filter((g) => g.generation_id !== 'g01');
        return { body: { deleted: true, generation_id: 'g01' } };
      },
    });
    renderApp('/profile', loggedIn, App);
    await userEvent.click(await screen.findByTestId('history-more'));
    expect(await screen.findByTestId('history-item-g24')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('history-delete-g01'));
    await userEvent.click(screen.getByTestId('delete-generation-confirm'));
    await waitFor(() => expect(screen.queryByTestId('history-item-g01')).toBeNull());
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/generations').length).toBe(4));
    const rows = screen.getAllByTestId(/^history-item-/).map((row) => row.dataset.testid);
    expect(rows).toHaveLength(23);
    expect(new Set(rows).size).toBe(23);
    expect(screen.queryByTestId('history-more')).toBeNull();
  });

  it('a refusal is shown in Russian in the dialog, and asking again starts clean', async () => {
    historyApi(() => apiError(500, 'internal', 'Не удалось удалить фотосессию. Попробуйте ещё раз.'));
    renderApp('/profile', loggedIn, App);
    await userEvent.click(await screen.findByTestId('history-delete-g1'));
    await userEvent.click(screen.getByTestId('delete-generation-confirm'));
    expect(await screen.findByTestId('delete-generation-error')).toHaveTextContent('Не удалось удалить фотосессию. Попробуйте ещё раз.');
    expect(screen.getByTestId('delete-generation-confirm')).toBeEnabled();
    expect(screen.getByTestId('history-item-g1')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('delete-generation-keep'));
    expect(screen.getByRole('alert')).toHaveTextContent('Не удалось удалить фотосессию.'); // still said on the page
    await userEvent.click(screen.getByTestId('history-delete-g1'));
    expect(screen.queryByTestId('delete-generation-error')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a saved style is deleted after the same in-page question', async () => {
    const browserConfirm = vi.spyOn(window, 'confirm');
    let saved = [{ style_id: 's1', title: 'Мой мрамор', prompt: 'Светлый мрамор и мягкий свет', base_style_id: 'marble', created_at: '' }];
    const { calls } = mockApi({
      ...profileRoutes,
      'GET /api/me/styles': () => ({ body: { items: saved } }),
      'GET /api/generations': { body: { items: [], next_cursor: null } },
      'DELETE /api/me/styles/s1': () => {
        saved = [];
        return { status: 204 };
      },
    });
    renderApp('/profile', loggedIn, App);
    await userEvent.click(await screen.findByTestId('saved-style-delete-s1'));
    expect(screen.getByRole('dialog', { name: 'Удалить стиль?' })).toHaveTextContent('Стиль «Мой мрамор» исчезнет из ваших стилей.');
    expect(screen.getByTestId('delete-style-keep')).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(deletes(calls)).toHaveLength(0);

    await userEvent.click(screen.getByTestId('saved-style-delete-s1'));
    await userEvent.click(screen.getByTestId('delete-style-confirm'));
    await waitFor(() => expect(screen.queryByTestId('saved-style-s1')).toBeNull());
    expect(deletes(calls).map((c) => c.path)).toEqual(['/api/me/styles/s1']);
    expect(browserConfirm).not.toHaveBeenCalled();
  });
});
