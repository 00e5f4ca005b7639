import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
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
