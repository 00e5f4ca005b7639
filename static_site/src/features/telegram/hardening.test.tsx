// What a crafted link, an odd Telegram client or a signed URL can do to the SPA's Telegram layer.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../app/App';
import { startTheme, toHexColor } from '../../app/theme';
import { FakeSocket } from '../../test/fakeSocket';
import { installFakeTelegram } from '../../test/fakeTelegram';
import { sellerRoutes, user } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';
import { isMiniAppLaunch } from '../auth/miniApp';
import { downloadFileName } from './downloads';
import { hostedByTelegram, supports, type TelegramWebApp } from './webApp';

const loggedIn = { auth: { token: 'jwt-web', user, expired: false } };
const common = {
  ...sellerRoutes,
};
// initData the sender got by opening the Mini App themselves: signed by Telegram, for their account
const SENDERS_LAUNCH = '#tgWebAppData=query_id%3D1%26user%3D%257B%2522id%2522%253A666%257D%26hash%3Dvalid&tgWebAppVersion=8.0';
const WEB_APP_SCRIPT = 'https://telegram.org/js/telegram-web-app.js';

type Proxied = Window & { TelegramWebviewProxy?: unknown };

let telegram: ReturnType<typeof installFakeTelegram> | null = null;
afterEach(() => {
  telegram?.uninstall();
  telegram = null;
  delete window.Telegram;
  delete (window as Proxied).TelegramWebviewProxy;
  history.replaceState(null, '', '/');
  document.head.querySelectorAll(`script[src="${WEB_APP_SCRIPT}"]`).forEach((s) => s.remove());
});

/** telegram-web-app.js, as it behaves once loaded: it reads the hash and offers its initData. */
function serveTelegramScript() {
  const append = document.head.appendChild.bind(document.head);
  return vi.spyOn(document.head, 'appendChild').mockImplementation(<T extends Node>(node: T): T => {
    append(node);
    if (node instanceof HTMLScriptElement && node.src === WEB_APP_SCRIPT) {
      const initData = new URLSearchParams(window.location.hash.slice(1)).get('tgWebAppData') ?? '';
      window.Telegram = { WebApp: { initData, version: '8.0', ready() {}, expand() {} } };
      queueMicrotask(() => node.onload?.(new Event('load')));
    }
    return node;
  });
}

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 50)));

describe('a launch hash in a link, opened in a plain browser tab', () => {
  it('is no Mini App launch; in a Telegram client (webview proxy or Telegram Web’s frame) it is', () => {
    expect(hostedByTelegram(window)).toBe(false);
    expect(isMiniAppLaunch(SENDERS_LAUNCH)).toBe(false);
    sessionStorage.setItem('__telegram__initParams', JSON.stringify({ tgWebAppData: 'query_id=1&hash=abc' }));
    expect(isMiniAppLaunch('')).toBe(false);

    (window as Proxied).TelegramWebviewProxy = { postEvent() {} };
    expect(isMiniAppLaunch(SENDERS_LAUNCH)).toBe(true);
    expect(isMiniAppLaunch('')).toBe(true);
    delete (window as Proxied).TelegramWebviewProxy;

    const framed = { parent: {}, sessionStorage: window.sessionStorage } as unknown as Window;
    expect(isMiniAppLaunch(SENDERS_LAUNCH, framed)).toBe(true);
  });

  it('neither loads Telegram’s script nor signs the seller in as the link’s sender', async () => {
    history.replaceState(null, '', `/${SENDERS_LAUNCH}`);
    serveTelegramScript();
    const { calls } = mockApi({ ...common, 'POST /api/auth/webapp': { body: { token: 'jwt-sender', user: { ...user, user_id: 'u-sender' } } } });
    const { store } = renderApp('/', loggedIn, App);
    await screen.findByTestId('tab-create');
    await settle();
    expect(store.getState().auth.token).toBe('jwt-web');
    expect(calls.some((c) => c.path === '/api/auth/webapp')).toBe(false);
    expect(document.head.querySelector(`script[src="${WEB_APP_SCRIPT}"]`)).toBeNull();
  });

  it('inside Telegram’s webview the same launch signs in as it should', async () => {
    history.replaceState(null, '', `/${SENDERS_LAUNCH}`);
    (window as Proxied).TelegramWebviewProxy = { postEvent() {} };
    serveTelegramScript();
    const { calls } = mockApi({ ...common, 'POST /api/auth/webapp': { body: { token: 'jwt-telegram', user } } });
    const { store } = renderApp('/', undefined, App);
    await waitFor(() => expect(store.getState().auth.token).toBe('jwt-telegram'));
    expect(calls.find((c) => c.path === '/api/auth/webapp')?.body).toEqual({
      init_data: 'query_id=1&user=%7B%22id%22%3A666%7D&hash=valid',
    });
  });
});

