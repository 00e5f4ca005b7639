import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { loggedOut, userLoaded } from '../features/auth/authSlice';
import { styleChosen } from '../features/generation/draftSlice';
import { loadDraft } from '../features/generation/draftStorage';
import { setupStore } from '../app/store';
import { unauthorized } from '../shared/api';
import { config, styles, user } from '../test/fixtures';
import { apiError, mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const common = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/me/styles': { body: { items: [] } },
  'GET /api/me': { body: user },
};
const signedIn = { auth: { token: 't', user: null, expired: false } };
const keep = (draft: object) =>
  sessionStorage.setItem('photoshoot.draft', JSON.stringify({ userId: user.id, savedAt: Date.now(), ...draft }));
const savedDraft = {
  uploadId: 'up9', fileName: 'bottle.jpg', dimensions: { width: 900, height: 1200 },
  choice: { kind: 'style', style_id: 'white' }, format: '1:1',
};

describe('the /generate draft across the payment page', () => {
  it('comes back with its photo checked again, its style and format, ready to generate', async () => {
    keep(savedDraft);
    const { calls } = mockApi({
      ...common,
      'GET /api/uploads/up9/suggestions': {
        body: {
          upload_id: 'up9', width: 900, height: 1200, suggestions: [{ style_id: 'marble', score: 0.9, reason: 'к стеклу' }],
          cutout_url: 'https://s3.local/uploads/u1/up9.cutout.png?sig=new', photo_url: 'https://s3.local/uploads/u1/up9?sig=new',
        },
      },
      'POST /api/generations': { status: 202, body: { generation_id: 'g9', status: 'queued' } },
      'GET /api/generations/g9': { body: { generation_id: 'g9', status: 'queued', step: 'upload', progress: 0, message: '', eta_s: 9, images: [] } },
    });
    renderApp('/generate', signedIn, App);
    expect(await screen.findByTestId('upload-ready')).toBeInTheDocument();
    expect(screen.getByTestId('upload-preview')).toHaveAttribute('src', 'https://s3.local/uploads/u1/up9?sig=new');
    expect(screen.getByText('bottle.jpg')).toBeInTheDocument();
    expect(screen.getByTestId('format-option-1:1')).toHaveAttribute('data-selected', 'true');
    expect(await screen.findByTestId('style-option-white')).toHaveAttribute('data-selected', 'true');

    await userEvent.click(screen.getByTestId('generate-button'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/generations/g9'));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ upload_id: 'up9', format: '1:1', style_id: 'white' });
  });

  it('a restored style is the one the keyboard lands on, and a restored description is chosen with its text', async () => {
    keep({ ...savedDraft, uploadId: null });
    mockApi(common);
    const { unmount } = renderApp('/generate', signedIn, App);
    const white = await screen.findByTestId('style-option-white');
    await waitFor(() => expect(white).toHaveAttribute('aria-checked', 'true'));
    expect(white).toHaveAttribute('tabindex', '0');
    screen.getByTestId('upload-pick').focus();
    await userEvent.tab();
    expect(white).toHaveFocus();
    unmount();

    keep({ ...savedDraft, uploadId: null, choice: { kind: 'custom', prompt: 'флакон на мокром камне' } });
    renderApp('/generate', signedIn, App);
    const custom = await screen.findByRole('radio', { name: 'Своими словами' });
    await waitFor(() => expect(custom).toHaveAttribute('aria-checked', 'true'));
    expect(custom).toHaveAttribute('tabindex', '0');
    expect(screen.getByTestId('custom-prompt-input')).toHaveValue('флакон на мокром камне');
  });

  it('says so when the photo is gone, and keeps the style', async () => {
    keep(savedDraft);
    mockApi({
      ...common,
      'GET /api/uploads/up9/suggestions': apiError(404, 'not_found', 'Загрузка не найдена. Загрузите фото ещё раз.'),
    });
    renderApp('/generate', signedIn, App);
    expect(await screen.findByText('Загрузка не найдена. Загрузите фото ещё раз.')).toBeInTheDocument();
    expect(await screen.findByTestId('style-option-white')).toHaveAttribute('data-selected', 'true');
    await waitFor(() => expect(loadDraft(user.id)).toMatchObject({ uploadId: null, choice: savedDraft.choice }));
  });

  it('is not restored for another account, and signing out forgets it', () => {
    keep({ ...savedDraft, userId: 'someone-else' });
    mockApi(common);
    const store = setupStore(signedIn);
    store.dispatch(userLoaded(user));
    expect(store.getState().draft.choice).toBeNull();

    store.dispatch(styleChosen({ kind: 'style', style_id: 'marble' }));
    expect(loadDraft(user.id)).toMatchObject({ choice: { kind: 'style', style_id: 'marble' }, uploadId: null });
    store.dispatch(loggedOut());
    expect(store.getState().draft.choice).toBeNull();
    expect(sessionStorage.getItem('photoshoot.draft')).toBeNull();
  });

  it('an expired session empties the page but keeps the draft for the same seller signing in again', () => {
    mockApi(common);
    const store = setupStore(signedIn);
    store.dispatch(userLoaded(user));
    store.dispatch(styleChosen({ kind: 'style', style_id: 'marble' }));
    store.dispatch(unauthorized());
    expect(store.getState().draft.choice).toBeNull();
    expect(loadDraft(user.id)).toMatchObject({ choice: { kind: 'style', style_id: 'marble' } });
    store.dispatch(userLoaded(user));
    expect(store.getState().draft.choice).toEqual({ kind: 'style', style_id: 'marble' });
  });
});
