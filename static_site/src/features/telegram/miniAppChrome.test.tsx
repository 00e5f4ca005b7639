import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../app/App';
import { leaveTo } from '../../shared/navigation';
import { FakeSocket } from '../../test/fakeSocket';
import { installFakeTelegram } from '../../test/fakeTelegram';
import { sellerRoutes, user } from '../../test/fixtures';
import { apiError, mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';
import { isMiniAppLaunch } from '../auth/miniApp';
import { uploadPhaseChanged, type DraftState } from '../generation/draftSlice';
import { externalTarget } from './externalLinks';

vi.mock('../../shared/navigation', () => ({ leaveTo: vi.fn() }));

const loggedIn = { auth: { token: 'jwt', user, expired: false } };
const common = {
  ...sellerRoutes,
  'POST /api/auth/webapp': { body: { token: 'jwt', user } },
};
const running = {
  generation_id: 'g1', status: 'running', step: 'generate', progress: 50, message: 'Рисуем', eta_s: 20,
  style_id: 'marble', saved_style_id: null, custom_prompt: null, style_title: 'Мрамор', format: '3:4',
  created_at: '2025-05-01T10:00:00Z', finished_at: null, images: [],
};
const S3 = 'https://photoshoot-media.s3.eu-central-1.amazonaws.com';
const photo = (index: number, base = S3) => ({
  index, thumb_url: `${base}/t${index}.jpg`, url: `${base}/${index}.jpg`, width: 900, height: 1200,
  download_url: `${base}/${index}.jpg?response-content-disposition=attachment%3B%20filename%3D%22photoshoot-g1-${index + 1}.jpg%22&X-Amz-Signature=s`,
});
const succeeded = { ...running, status: 'succeeded', step: 'done', progress: 100, message: 'Готово', eta_s: null, images: [photo(0), photo(1)] };
const location = () => screen.getByTestId('location').textContent;

/** Clicks like a person; true when the page would follow the link (nothing prevented it). jsdom cannot follow one. */
function followsLink(element: Element): boolean {
  let followed = true;
  const last = (event: Event) => {
    followed = !event.defaultPrevented;
    event.preventDefault();
  };
  window.addEventListener('click', last);
  fireEvent.click(element);
  window.removeEventListener('click', last);
  return followed;
}

let telegram: ReturnType<typeof installFakeTelegram> | null = null;
afterEach(() => {
  telegram?.uninstall();
  telegram = null;
});

async function openSocket() {
  await waitFor(() => expect(FakeSocket.last).toBeTruthy());
  act(() => FakeSocket.last.open());
  return FakeSocket.last;
}

describe('Telegram BackButton', () => {
  it('is hidden on the start page, shown off it, and goes back through the SPA’s own pages', async () => {
    telegram = installFakeTelegram();
    mockApi(common);
    renderApp('/', loggedIn, App);
    await screen.findByTestId('tab-create');
    expect(telegram.backVisible()).toBe(false);
    expect(telegram.named('BackButton.show')).toHaveLength(0);

    await userEvent.click(screen.getByTestId('tab-create'));
    await waitFor(() => expect(telegram!.backVisible()).toBe(true));
    await userEvent.click(screen.getByTestId('tab-packages'));
    await userEvent.click(screen.getByTestId('tab-profile'));
    expect(location()).toBe('/profile');
    // one handler at a time, however many pages were passed
    expect(telegram.backHandlers()).toBe(1);
    expect(telegram.named('BackButton.onClick').length - telegram.named('BackButton.offClick').length).toBe(1);

    act(() => telegram!.pressBack());
    await waitFor(() => expect(location()).toBe('/packages'));
    act(() => telegram!.pressBack());
    await waitFor(() => expect(location()).toBe('/generate'));
    act(() => telegram!.pressBack());
    await waitFor(() => expect(location()).toBe('/'));
    expect(telegram.backVisible()).toBe(false);
    expect(telegram.backHandlers()).toBe(0);
  });

  it('opened by a deep link (no page of ours before), goes to the start page', async () => {
    telegram = installFakeTelegram();
    mockApi({ ...common, 'GET /api/generations/g1': { body: succeeded } });
    renderApp('/generations/g1', loggedIn, App);
    await screen.findByTestId('generation-view');
    expect(telegram.backVisible()).toBe(true);
    act(() => telegram!.pressBack());
    await waitFor(() => expect(location()).toBe('/'));
    expect(telegram.backVisible()).toBe(false);
  });

  it('is hidden while the webview shows another site (the checkout), and back again on return', async () => {
    telegram = installFakeTelegram();
    mockApi(common);
    renderApp('/packages', loggedIn, App);
    await screen.findByTestId('tab-create');
    expect(telegram.backVisible()).toBe(true);
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    });
    expect(telegram.backVisible()).toBe(false);
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    expect(telegram.backVisible()).toBe(true);
  });

  it('a client older than Bot API 6.1 has no BackButton: not touched', async () => {
    telegram = installFakeTelegram({ version: '6.0' });
    mockApi(common);
    renderApp('/packages', loggedIn, App);
    await screen.findByTestId('tab-create');
    await userEvent.click(screen.getByTestId('tab-create'));
    expect(telegram.calls.filter(([name]) => name.startsWith('BackButton'))).toEqual([]);
  });
});

