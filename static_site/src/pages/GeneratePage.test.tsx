import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app/App';
import { balanceUpdated } from '../features/auth/authSlice';
import { uploadPhaseChanged, type DraftState } from '../features/generation/draftSlice';
import { config, styles, user } from '../test/fixtures';
import { apiError, mockApi } from '../test/mockApi';
import { renderApp } from '../test/render';

const readyDraft: DraftState = {
  phase: 'ready', uploadProgress: 100, uploadId: 'up1', previewUrl: null, cutoutUrl: null, fileName: 'p.jpg', dimensions: { width: 1000, height: 1000 },
  suggestions: [{ style_id: 'marble', score: 0.9, reason: 'Подчеркнёт премиальность' }], error: null,
  choice: { kind: 'style', style_id: 'marble' }, format: '3:4', requestId: 'r1', previous: null,
};
const state = { auth: { token: 't', user, expired: false }, draft: readyDraft };
const common = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/me/styles': { body: { items: [{ style_id: 's1', title: 'Мой мрамор', prompt: 'мрамор и капли', base_style_id: 'marble', created_at: '' }] } },
  'GET /api/me': { body: user },
  'GET /api/generations/g1': { body: { generation_id: 'g1', status: 'queued', step: 'upload', progress: 0, message: '', eta_s: 40, images: [] } },
};