describe('an old or partial Telegram client', () => {
  const location = () => screen.getByTestId('location').textContent;

  it('a BackButton that throws or lacks methods leaves the page working', async () => {
    telegram = installFakeTelegram();
    const broken = () => {
      throw new Error('WebAppMethodUnsupported');
    };
    telegram.app.BackButton = { show: broken, hide: broken, offClick: broken } as unknown as TelegramWebApp['BackButton'];
    mockApi(common);
    renderApp('/packages', loggedIn, App);
    await screen.findByTestId('tab-create');
    await settle();
    fireEvent.click(screen.getByTestId('tab-profile'));
    await waitFor(() => expect(location()).toBe('/profile'));
    await settle();
    expect(screen.getByTestId('tab-create')).toBeInTheDocument();
  });

  it('haptics without notificationOccurred: the finished photoshoot still shows', async () => {
    telegram = installFakeTelegram();
    telegram.app.HapticFeedback = {} as TelegramWebApp['HapticFeedback'];
    const running = {
      generation_id: 'g1', status: 'running', step: 'generate', progress: 50, message: 'Рисуем', eta_s: 20,
      style_id: 'marble', saved_style_id: null, custom_prompt: null, style_title: 'Мрамор', format: '3:4',
      created_at: '2025-05-01T10:00:00Z', finished_at: null, images: [],
    };
    mockApi({ ...common, 'GET /api/generations/g1': { body: running } });
    renderApp('/generations/g1', loggedIn, App);
    await screen.findByTestId('generation-progress');
    await waitFor(() => expect(FakeSocket.last).toBeTruthy());
    act(() => FakeSocket.last.open());
    act(() => FakeSocket.last.receive({ type: 'generation.status', ...running, status: 'failed', step: 'failed', message: 'Не получилось' }));
    await screen.findByTestId('generation-failed');
    await settle();
    expect(screen.getByTestId('generation-failed')).toBeInTheDocument();
  });

  it('a client that refuses openLink leaves the link to the webview instead of swallowing the tap', async () => {
    telegram = installFakeTelegram();
    telegram.app.openLink = () => {
      throw new Error('WebAppTgUrlInvalid');
    };
    mockApi(common);
    renderApp('/', loggedIn, App);
    await screen.findByTestId('tab-create');
    const support = document.createElement('a');
    support.href = 'https://help.example.com/support';
    document.body.appendChild(support);
    let prevented: boolean | null = null;
    const last = (event: Event) => {
      prevented = event.defaultPrevented;
      event.preventDefault();
    };
    window.addEventListener('click', last);
    fireEvent.click(support);
    window.removeEventListener('click', last);
    support.remove();
    expect(prevented).toBe(false);
  });

  it('a theme start beside a client whose onEvent throws still sets the scheme (it runs before the first render)', () => {
    window.Telegram = {
      WebApp: {
        initData: 'x',
        colorScheme: 'dark',
        onEvent: () => {
          throw new Error('broken');
        },
        offEvent: () => {
          throw new Error('broken');
        },
      },
    };
    let stop: () => void = () => undefined;
    expect(() => {
      stop = startTheme(window, () => Promise.resolve());
    }).not.toThrow();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(() => stop()).not.toThrow();
    delete document.documentElement.dataset.theme;
  });

  it('an isVersionAtLeast answering anything but true supports nothing', () => {
    const odd = { initData: 'x', isVersionAtLeast: () => 'yes' } as unknown as TelegramWebApp;
    expect(supports(odd, '6.1')).toBe(false);
  });
});

describe('the saved file’s name from a signed link', () => {
  const signed = (disposition: string) =>
    `https://media.example/a.zip?response-content-disposition=${encodeURIComponent(disposition)}&X-Amz-Signature=s`;

  it('is the plain name the API set', () => {
    expect(downloadFileName(signed('attachment; filename="photoshoot-01j.zip"'), 'f.zip')).toBe('photoshoot-01j.zip');
    expect(downloadFileName(signed('attachment; filename=photoshoot-01j.zip'), 'f.zip')).toBe('photoshoot-01j.zip');
  });

  it.each([
    'attachment; filename="../../.bashrc"',
    'attachment; filename="C:\\Windows\\x.zip"',
    'attachment; filename=".."',
    'attachment; filename="a\u0007b.zip"',
    "attachment; filename*=UTF-8''%D1%84.zip",
    'attachment',
  ])('falls back for %j', (disposition) => {
    expect(downloadFileName(signed(disposition), 'photoshoot-g1.zip')).toBe('photoshoot-g1.zip');
  });
});

describe('colours handed to Telegram', () => {
  it('are #rrggbb or nothing: a channel past 255 is no colour', () => {
    expect(toHexColor('rgb(300, 0, 0)')).toBeNull();
    expect(toHexColor('rgb(255, 0, 16)')).toBe('#ff0010');
    expect(toHexColor('red; background: url(x)')).toBeNull();
  });
});