describe('closing confirmation', () => {
  const readyDraft: DraftState = {
    phase: 'ready', uploadProgress: 100, uploadId: 'up1', previewUrl: null, cutoutUrl: null, fileName: 'p.jpg', dimensions: { width: 1000, height: 1000 },
    suggestions: [], error: null, choice: { kind: 'style', style_id: 'marble' }, format: '3:4', requestId: 'r1', previous: null,
  };

  it('is on only while the product photo is on its way', async () => {
    telegram = installFakeTelegram();
    mockApi(common);
    const { store } = renderApp('/generate', loggedIn, App);
    await screen.findByTestId('upload-pick');
    expect(telegram.named('enableClosingConfirmation')).toHaveLength(0);

    act(() => {
      store.dispatch({ type: 'draft/uploadProductPhoto/pending', meta: { requestId: 'r9', arg: { file: new File(['x'], 'p.jpg') } } });
    });
    act(() => {
      store.dispatch(uploadPhaseChanged({ requestId: 'r9', phase: 'uploading' }));
    });
    act(() => {
      store.dispatch(uploadPhaseChanged({ requestId: 'r9', phase: 'analyzing' }));
    });
    expect(telegram.named('enableClosingConfirmation')).toHaveLength(1);
    expect(telegram.named('disableClosingConfirmation')).toHaveLength(0);

    act(() => {
      store.dispatch({ type: 'draft/uploadProductPhoto/rejected', payload: 'Не удалось загрузить фото.', meta: { requestId: 'r9', rejectedWithValue: true } });
    });
    expect(store.getState().draft.phase).toBe('error');
    expect(telegram.named('disableClosingConfirmation')).toHaveLength(1);
  });

  it('is on while the new photoshoot is being created, and off once the API answered', async () => {
    telegram = installFakeTelegram();
    let answer: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      answer = resolve;
    });
    mockApi({
      ...common,
      'GET /api/generations/g1': { body: running },
      'POST /api/generations': async () => {
        await held;
        return { status: 202, body: { generation_id: 'g1', status: 'queued' } };
      },
    });
    renderApp('/generate', { ...loggedIn, draft: readyDraft }, App);
    await userEvent.click(await screen.findByTestId('generate-button'));
    await waitFor(() => expect(telegram!.named('enableClosingConfirmation')).toHaveLength(1));
    expect(telegram.named('disableClosingConfirmation')).toHaveLength(0);
    answer();
    await waitFor(() => expect(location()).toBe('/generations/g1'));
    expect(telegram.named('disableClosingConfirmation')).toHaveLength(1);
  });
});