describe('generate page', () => {
  it('shows suggested styles first with reasons, saved styles, the catalogue and formats from config', async () => {
    mockApi(common);
    renderApp('/generate', state, App);
    const suggested = await screen.findByTestId('style-suggestion-marble');
    expect(suggested).toHaveTextContent('Подчеркнёт премиальность');
    expect(suggested).toHaveAttribute('data-selected', 'true');
    expect(await screen.findByTestId('saved-style-option-s1')).toBeInTheDocument();
    expect(screen.getByTestId('style-option-white')).toBeInTheDocument();
    expect(screen.getByTestId('format-option-3:4')).toHaveAttribute('data-selected', 'true');
    await userEvent.click(screen.getByTestId('format-option-1:1'));
    expect(screen.getByTestId('format-option-1:1')).toHaveAttribute('data-selected', 'true');
  });

  it('tabbing through the description box keeps the chosen style; typing in it chooses the description', async () => {
    mockApi(common);
    const { store } = renderApp('/generate', state, App);
    const box = await screen.findByTestId('custom-prompt-input');
    await userEvent.click(screen.getByTestId('style-option-white'));
    box.focus();
    box.blur();
    expect(store.getState().draft.choice).toEqual({ kind: 'style', style_id: 'white' });
    expect(screen.getByTestId('style-option-white')).toHaveAttribute('data-selected', 'true');
    await userEvent.type(box, 'розовый фон');
    expect(store.getState().draft.choice).toEqual({ kind: 'custom', prompt: 'розовый фон' });
  });

  it('a keyboard user who picked a photo keeps the focus in the step when the preview replaces the button', async () => {
    mockApi(common);
    const { store } = renderApp('/generate', { auth: state.auth }, App);
    const pick = await screen.findByTestId('upload-pick');
    pick.focus();
    act(() => {
      store.dispatch({ type: 'draft/uploadProductPhoto/pending', meta: { requestId: 'r9', arg: { file: new File(['x'], 'p.jpg') } } });
    });
    act(() => {
      store.dispatch(uploadPhaseChanged({ requestId: 'r9', phase: 'uploading', previewUrl: 'blob:preview' }));
    });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('upload-replace')));
  });

  it('the style step is ticked only when the description is long enough to use', async () => {
    mockApi(common);
    const { store } = renderApp('/generate', { ...state, draft: { ...readyDraft, choice: { kind: 'custom', prompt: 'ф' } } }, App);
    const header = await screen.findByTestId('step-2');
    expect(header).toHaveAttribute('data-done', 'false');
    await userEvent.type(screen.getByTestId('custom-prompt-input'), 'он из розовых цветов');
    expect(store.getState().draft.choice).toMatchObject({ kind: 'custom' });
    expect(screen.getByTestId('step-2')).toHaveAttribute('data-done', 'true');
  });

  it('formats are one Tab stop, and the arrows move the choice', async () => {
    mockApi(common);
    const { store } = renderApp('/generate', state, App);
    const current = await screen.findByTestId('format-option-3:4');
    expect(current).toHaveAttribute('tabindex', '0');
    const others = within(screen.getByRole('radiogroup', { name: 'Формат' }))
      .getAllByRole('radio')
      .filter((r) => r !== current);
    expect(others.every((r) => r.getAttribute('tabindex') === '-1')).toBe(true);
    current.focus();
    await userEvent.keyboard('{ArrowRight}');
    const next = store.getState().draft.format;
    expect(next).not.toBe('3:4');
    expect(document.activeElement).toBe(screen.getByTestId(`format-option-${next}`));
    await userEvent.keyboard('{ArrowLeft}');
    expect(store.getState().draft.format).toBe('3:4');
    await userEvent.keyboard('{End}');
    expect(store.getState().draft.format).toBe('3:4');
    await userEvent.keyboard('{Home}');
    expect(store.getState().draft.format).toBe('1:1');
    expect(screen.getByTestId('format-option-1:1')).toHaveFocus();
    await userEvent.keyboard('{End}');
    expect(store.getState().draft.format).toBe('3:4');
    expect(screen.getByTestId('format-option-3:4')).toHaveFocus();
  });

  it('the keyboard crosses the style step in one Tab: photo, chosen style, description, format', async () => {
    mockApi(common);
    renderApp('/generate', { ...state, draft: { ...readyDraft, previewUrl: 'https://s3.local/up1.jpg' } }, App);
    await screen.findByTestId('saved-style-option-s1');
    screen.getByTestId('upload-replace').focus();
    await userEvent.tab();
    expect(screen.getByRole('radio', { name: 'Мрамор', checked: true, description: /Подчеркнёт премиальность/ })).toHaveFocus();
    await userEvent.tab();
    expect(screen.getByTestId('custom-prompt-input')).toHaveFocus();
    await userEvent.tab();
    expect(screen.getByTestId('format-option-3:4')).toHaveFocus();
  });

  it('«Сгенерировать» held back is still reached with Tab and says what is missing; a press sends nothing', async () => {
    const { calls } = mockApi(common);
    renderApp('/generate', { auth: state.auth }, App);
    await screen.findByTestId('saved-style-option-s1');
    const button = screen.getByTestId('generate-button');
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).toHaveAccessibleDescription('Загрузите фото товара');
    screen.getByTestId('format-option-3:4').focus();
    await userEvent.tab();
    expect(button).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await userEvent.click(button);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('sends the choice and opens the live view', async () => {
    const { calls } = mockApi({ ...common, 'POST /api/generations': { status: 202, body: { generation_id: 'g1', status: 'queued' } } });
    renderApp('/generate', state, App);
    await userEvent.click(await screen.findByTestId('saved-style-option-s1'));
    await userEvent.click(screen.getByTestId('generate-button'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/generations/g1'));
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/generations')?.body).toEqual({ upload_id: 'up1', format: '3:4', saved_style_id: 's1' });
    expect(window.__goals?.map((g) => g.target)).toContain('generation_start');
  });

  it('402: a friendly block with a link to the packages, and the bar offers the packages', async () => {
    let refused = false; // the header said 3; the server knows better, and /api/me is re-read after
    mockApi({
      ...common,
      'GET /api/me': () => ({ body: { ...user, balance: refused ? 0 : user.balance } }),
      'POST /api/generations': () => {
        refused = true;
        return apiError(402, 'insufficient_balance', 'Недостаточно фотосессий на балансе');
      },
    });
    const { store } = renderApp('/generate', state, App);
    await userEvent.click(await screen.findByTestId('generate-button'));
    expect(await screen.findByTestId('insufficient-balance')).toBeInTheDocument();
    expect(screen.getByTestId('insufficient-balance-link')).toHaveAttribute('href', '/packages');
    expect(await screen.findByTestId('generate-buy')).toBeInTheDocument();
    // the sticky bar is what a phone shows: it now leads to the packages, the header says 0
    expect(screen.getByTestId('generate-buy')).toHaveAttribute('href', '/packages');
    expect(screen.queryByTestId('generate-button')).toBeNull();
    expect(screen.getByTestId('generate-hint')).toHaveTextContent('На балансе нет фотосессий');
    await waitFor(() => expect(store.getState().auth.user?.balance).toBe(0));
  });

  it('with an empty balance the bar offers the packages before any request', async () => {
    const empty = { ...user, balance: 0 };
    const { calls } = mockApi({ ...common, 'GET /api/me': { body: empty } });
    renderApp('/generate', { ...state, auth: { ...state.auth, user: empty } }, App);
    expect(await screen.findByTestId('generate-buy')).toHaveAttribute('href', '/packages');
    expect(screen.queryByTestId('generate-button')).toBeNull();
    expect(screen.getByTestId('insufficient-balance')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('429: shows the server message', async () => {
    mockApi({ ...common, 'POST /api/generations': apiError(429, 'rate_limited', 'Слишком часто. Подождите минуту.') });
    renderApp('/generate', state, App);
    await userEvent.click(await screen.findByTestId('generate-button'));
    expect(await screen.findByTestId('generate-error')).toHaveTextContent('Слишком часто. Подождите минуту.');
  });

  it('a refused submit is told in the sticky bar, with the focus on it, and the button tries again', async () => {
    let tries = 0;
    mockApi({
      ...common,
      'POST /api/generations': () => {
        tries += 1;
        return tries === 1
          ? apiError(429, 'rate_limited', 'Не больше 10 фотосессий в минуту. Подождите немного.')
          : { status: 202, body: { generation_id: 'g1', status: 'queued' } };
      },
    });
    renderApp('/generate', state, App);
    await userEvent.click(await screen.findByTestId('generate-button'));
    const error = await screen.findByTestId('generate-error');
    // the bar is what a phone shows at the moment of the tap; the form's end is screens away
    expect(error.closest('[data-sticky-submit]')).not.toBeNull();
    expect(error).toHaveAttribute('role', 'alert');
    await waitFor(() => expect(document.activeElement?.contains(error)).toBe(true));
    const retry = screen.getByTestId('generate-button');
    expect(retry).toHaveTextContent('Попробовать ещё раз');
    await userEvent.click(retry);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/generations/g1'));
  });

  it('402 while the header still shows a balance: the bar offers the packages at once, until the balance grows', async () => {
    // /api/me is slow to catch up: only the refusal says the balance is gone
    mockApi({ ...common, 'POST /api/generations': apiError(402, 'insufficient_balance', 'Недостаточно фотосессий на балансе') });
    const { store } = renderApp('/generate', state, App);
    await userEvent.click(await screen.findByTestId('generate-button'));
    const buy = await screen.findByTestId('generate-buy');
    expect(buy.closest('[data-sticky-submit]')).not.toBeNull();
    expect(buy).toHaveAttribute('href', '/packages');
    const hint = screen.getByTestId('generate-hint');
    expect(hint).toHaveAttribute('role', 'alert');
    expect(hint).toHaveTextContent('На балансе нет фотосессий');
    await waitFor(() => expect(document.activeElement).toBe(hint));
    // a package bought in another tab: the socket pushes the new balance, the button is back
    act(() => {
      store.dispatch(balanceUpdated(0));
    });
    expect(screen.getByTestId('generate-buy')).toBeInTheDocument();
    act(() => {
      store.dispatch(balanceUpdated(5));
    });
    expect(await screen.findByTestId('generate-button')).toHaveTextContent('Сгенерировать');
  });

  it('«Заменить фото» with a file that is not a photo keeps the photo shown and «Сгенерировать» usable, with the reason next to it', async () => {
    const { calls } = mockApi(common);
    renderApp('/generate', { ...state, draft: { ...readyDraft, previewUrl: 'https://s3.local/up1.jpg' } }, App);
    expect(await screen.findByTestId('generate-button')).toBeEnabled();
    // a text file renamed .txt: the picker's accept list would hide it, a drop or an old browser does not
    const user = userEvent.setup({ applyAccept: false });
    await user.upload(screen.getByTestId('upload-input'), new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    expect(await screen.findByTestId('upload-error')).toHaveTextContent('Поддерживаются только JPEG, PNG и WebP');
    expect(screen.getByTestId('upload-error')).toHaveTextContent('Осталось прежнее фото');
    expect(screen.getByTestId('upload-preview')).toHaveAttribute('src', 'https://s3.local/up1.jpg');
    expect(screen.getByTestId('upload-dropzone')).toHaveAttribute('data-phase', 'ready');
    expect(screen.getByTestId('generate-button')).toBeEnabled();
    expect(calls.some((c) => c.path === '/api/uploads')).toBe(false);
  });

  it('erasing «Свой вариант» gives back the style picked before it', async () => {
    mockApi(common);
    const { store } = renderApp('/generate', state, App);
    const box = await screen.findByTestId('custom-prompt-input');
    await userEvent.type(box, 'розовый фон');
    expect(store.getState().draft.choice).toEqual({ kind: 'custom', prompt: 'розовый фон' });
    await userEvent.clear(box);
    expect(store.getState().draft.choice).toEqual({ kind: 'style', style_id: 'marble' });
    expect(screen.getByTestId('style-suggestion-marble')).toHaveAttribute('data-selected', 'true');
    expect(screen.getByTestId('generate-button')).toBeEnabled();
  });
});
