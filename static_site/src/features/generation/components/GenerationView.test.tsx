import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../../app/App';
import { config, styles, user } from '../../../test/fixtures';
import { mockApi } from '../../../test/mockApi';
import { renderApp } from '../../../test/render';

const loggedIn = { auth: { token: 'jwt', user, expired: false } };
const done = {
  generation_id: 'g1', status: 'succeeded', step: 'done', progress: 100, message: 'Готово', eta_s: null,
  style_id: 'marble', saved_style_id: null, custom_prompt: null, style_title: 'Мрамор', format: '3:4',
  created_at: '2025-05-01T10:00:00Z', finished_at: null,
  images: [{ index: 0, url: '/img/0.jpg', thumb_url: '/img/0_t.jpg', width: 900, height: 1200 }],
};
const common = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/me': { body: user },
};

describe('«Сохранить стиль» on a finished photoshoot', () => {
  it('is not offered again after a reload when the style is among the saved ones', async () => {
    mockApi({
      ...common,
      'GET /api/generations/g1': { body: done },
      // saved on an earlier visit: the catalogue style's description on its base style
      'GET /api/me/styles': { body: { items: [{ style_id: 's1', title: 'Мой стиль «Мрамор»', prompt: 'Мрамор', base_style_id: 'marble', created_at: '' }] } },
    });
    renderApp('/generations/g1', loggedIn, App);
    expect(await screen.findByTestId('style-saved')).toHaveTextContent('уже среди ваших');
    expect(screen.queryByTestId('save-style')).toBeNull();
  });

  it('a description of ones own is offered under its first words', async () => {
    mockApi({
      ...common,
      'GET /api/generations/g1': { body: { ...done, style_id: null, style_title: 'Свой стиль', custom_prompt: 'розовый фон с цветами' } },
      'GET /api/me/styles': { body: { items: [] } },
    });
    renderApp('/generations/g1', loggedIn, App);
    await userEvent.click(await screen.findByTestId('save-style'));
    expect(screen.getByTestId('save-style-title')).toHaveValue('Розовый фон с цветами');
  });
});

describe('the finished photoshoot with the keyboard and a screen reader', () => {
  it('after «Сохранить стиль» the focus is on the note that took the button\'s place, not on the page top', async () => {
    let kept: unknown[] = [];
    mockApi({
      ...common,
      'GET /api/generations/g1': { body: { ...done, style_id: null, style_title: 'Свой стиль', custom_prompt: 'розовый фон с цветами' } },
      'GET /api/me/styles': () => ({ body: { items: kept } }),
      'POST /api/me/styles': ({ body }) => {
        kept = [{ style_id: 's9', base_style_id: null, created_at: '', ...(body as object) }];
        return { status: 201, body: kept[0] };
      },
    });
    renderApp('/generations/g1', loggedIn, App);
    await userEvent.click(await screen.findByTestId('save-style'));
    await userEvent.click(screen.getByTestId('save-style-submit'));
    const note = await screen.findByTestId('style-saved');
    expect(note).toHaveTextContent('Стиль сохранён');
    await waitFor(() => expect(note).toHaveFocus());
  });

  it('what «Поделиться» did is said from a live region that was in the page before it', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    try {
      mockApi({ ...common, 'GET /api/me/styles': { body: { items: [] } }, 'GET /img/0.jpg': { body: 'jpeg' }, 'GET /api/generations/g1': { body: done } });
      renderApp('/generations/g1', loggedIn, App);
      const share = await screen.findByTestId('share');
      const region = screen.getByTestId('generation-notice');
      expect(region).toHaveAttribute('aria-live', 'polite');
      expect(region).toBeEmptyDOMElement();
      await userEvent.click(share);
      await waitFor(() => expect(screen.getByTestId('generation-notice')).toHaveTextContent('Ссылка на первое фото скопирована'));
      expect(screen.getByTestId('generation-notice')).toBe(region);
    } finally {
      delete (navigator as unknown as Record<string, unknown>).clipboard;
    }
  });
});
