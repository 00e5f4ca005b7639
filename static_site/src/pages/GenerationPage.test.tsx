import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import { FakeSocket } from '../test/fakeSocket';
import { config, styles, user } from '../test/fixtures';
import { apiError, mockApi } from '../test/mockApi';
import { queriesSettled } from '../test/queriesSettled';
import { renderApp } from '../test/render';

const loggedIn = { auth: { token: 'jwt', user, expired: false } };
const running = {
  generation_id: 'g1', status: 'running', step: 'generate', progress: 50, message: 'Рисуем фотографии', eta_s: 20,
  style_id: 'marble', saved_style_id: null, custom_prompt: null, style_title: 'Мрамор', format: '3:4',
  created_at: '2025-05-01T10:00:00Z', finished_at: null, images: [],
};
const image = (index: number) => ({ index, url: `/img/${index}.jpg`, thumb_url: `/img/${index}_t.jpg`, width: 900, height: 1200 });
const common = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/me/styles': { body: { items: [] } },
  'GET /api/me': { body: user },
};

describe('live generation page', () => {
  it('subscribes over the socket, fills the gallery image by image and finishes', async () => {
    mockApi({ ...common, 'GET /api/generations/g1': { body: running } });
    renderApp('/generations/g1', loggedIn, App);
    expect(await screen.findByTestId('generation-progress')).toHaveAttribute('aria-valuenow', '50');

    await waitFor(() => expect(FakeSocket.last?.url).toBe('ws://localhost:8001/ws?token=jwt'));
    const socket = FakeSocket.last;
    act(() => socket.open());
    expect(socket.sent).toContainEqual({ action: 'subscribe', generation_id: 'g1' });

    const status = { type: 'generation.status', generation_id: 'g1', status: 'running', step: 'generate', message: 'Рисуем', eta_s: 10 };
    act(() => socket.receive({ ...status, progress: 70, images: [image(0)] }));
    expect(await screen.findByTestId('gallery-image-0')).toBeInTheDocument();
    act(() => socket.receive({ ...status, progress: 85, images: [image(1)] }));
    expect(await screen.findByTestId('gallery-image-1')).toBeInTheDocument();
    expect(screen.getByTestId('gallery-image-0')).toBeInTheDocument();
    expect(screen.getByTestId('generation-progress')).toHaveAttribute('aria-valuenow', '85');

    act(() => socket.receive({ ...status, status: 'succeeded', step: 'done', progress: 100, message: 'Готово', eta_s: null, images: [image(2)] }));
    expect(await screen.findByTestId('download-all')).toBeInTheDocument();
    expect(screen.getByTestId('gallery')).toHaveAttribute('data-count', '3');
    expect(screen.queryByTestId('generation-cancel')).toBeNull();
    expect(window.__goals?.map((g) => g.target)).toContain('generation_complete');

    await userEvent.click(screen.getByTestId('gallery-image-1'));
    expect(screen.getByTestId('lightbox-image')).toHaveAttribute('src', '/img/1.jpg');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('lightbox')).toBeNull();
  });

  it('resubscribes after the socket drops so the current state arrives again', async () => {
    mockApi({ ...common, 'GET /api/generations/g1': { body: running } });
    renderApp('/generations/g1', loggedIn, App);
    await screen.findByTestId('generation-progress');
    await waitFor(() => expect(FakeSocket.instances.length).toBeGreaterThan(0));
    act(() => FakeSocket.last.open());
    act(() => FakeSocket.last.drop());
    await waitFor(() => expect(FakeSocket.instances).toHaveLength(2)); // the first backoff is 1 s
    act(() => FakeSocket.last.open());
    expect(FakeSocket.last.sent).toContainEqual({ action: 'subscribe', generation_id: 'g1' });
  });

  it('saving the style offers the Russian description, not the renderer prompt', async () => {
    const described = styles.map((st) =>
      st.style_id === 'marble' ? { ...st, description: 'Светлая мраморная столешница и мягкий боковой свет' } : st,
    );
    const { calls } = mockApi({
      ...common,
      'GET /api/styles': { body: { items: described } },
      'GET /api/generations/g1': { body: { ...running, status: 'succeeded', step: 'done', progress: 100, images: [image(0)] } },
      'POST /api/me/styles': ({ body }) => ({ status: 201, body: { style_id: 's1', created_at: '', ...(body as object) } }),
    });
    renderApp('/generations/g1', loggedIn, App);
    await userEvent.click(await screen.findByTestId('save-style'));
    expect(screen.getByTestId('save-style-prompt')).toHaveValue('Светлая мраморная столешница и мягкий боковой свет');
    await userEvent.click(screen.getByTestId('save-style-submit'));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST' && c.path === '/api/me/styles')?.body).toEqual({
        title: 'Мой стиль «Мрамор»', prompt: 'Светлая мраморная столешница и мягкий боковой свет', base_style_id: 'marble',
      }),
    );
    // saved once: the button gives way to a note, so a second click cannot save a copy
    expect(await screen.findByTestId('style-saved')).toHaveTextContent('Стиль сохранён');
    expect(screen.queryByTestId('save-style')).toBeNull();
    expect(calls.filter((c) => c.method === 'POST' && c.path === '/api/me/styles')).toHaveLength(1);
  });

  it('a failure shows the server message as it is (it carries its own advice)', async () => {
    let failed: Record<string, unknown> = {
      ...running, status: 'failed', step: 'done',
      error: {
        code: 'unsupported_image',
        message: 'Файл не похож на изображение. Загрузите фото в формате JPEG, PNG или WebP. Фотосессия вернулась на баланс.',
      },
    };
    mockApi({ ...common, 'GET /api/generations/g1': () => ({ body: failed }) });
    const { unmount } = renderApp('/generations/g1', loggedIn, App);
    const notice = await screen.findByTestId('generation-failed');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Фотосессия не получилась');
    // nothing appended: "choose another style" would be wrong advice for a broken file
    expect(notice.textContent).toBe(
      'Файл не похож на изображение. Загрузите фото в формате JPEG, PNG или WebP. Фотосессия вернулась на баланс.',
    );
    unmount();
    failed = { ...running, status: 'failed', step: 'done', message: '', error: null };
    renderApp('/generations/g1', loggedIn, App);
    expect(await screen.findByTestId('generation-failed')).toHaveTextContent(
      'Не получилось создать фотосессию. Фотосессия вернулась на баланс. Попробуйте ещё раз или выберите другой стиль.',
    );
  });

  it('a run that fails while watched reads the balance again (the photoshoot came back)', async () => {
    let balance = 0;
    const { calls } = mockApi({ ...common, 'GET /api/me': () => ({ body: { ...user, balance } }), 'GET /api/generations/g1': { body: running } });
    renderApp('/generations/g1', loggedIn, App);
    await screen.findByTestId('generation-progress');
    await waitFor(() => expect(FakeSocket.last).toBeTruthy());
    act(() => FakeSocket.last.open());
    const reads = calls.filter((c) => c.path === '/api/me').length;
    balance = 1;
    act(() => FakeSocket.last.receive({ type: 'generation.status', generation_id: 'g1', status: 'failed', step: 'generate', progress: 50, message: 'x', eta_s: null, images: [], error: { code: 'provider_error', message: 'Сервис генерации не смог обработать фото. Фотосессия вернулась на баланс. Попробуйте ещё раз или выберите другой стиль.' } }));
    expect(await screen.findByTestId('generation-failed')).toBeInTheDocument();
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/me').length).toBeGreaterThan(reads));
  });

  it('a run that ends while watched is shown ended in the history right after', async () => {
    let listed = 'running';
    mockApi({
      ...common,
      'GET /api/orders': { body: { items: [] } },
      'GET /api/generations': () => ({ body: { items: [{ ...running, status: listed }], next_cursor: null } }),
      'GET /api/generations/g1': { body: running },
    });
    renderApp('/profile', loggedIn, App);
    const row = await screen.findByTestId('history-item-g1');
    expect(row).toHaveTextContent('Создаётся');
    await userEvent.click(screen.getAllByRole('link', { name: 'Открыть фотосессию' })[0]);
    await screen.findByTestId('generation-progress');
    await waitFor(() => expect(FakeSocket.last).toBeTruthy());
    act(() => FakeSocket.last.open());
    listed = 'succeeded';
    act(() => FakeSocket.last.receive({ type: 'generation.status', generation_id: 'g1', status: 'succeeded', step: 'done', progress: 100, message: 'Готово', eta_s: null, images: [image(0)] }));
    await userEvent.click(screen.getAllByRole('link', { name: 'Профиль' })[0]);
    await waitFor(() => expect(screen.getByTestId('history-item-g1')).toHaveTextContent('Готово'));
    expect(screen.getByTestId('history-download-g1')).toBeInTheDocument();
  });

  it('an unknown generation says so', async () => {
    mockApi({ ...common, 'GET /api/generations/nope': apiError(404, 'not_found', 'Фотосессия не найдена') });
    renderApp('/generations/nope', loggedIn, App);
    expect(await screen.findByTestId('generation-not-found')).toBeInTheDocument();
  });

  it('a 404 that came too early does not hide a generation the socket is reporting', async () => {
    mockApi({ ...common, 'GET /api/generations/g1': apiError(404, 'not_found', 'Фотосессия не найдена') });
    renderApp('/generations/g1', loggedIn, App);
    expect(await screen.findByTestId('generation-not-found')).toBeInTheDocument();
    await waitFor(() => expect(FakeSocket.last).toBeTruthy());
    const socket = FakeSocket.last;
    act(() => socket.open());
    expect(socket.sent).toContainEqual({ action: 'subscribe', generation_id: 'g1' });
    // the subscription's answer: the current state, read consistently
    act(() => socket.receive({ type: 'generation.status', generation_id: 'g1', status: 'running', step: 'generate', progress: 50, message: 'Рисуем', eta_s: 10, images: [] }));
    expect(await screen.findByTestId('generation-progress')).toHaveAttribute('aria-valuenow', '50');
    expect(screen.queryByTestId('generation-not-found')).toBeNull();
  });
});