describe('haptic feedback on outcomes', () => {
  const haptics = () => telegram!.named('HapticFeedback.notificationOccurred').map((c) => c[1]);

  it('a photoshoot finishing while watched: success, once', async () => {
    telegram = installFakeTelegram();
    mockApi({ ...common, 'GET /api/generations/g1': { body: running } });
    renderApp('/generations/g1', loggedIn, App);
    await screen.findByTestId('generation-progress');
    const socket = await openSocket();
    act(() => socket.receive({ type: 'generation.status', ...running, progress: 80 }));
    expect(haptics()).toEqual([]);
    act(() => socket.receive({ type: 'generation.status', ...succeeded }));
    await screen.findByTestId('download-all');
    // the page goes on rendering (image links refreshed, another message): no second buzz
    act(() => socket.receive({ type: 'generation.status', ...succeeded, message: 'Готово!' }));
    await userEvent.click(screen.getByTestId('gallery-image-1'));
    expect(haptics()).toEqual(['success']);
  });

  it('a photoshoot failing while watched: error', async () => {
    telegram = installFakeTelegram();
    mockApi({ ...common, 'GET /api/generations/g1': { body: running } });
    renderApp('/generations/g1', loggedIn, App);
    await screen.findByTestId('generation-progress');
    const socket = await openSocket();
    act(() => socket.receive({ type: 'generation.status', ...running, status: 'failed', step: 'failed', message: 'Не получилось' }));
    await screen.findByTestId('generation-failed');
    expect(haptics()).toEqual(['error']);
  });

  it('one opened from the history, finished long ago, is no news', async () => {
    telegram = installFakeTelegram();
    mockApi({ ...common, 'GET /api/generations/g1': { body: succeeded } });
    renderApp('/generations/g1', loggedIn, App);
    await screen.findByTestId('download-all');
    expect(haptics()).toEqual([]);
  });

  it('a purchase paid: success once, not again when the result page is opened again', async () => {
    telegram = installFakeTelegram();
    const order = {
      order_id: 'o1', package_id: 'business', package_title: 'Бизнес', photoshoots: 20, amount_kopecks: 149000, currency: 'RUB',
      status: 'paid', cancellation_reason: null, created_at: '2025-05-01T10:00:00Z', paid_at: '2025-05-01T10:01:00Z',
    };
    mockApi({ ...common, 'GET /api/orders/o1': { body: order } });
    const first = renderApp('/payment/result?order=o1', loggedIn, App);
    await screen.findByTestId('payment-success');
    expect(haptics()).toEqual(['success']);
    first.unmount();
    renderApp('/payment/result?order=o1', loggedIn, App);
    await screen.findByTestId('payment-success');
    expect(haptics()).toEqual(['success']);
  });

  it('outside Telegram nothing buzzes (and nothing breaks)', async () => {
    mockApi({ ...common, 'GET /api/generations/g1': { body: running } });
    renderApp('/generations/g1', loggedIn, App);
    await screen.findByTestId('generation-progress');
    const socket = await openSocket();
    act(() => socket.receive({ type: 'generation.status', ...succeeded }));
    expect(await screen.findByTestId('download-all')).toBeInTheDocument();
    expect(localStorage.getItem('photoshoot.haptics_felt')).toBeNull();
  });
});

describe('downloads inside Telegram', () => {
  it('a photo goes to Telegram’s download popup with its name, and the webview does not follow the link', async () => {
    telegram = installFakeTelegram({ version: '8.0' });
    mockApi({ ...common, 'GET /api/generations/g1': { body: succeeded } });
    renderApp('/generations/g1', loggedIn, App);
    const link = await screen.findByTestId('gallery-download-1');
    expect(followsLink(link)).toBe(false);
    expect(telegram.named('downloadFile')).toEqual([['downloadFile', { url: photo(1).download_url, file_name: 'photoshoot-g1-2.jpg' }]]);
  });

  it('the ZIP too, under the name the signed link answers with', async () => {
    telegram = installFakeTelegram({ version: '8.0' });
    const zip = `${S3}/archives/g1.zip?response-content-disposition=attachment%3B%20filename%3D%22photoshoot-01jabc.zip%22&X-Amz-Signature=s`;
    mockApi({ ...common, 'GET /api/generations/g1': { body: succeeded }, 'GET /api/generations/g1/archive': { body: { url: zip, count: 2 } } });
    renderApp('/generations/g1', loggedIn, App);
    await userEvent.click(await screen.findByTestId('download-all'));
    await waitFor(() => expect(telegram!.named('downloadFile')).toEqual([['downloadFile', { url: zip, file_name: 'photoshoot-01jabc.zip' }]]));
    expect(leaveTo).not.toHaveBeenCalled();
  });

  it('falls back to the plain download: before Bot API 8.0, for a link that is not https, and outside Telegram', async () => {
    const plainZip = 'http://127.0.0.1:9000/archives/g1.zip?X-Amz-Signature=s';
    mockApi({
      ...common,
      'GET /api/generations/g1': { body: { ...succeeded, images: [photo(0, 'http://127.0.0.1:9000')] } },
      'GET /api/generations/g1/archive': { body: { url: plainZip, count: 1 } },
    });

    telegram = installFakeTelegram({ version: '8.0' });
    const view = renderApp('/generations/g1', loggedIn, App);
    expect(followsLink(await screen.findByTestId('gallery-download-0'))).toBe(true);
    await userEvent.click(screen.getByTestId('download-all'));
    await waitFor(() => expect(leaveTo).toHaveBeenCalledWith(plainZip));
    view.unmount();
    telegram.uninstall();

    mockApi({ ...common, 'GET /api/generations/g1': { body: succeeded } });
    telegram = installFakeTelegram({ version: '7.10' });
    const old = renderApp('/generations/g1', loggedIn, App);
    expect(followsLink(await screen.findByTestId('gallery-download-0'))).toBe(true);
    old.unmount();
    telegram.uninstall();
    expect(telegram.named('downloadFile')).toEqual([]);

    telegram = null;
    renderApp('/generations/g1', loggedIn, App);
    expect(followsLink(await screen.findByTestId('gallery-download-0'))).toBe(true);
  });
});

