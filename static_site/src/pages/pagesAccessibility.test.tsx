import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { dispatchServerMessage } from '../features/realtime/serverMessages';
import type { DraftState } from '../features/generation/draftSlice';
import type { Order } from '../shared/types';
import { config, styles, user } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const loggedIn = { auth: { token: 't', user, expired: false } };
const common = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/me': { body: user },
  'GET /api/me/styles': { body: { items: [{ style_id: 's1', title: 'Мой мрамор', prompt: 'мрамор и капли', base_style_id: 'marble', created_at: '' }] } },
  'GET /api/orders': { body: { items: [] } },
};

describe('payment result with a screen reader', () => {
  const order: Order = {
    order_id: 'o1', package_id: 'business', package_title: 'Бизнес', photoshoots: 20, amount_kopecks: 149000, currency: 'RUB',
    status: 'pending', cancellation_reason: null, created_at: '2025-05-01T10:00:00Z', paid_at: null,
  };

  it('«Проверяем оплату…» gives way to the answer, whose heading takes the focus and is read', async () => {
    mockApi({ ...common, 'GET /api/orders/o1': { body: order } });
    const { store } = renderApp('/payment/result?order=o1', loggedIn, App);
    await screen.findByTestId('payment-pending');
    act(() => document.body.focus());
    act(() => dispatchServerMessage(store.dispatch, { type: 'order.paid', order_id: 'o1', photoshoots: 20, balance: 23 }));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Оплата прошла!' });
    expect(heading).toHaveFocus();
  });

  it('an unknown order has a page heading too', async () => {
    mockApi(common);
    renderApp('/payment/result?order=nope', loggedIn, App);
    expect(await screen.findByTestId('payment-unknown')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Заказ не найден');
  });
});

describe('profile with a screen reader', () => {
  const generation = {
    generation_id: 'g1', status: 'succeeded', step: 'done', progress: 100, message: '', eta_s: null, style_id: 'marble', saved_style_id: null,
    custom_prompt: null, style_title: 'Мрамор', format: '3:4', created_at: '2025-05-01T10:00:00Z', finished_at: '2025-05-01T10:01:00Z',
    images: [{ index: 0, url: '/a.jpg', thumb_url: '/a_t.jpg', width: 900, height: 1200 }],
  };

  it('the icon buttons of each row and each saved style say which one they act on', async () => {
    mockApi({ ...common, 'GET /api/generations': { body: { items: [generation], next_cursor: null } } });
    renderApp('/profile', loggedIn, App);
    const remove = await screen.findByTestId('history-delete-g1');
    expect(remove).toHaveAccessibleName(/^Удалить фотосессию «Мрамор» от /);
    expect(screen.getByTestId('history-download-g1')).toHaveAccessibleName(/^Скачать архив фотосессии «Мрамор» от /);
    expect(await screen.findByTestId('saved-style-edit-s1')).toHaveAccessibleName('Изменить стиль «Мой мрамор»');
    expect(screen.getByTestId('saved-style-delete-s1')).toHaveAccessibleName('Удалить стиль «Мой мрамор»');
  });

  it('a mistyped e-mail in the settings is said at the field', async () => {
    const { calls } = mockApi({ ...common, 'GET /api/generations': { body: { items: [], next_cursor: null } } });
    renderApp('/profile', loggedIn, App);
    const email = await screen.findByLabelText('Электронная почта');
    expect(email).toHaveAccessibleDescription('Для чеков и уведомлений о готовых фотосессиях');
    await userEvent.type(email, 'shop@');
    await userEvent.click(screen.getByTestId('settings-save'));
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription(/^Проверьте адрес почты/);
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
  });
});

describe('the style step with a screen reader', () => {
  const ready: DraftState = {
    phase: 'ready', uploadProgress: 100, uploadId: 'up1', previewUrl: null, cutoutUrl: null, fileName: 'p.jpg', dimensions: { width: 1000, height: 1000 },
    suggestions: [{ style_id: 'marble', score: 0.9, reason: 'Подчеркнёт премиальность' }], error: null,
    choice: { kind: 'style', style_id: 'marble' }, format: '3:4', requestId: 'r1', previous: null,
  };

  it('the groups of styles are headings under «Стиль», and the description box says how long it must be', async () => {
    mockApi(common);
    renderApp('/generate', { ...loggedIn, draft: ready }, App);
    await screen.findByTestId('saved-style-option-s1');
    expect(screen.getByRole('heading', { level: 2, name: 'Стиль' })).toBeInTheDocument();
    // the sparkle before «Подходит вашему товару» is decoration: not part of the name
    for (const name of ['Подходит вашему товару', 'Мои стили', 'Все стили', 'Свой вариант']) {
      expect(await screen.findByRole('heading', { level: 3, name })).toBeInTheDocument();
    }
    expect(screen.getByTestId('custom-prompt-input')).toHaveAccessibleDescription(/хотя бы 10 символов/);
  });
});