describe('cancelling a running photoshoot', () => {
  const cancelledAnswer = { ...running, status: 'cancelled', message: 'Генерация отменена. Фотосессия вернулась на баланс.' };
  const cancelCalls = (calls: { method: string; path: string }[]) =>
    calls.filter((c) => c.method === 'POST' && c.path === '/api/generations/g1/cancel');
  const statusPush = (status: string) => ({
    type: 'generation.status', generation_id: 'g1', status, step: status === 'succeeded' ? 'done' : 'generate',
    progress: status === 'succeeded' ? 100 : 60, message: 'x', eta_s: null, images: status === 'succeeded' ? [image(0)] : [],
    error: status === 'failed' ? { code: 'provider_error', message: 'Сервис генерации не смог обработать фото. Фотосессия вернулась на баланс.' } : null,
  });

  it('asks first and sends the cancel only once it is confirmed', async () => {
    let cancelled = false;
    const { calls } = mockApi({
      ...common,
      'GET /api/generations/g1': () => ({ body: cancelled ? cancelledAnswer : running }),
      'POST /api/generations/g1/cancel': () => {
        cancelled = true;
        return { body: cancelledAnswer }; // the API answers with the cancelled generation
      },
    });
    renderApp('/generations/g1', loggedIn, App);
    await userEvent.click(await screen.findByTestId('generation-cancel'));

    const dialog = screen.getByRole('dialog', { name: 'Отменить фотосессию?' });
    expect(dialog).toHaveTextContent('Фотосессия вернётся на баланс');
    // a cancelled photoshoot keeps none of its photos, not even the ones already shown
    expect(dialog).toHaveTextContent('даже те, что уже готовы');
    expect(screen.getByTestId('cancel-generation-keep')).toHaveFocus(); // the safe answer
    expect(cancelCalls(calls)).toHaveLength(0);

    await userEvent.click(screen.getByTestId('cancel-generation-confirm'));
    const notice = await screen.findByTestId('generation-cancelled');
    expect(notice).toHaveTextContent('Генерация отменена. Фотосессия вернулась на баланс.');
    expect(notice.textContent?.match(/на баланс/g)).toHaveLength(1); // said once, not twice
    expect(screen.queryByTestId('cancel-generation-dialog')).toBeNull();
    expect(cancelCalls(calls)).toHaveLength(1);
  });

  it('«Не отменять», Esc and the backdrop keep it running and send nothing', async () => {
    const { calls } = mockApi({ ...common, 'GET /api/generations/g1': { body: running } });
    renderApp('/generations/g1', loggedIn, App);
    const cancel = await screen.findByTestId('generation-cancel');

    await userEvent.click(cancel);
    await userEvent.click(screen.getByTestId('cancel-generation-keep'));
    expect(screen.queryByTestId('cancel-generation-dialog')).toBeNull();
    expect(cancel).toHaveFocus();

    await userEvent.click(cancel);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('cancel-generation-dialog')).toBeNull();

    await userEvent.click(cancel);
    fireEvent.mouseDown(screen.getByTestId('cancel-generation-dialog').parentElement!);
    expect(screen.queryByTestId('cancel-generation-dialog')).toBeNull();

    expect(cancelCalls(calls)).toHaveLength(0);
    expect(screen.getByTestId('generation-view')).toHaveAttribute('data-status', 'running');
  });

  it.each(['succeeded', 'failed'])('closes by itself when the run ends (%s) while it asks', async (status) => {
    const { calls } = mockApi({ ...common, 'GET /api/generations/g1': { body: running } });
    renderApp('/generations/g1', loggedIn, App);
    await userEvent.click(await screen.findByTestId('generation-cancel'));
    expect(screen.getByTestId('cancel-generation-dialog')).toBeInTheDocument();
    await waitFor(() => expect(FakeSocket.last).toBeTruthy());
    act(() => FakeSocket.last.open());

    act(() => FakeSocket.last.receive(statusPush(status)));
    await waitFor(() => expect(screen.getByTestId('generation-view')).toHaveAttribute('data-status', status));
    expect(screen.queryByTestId('cancel-generation-dialog')).toBeNull();
    expect(cancelCalls(calls)).toHaveLength(0);
  });

  it('while the request is on its way the answer cannot be given twice or taken back', async () => {
    let answer: (value: { body: unknown }) => void = () => undefined;
    let cancelled = false;
    const { calls } = mockApi({
      ...common,
      'GET /api/generations/g1': () => ({ body: cancelled ? cancelledAnswer : running }),
      'POST /api/generations/g1/cancel': () =>
        new Promise<{ body: unknown }>((resolve) => {
          answer = (value) => {
            cancelled = true;
            resolve(value);
          };
        }),
    });
    renderApp('/generations/g1', loggedIn, App);
    await userEvent.click(await screen.findByTestId('generation-cancel'));
    const confirm = screen.getByTestId('cancel-generation-confirm');
    await userEvent.click(confirm);

    await waitFor(() => expect(confirm).toBeDisabled());
    expect(confirm).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByTestId('cancel-generation-keep')).toBeDisabled();
    await userEvent.click(confirm);
    await userEvent.keyboard('{Escape}');
    expect(screen.getByTestId('cancel-generation-dialog')).toBeInTheDocument();
    expect(cancelCalls(calls)).toHaveLength(1);

    act(() => answer({ body: cancelledAnswer }));
    expect(await screen.findByTestId('generation-cancelled')).toBeInTheDocument();
    expect(screen.queryByTestId('cancel-generation-dialog')).toBeNull();
    expect(cancelCalls(calls)).toHaveLength(1);
  });

  it('the cancel answer shows the cancelled state at once: no second «Отменить», no going back', async () => {
    let staleReads = 0;
    const { calls } = mockApi({
      ...common,
      // every read left the server before the cancel: the page neither waits for one nor goes back by it
      'GET /api/generations/g1': () => {
        if (cancelCalls(calls).length > 0) staleReads += 1;
        return { body: running };
      },
      'POST /api/generations/g1/cancel': { body: cancelledAnswer },
    });
    const { store } = renderApp('/generations/g1', loggedIn, App);
    await userEvent.click(await screen.findByTestId('generation-cancel'));
    await userEvent.click(screen.getByTestId('cancel-generation-confirm'));

    await waitFor(() => expect(screen.queryByTestId('cancel-generation-dialog')).toBeNull());
    // the moment the question is gone, so is the button that would ask it again (and get a 409)
    expect(screen.queryByTestId('generation-cancel')).toBeNull();
    expect(screen.getByTestId('generation-view')).toHaveAttribute('data-status', 'cancelled');
    expect(screen.getByTestId('generation-cancelled')).toHaveTextContent('Генерация отменена. Фотосессия вернулась на баланс.');

    await waitFor(() => expect(staleReads).toBeGreaterThan(0)); // the refetch after the cancel
    await queriesSettled(store); // its stale answer has been applied (a fixed 50 ms may end first)
    expect(screen.getByTestId('generation-view')).toHaveAttribute('data-status', 'cancelled');
    expect(screen.queryByTestId('generation-cancel')).toBeNull();
    expect(cancelCalls(calls)).toHaveLength(1);
  });

  it('a refusal is shown in Russian in the dialog, and asking again starts clean', async () => {
    mockApi({
      ...common,
      'GET /api/generations/g1': { body: running },
      'POST /api/generations/g1/cancel': apiError(409, 'conflict', 'Генерация уже завершена — отменять нечего.'),
    });
    renderApp('/generations/g1', loggedIn, App);
    await userEvent.click(await screen.findByTestId('generation-cancel'));
    await userEvent.click(screen.getByTestId('cancel-generation-confirm'));
    expect(await screen.findByTestId('cancel-generation-error')).toHaveTextContent('Генерация уже завершена — отменять нечего.');
    expect(screen.getByTestId('cancel-generation-confirm')).toBeEnabled();

    await userEvent.click(screen.getByTestId('cancel-generation-keep'));
    expect(screen.getByRole('alert')).toHaveTextContent('Генерация уже завершена — отменять нечего.'); // still said on the page
    await userEvent.click(screen.getByTestId('generation-cancel'));
    expect(screen.queryByTestId('cancel-generation-error')).toBeNull();
  });
});