describe('links that leave the Mini App', () => {
  it('the bot link of the login opens in Telegram (openTelegramLink), not in the webview', async () => {
    telegram = installFakeTelegram();
    const botLink = 'https://t.me/photoshoot_bot?start=login_abc';
    mockApi({
      ...common,
      'POST /api/auth/webapp': apiError(401, 'login_expired', 'Данные входа устарели.'),
      'POST /api/auth/link': { body: { challenge_id: 'c1', bot_link: botLink, expires_in: 300 } },
      'GET /api/auth/link/c1': { body: { status: 'pending' } },
    });
    renderApp('/login', undefined, App);
    await userEvent.click(await screen.findByTestId('login-link-start'));
    const open = await screen.findByTestId('login-link-open');
    expect(followsLink(open)).toBe(false);
    expect(telegram.named('openTelegramLink')).toEqual([['openTelegramLink', botLink]]);
    expect(telegram.named('openLink')).toEqual([]);
  });

  it('another site opens in the browser (openLink); the app’s own links stay in the SPA', async () => {
    telegram = installFakeTelegram();
    mockApi(common);
    renderApp('/', loggedIn, App);
    await screen.findByTestId('tab-create');
    const support = document.createElement('a');
    support.href = 'https://help.example.com/support';
    support.textContent = 'Поддержка';
    document.body.appendChild(support);
    expect(followsLink(support)).toBe(false);
    expect(telegram.named('openLink')).toEqual([['openLink', 'https://help.example.com/support']]);
    support.remove();

    await userEvent.click(screen.getByTestId('tab-packages'));
    expect(location()).toBe('/packages');
    expect(telegram.named('openLink')).toHaveLength(1);
  });

  it('tells Telegram links from other sites and from the app’s own', () => {
    const here = 'https://photoshoot.example/packages';
    expect(externalTarget('https://t.me/photoshoot_bot', here)).toBe('telegram');
    expect(externalTarget('https://yookassa.ru/checkout', here)).toBe('browser');
    expect(externalTarget('/generate', here)).toBeNull();
    expect(externalTarget('https://photoshoot.example/profile', here)).toBeNull();
    expect(externalTarget('mailto:help@photoshoot.example', here)).toBeNull();
  });

  it('outside Telegram a link is a link', async () => {
    mockApi(common);
    renderApp('/', loggedIn, App);
    await screen.findByTestId('tab-create');
    const support = document.createElement('a');
    support.href = 'https://help.example.com/support';
    document.body.appendChild(support);
    expect(followsLink(support)).toBe(true);
    support.remove();
  });
});

describe('fullscreen', () => {
  it('keeps the header and the tab bar clear of Telegram’s controls and the notch, only in fullscreen', async () => {
    telegram = installFakeTelegram({ version: '8.0', fullscreen: true });
    mockApi(common);
    renderApp('/', loggedIn, App);
    const header = (await screen.findByTestId('header-profile')).closest('header')!;
    const tabbar = screen.getByTestId('tab-create').closest('nav')!;
    expect(header.style.paddingTop).toContain('--tg-content-safe-area-inset-top');
    expect(header.style.paddingTop).toContain('--tg-safe-area-inset-top');
    expect(tabbar.style.paddingBottom).toContain('--tg-safe-area-inset-bottom');

    act(() => telegram!.setFullscreen(false));
    expect(header.style.paddingTop).toBe('');
    expect(tabbar.style.paddingBottom).toBe('');
  });

  it('outside Telegram the layout has no inline insets', async () => {
    mockApi(common);
    renderApp('/', loggedIn, App);
    const header = (await screen.findByTestId('header-profile')).closest('header')!;
    expect(header.getAttribute('style')).toBeNull();
  });
});

describe('back from the checkout', () => {
  it('a page loaded without the launch hash is still the Mini App when this tab was launched so', () => {
    const client = window as Window & { TelegramWebviewProxy?: unknown };
    client.TelegramWebviewProxy = { postEvent() {} }; // the same Telegram webview
    expect(isMiniAppLaunch('')).toBe(false);
    // what telegram-web-app.js keeps for a later load in the same tab (return_url of YooKassa)
    sessionStorage.setItem('__telegram__initParams', JSON.stringify({ tgWebAppData: 'query_id=1&hash=abc', tgWebAppVersion: '8.0' }));
    expect(isMiniAppLaunch('')).toBe(true);
    sessionStorage.setItem('__telegram__initParams', JSON.stringify({ tgWebAppVersion: '8.0' }));
    expect(isMiniAppLaunch('')).toBe(false);
    delete client.TelegramWebviewProxy;
  });
});