describe('socket down', () => {
  it('falls back to polling GET /api/generations/{id} every 3 s', async () => {
    let polls = 0;
    mockApi({
      ...common,
      'GET /api/generations/g1': () => (++polls < 2 ? { body: running } : { body: { ...running, status: 'succeeded', step: 'done', progress: 100, images: [image(0)] } }),
    });
    renderApp('/generations/g1', loggedIn, App); // the fake socket never opens
    expect(await screen.findByTestId('generation-progress')).toHaveAttribute('aria-valuenow', '50');
    // the second poll comes 3 s after the first: on a loaded CI that alone can take the default wait
    expect(await screen.findByTestId('download-all', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(polls).toBeGreaterThanOrEqual(2);
  });
});

describe('gallery', () => {
  const done = (images: unknown[]) => ({ ...running, status: 'succeeded', step: 'done', progress: 100, eta_s: null, images });
  const withDownload = (index: number) => ({ ...image(index), download_url: `/img/${index}.jpg?response-content-disposition=attachment` });

  it('the zoom takes the focus, keeps Tab inside and gives the focus back when closed', async () => {
    mockApi({ ...common, 'GET /api/generations/g1': { body: done([image(0), image(1)]) } });
    renderApp('/generations/g1', loggedIn, App);
    const tile = await screen.findByTestId('gallery-image-1');
    await userEvent.click(tile);
    const dialog = screen.getByTestId('lightbox');
    expect(dialog.contains(document.activeElement)).toBe(true);
    for (let i = 0; i < 6; i += 1) {
      await userEvent.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await userEvent.tab({ shift: true });
    expect(dialog.contains(document.activeElement)).toBe(true);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('lightbox')).toBeNull();
    expect(document.activeElement).toBe(tile);
  });

  it('saving a photo follows the attachment link in place; without one it opens a tab', async () => {
    mockApi({ ...common, 'GET /api/generations/g1': { body: done([withDownload(0), image(1)]) } });
    renderApp('/generations/g1', loggedIn, App);
    const saves = await screen.findByTestId('gallery-download-0');
    expect(saves).toHaveAttribute('href', '/img/0.jpg?response-content-disposition=attachment');
    expect(saves).not.toHaveAttribute('target');
    expect(saves).toHaveAttribute('download', 'photoshoot-g1-1.jpg');
    const opens = screen.getByTestId('gallery-download-1');
    expect(opens).toHaveAttribute('href', '/img/1.jpg');
    expect(opens).toHaveAttribute('target', '_blank');
  });

  it('coming back to a page left open longer than the links live reads fresh links', async () => {
    let reads = 0;
    mockApi({
      ...common,
      'GET /api/generations/g1': () => {
        reads += 1;
        return { body: done([{ ...image(0), url: `/img/0.jpg?v=${reads}` }]) };
      },
    });
    renderApp('/generations/g1', loggedIn, App);
    await screen.findByTestId('gallery-image-0');
    expect(reads).toBe(1);
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 11 * 60 * 1000);
    try {
      act(() => document.dispatchEvent(new Event('visibilitychange')));
      await waitFor(() => expect(reads).toBe(2));
      await userEvent.click(screen.getByTestId('gallery-image-0'));
      expect(screen.getByTestId('lightbox-image')).toHaveAttribute('src', '/img/0.jpg?v=2');
    } finally {
      clock.mockRestore();
    }
  });

  describe('sharing', () => {
    const photos = { 'GET /img/0.jpg': { body: 'jpeg-0' }, 'GET /img/1.jpg': { body: 'jpeg-1' } };
    const stubNavigator = (props: Record<string, unknown>) => {
      for (const [key, value] of Object.entries(props)) Object.defineProperty(navigator, key, { value, configurable: true });
      return () => {
        for (const key of Object.keys(props)) delete (navigator as unknown as Record<string, unknown>)[key];
      };
    };

    it('sends the photos themselves to the share sheet, named as when saved', async () => {
      const share = vi.fn().mockResolvedValue(undefined);
      const restore = stubNavigator({ share, canShare: () => true });
      try {
        mockApi({ ...common, ...photos, 'GET /api/generations/g1': { body: done([image(0), image(1)]) } });
        renderApp('/generations/g1', loggedIn, App);
        await userEvent.click(await screen.findByTestId('share'));
        await waitFor(() => expect(share).toHaveBeenCalledTimes(1));
        const files = share.mock.calls[0][0].files as File[];
        expect(files.map((f) => [f.name, f.type])).toEqual([['photoshoot-g1-1.jpg', 'image/jpeg'], ['photoshoot-g1-2.jpg', 'image/jpeg']]);
        expect(window.__goals?.map((g) => g.target)).toContain('share');
      } finally {
        restore();
      }
    });

    it('when the browser wants a fresh tap after the download, one more tap shares the same files', async () => {
      const share = vi
        .fn()
        .mockRejectedValueOnce(new DOMException('Must be handling a user gesture', 'NotAllowedError'))
        .mockResolvedValue(undefined);
      const restore = stubNavigator({ share, canShare: () => true });
      try {
        const { calls } = mockApi({ ...common, ...photos, 'GET /api/generations/g1': { body: done([image(0), image(1)]) } });
        renderApp('/generations/g1', loggedIn, App);
        await userEvent.click(await screen.findByTestId('share'));
        expect(await screen.findByText('Фото готовы — нажмите «Отправить фото».')).toBeInTheDocument();
        expect(screen.getByTestId('share')).toHaveTextContent('Отправить фото');
        const downloads = calls.filter((c) => c.path.startsWith('/img/')).length;
        await userEvent.click(screen.getByTestId('share'));
        await waitFor(() => expect(share).toHaveBeenCalledTimes(2));
        expect(share.mock.calls[1][0].files).toBe(share.mock.calls[0][0].files);
        expect(calls.filter((c) => c.path.startsWith('/img/'))).toHaveLength(downloads);
        expect(screen.getByTestId('share')).toHaveTextContent('Поделиться');
      } finally {
        restore();
      }
    });

    it('where files cannot be shared, copies the saving link and says how long it lives', async () => {
      const writeText = vi.fn().mockResolvedValue(undefined);
      const restore = stubNavigator({ clipboard: { writeText } });
      try {
        mockApi({ ...common, ...photos, 'GET /api/generations/g1': { body: done([withDownload(0), image(1)]) } });
        renderApp('/generations/g1', loggedIn, App);
        await userEvent.click(await screen.findByTestId('share'));
        await waitFor(() => expect(writeText).toHaveBeenCalledWith('/img/0.jpg?response-content-disposition=attachment'));
        expect(await screen.findByText(/действует 15 минут/)).toBeInTheDocument();
      } finally {
        restore();
      }
    });
  });

  it('while it runs the gallery fills with thumbnails; the photos open and save once it has succeeded', async () => {
    const thumb = (index: number) => ({ index, thumb_url: `/img/${index}_t.jpg`, width: 900, height: 1200 });
    mockApi({ ...common, 'GET /api/generations/g1': { body: { ...running, images: [thumb(0)] } } });
    renderApp('/generations/g1', loggedIn, App);
    const tile = await screen.findByTestId('gallery-image-0');
    expect(tile.tagName).toBe('DIV'); // nothing to open yet
    expect(screen.queryByTestId('gallery-download-0')).toBeNull();
    await waitFor(() => expect(FakeSocket.last).toBeTruthy());
    act(() => FakeSocket.last.open());
    act(() => FakeSocket.last.receive({ type: 'generation.status', generation_id: 'g1', status: 'succeeded', step: 'done', progress: 100, message: 'Готово', eta_s: null, images: [withDownload(0), withDownload(1)] }));
    await userEvent.click(await screen.findByTestId('gallery-image-1'));
    expect(screen.getByTestId('lightbox-image')).toHaveAttribute('src', '/img/1.jpg');
    expect(screen.getByTestId('gallery-download-0')).toBeInTheDocument();
  });

  it('a failed photoshoot shows no gallery (it was refunded)', async () => {
    const thumb = (index: number) => ({ index, thumb_url: `/img/${index}_t.jpg`, width: 900, height: 1200 });
    mockApi({ ...common, 'GET /api/generations/g1': { body: { ...running, status: 'failed', step: 'generate', images: [thumb(0)], error: { code: 'provider_error', message: 'Сервис генерации не смог обработать фото. Фотосессия вернулась на баланс. Попробуйте ещё раз или выберите другой стиль.' } } } });
    renderApp('/generations/g1', loggedIn, App);
    expect(await screen.findByTestId('generation-failed')).toBeInTheDocument();
    expect(screen.queryByTestId('gallery')).toBeNull();
  });

  it('the zoomed photo stays the same when an earlier one arrives meanwhile', async () => {
    mockApi({ ...common, 'GET /api/generations/g1': { body: { ...running, images: [image(1)] } } });
    renderApp('/generations/g1', loggedIn, App);
    await userEvent.click(await screen.findByTestId('gallery-image-1'));
    expect(screen.getByTestId('lightbox-image')).toHaveAttribute('src', '/img/1.jpg');
    await waitFor(() => expect(FakeSocket.last).toBeTruthy());
    act(() => FakeSocket.last.open());
    act(() => FakeSocket.last.receive({ type: 'generation.status', generation_id: 'g1', status: 'running', step: 'generate', progress: 75, message: 'Рисуем', eta_s: 5, images: [image(0)] }));
    expect(await screen.findByTestId('gallery-image-0')).toBeInTheDocument();
    expect(screen.getByTestId('lightbox-image')).toHaveAttribute('src', '/img/1.jpg');
  });
});
