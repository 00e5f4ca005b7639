import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../../app/App';
import { FakeSocket } from '../../../test/fakeSocket';
import { config, styles, user } from '../../../test/fixtures';
import { mockApi } from '../../../test/mockApi';
import { renderApp } from '../../../test/render';
import type { DraftState } from '../draftSlice';
import { Lightbox } from './Lightbox';
import { PhotoDropzone } from './PhotoDropzone';

const loggedIn = { auth: { token: 'jwt', user, expired: false } };
const image = (index: number) => ({ index, url: `/img/${index}.jpg`, thumb_url: `/img/${index}_t.jpg`, width: 900, height: 1200 });
const running = {
  generation_id: 'g1', status: 'running', step: 'generate', progress: 50, message: 'Рисуем фотографии', eta_s: 20,
  style_id: 'marble', saved_style_id: null, custom_prompt: null, style_title: 'Мрамор', format: '3:4',
  created_at: '2025-05-01T10:00:00Z', finished_at: null, images: [],
};
const common = {
  'GET /api/config': { body: config },
  'GET /api/styles': { body: { items: styles } },
  'GET /api/me/styles': { body: { items: [] } },
  'GET /api/me': { body: user },
};
const push = (status: string) => ({
  type: 'generation.status', generation_id: 'g1', status, step: 'done', progress: 100, message: 'Готово! 1 фото в галерее', eta_s: null,
  images: [image(0)],
});

async function watch() {
  mockApi({ ...common, 'GET /api/generations/g1': { body: running } });
  renderApp('/generations/g1', loggedIn, App);
  const cancel = await screen.findByTestId('generation-cancel');
  await waitFor(() => expect(FakeSocket.last).toBeTruthy());
  act(() => FakeSocket.last.open());
  return cancel;
}

describe('a live photoshoot with the keyboard', () => {
  it('when the run ends, the focus that was on «Отменить» goes to the heading that says so', async () => {
    const cancel = await watch();
    act(() => cancel.focus());
    act(() => FakeSocket.last.receive(push('succeeded')));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Фотосессия готова' });
    expect(screen.queryByTestId('generation-cancel')).toBeNull();
    expect(heading).toHaveFocus();
  });

  it('the cancel question that closes by itself at the end leaves the focus on the heading, not the body', async () => {
    const cancel = await watch();
    await userEvent.click(cancel);
    expect(screen.getByTestId('cancel-generation-keep')).toHaveFocus();
    act(() => FakeSocket.last.receive(push('succeeded')));
    await waitFor(() => expect(screen.queryByTestId('cancel-generation-dialog')).toBeNull());
    expect(screen.getByRole('heading', { level: 1, name: 'Фотосессия готова' })).toHaveFocus();
  });

  it('the arrows in the zoom keep the focus on its button and announce which photo is shown', () => {
    const images = [image(0), image(1), image(2)];
    const { rerender } = render(<Lightbox images={images} index={0} onIndex={() => undefined} onDownload={() => undefined} fileName={() => 'p.jpg'} />);
    const position = screen.getByTestId('lightbox-position');
    expect(position).toHaveAttribute('aria-live', 'polite');
    expect(position).toHaveTextContent('Фото 1 из 3');
    rerender(<Lightbox images={images} index={2} onIndex={() => undefined} onDownload={() => undefined} fileName={() => 'p.jpg'} />);
    expect(screen.getByTestId('lightbox-position')).toBe(position);
    expect(position).toHaveTextContent('Фото 3 из 3');
  });
});

const draft = (phase: DraftState['phase']): DraftState => ({
  phase, uploadProgress: 40, uploadId: null, previewUrl: phase === 'idle' ? null : 'blob:p', cutoutUrl: null, fileName: 'bottle.jpg',
  dimensions: null, suggestions: [], error: null, choice: null, format: null, requestId: null, previous: null,
});

describe('the photo step with a screen reader', () => {
  it('each stage of the upload is announced from one live region that is there from the start', () => {
    const { rerender } = render(<PhotoDropzone draft={draft('idle')} onFile={() => undefined} />);
    const status = screen.getByTestId('upload-status');
    expect(status).toHaveAttribute('role', 'status');
    expect(status).toHaveTextContent('');
    rerender(<PhotoDropzone draft={draft('uploading')} onFile={() => undefined} />);
    expect(screen.getByTestId('upload-status')).toBe(status);
    expect(status).toHaveTextContent('Загружаем…');
    rerender(<PhotoDropzone draft={draft('analyzing')} onFile={() => undefined} />);
    expect(status).toHaveTextContent('Изучаем товар');
    rerender(<PhotoDropzone draft={draft('ready')} onFile={() => undefined} />);
    expect(status).toHaveTextContent('Фото загружено');
  });

  it('a refused first photo gives the focus back to «Выбрать фото», not to the page top', () => {
    const refused = { ...draft('error'), previewUrl: null, error: 'Фото слишком маленькое' };
    const { rerender } = render(<PhotoDropzone draft={draft('idle')} onFile={() => undefined} />);
    const pick = screen.getByTestId('upload-pick');
    act(() => pick.focus());
    // checked in the browser: the button is disabled meanwhile, and the browser drops its focus
    rerender(<PhotoDropzone draft={{ ...draft('validating'), previewUrl: null }} onFile={() => undefined} />);
    act(() => pick.blur());
    rerender(<PhotoDropzone draft={refused} onFile={() => undefined} />);
    expect(screen.getByTestId('upload-pick')).toHaveFocus();
    expect(screen.getByTestId('upload-error')).toHaveAttribute('role', 'alert');

    // refused by the server after the preview came: «Заменить фото», which had the focus, goes
    rerender(<PhotoDropzone draft={draft('uploading')} onFile={() => undefined} />);
    expect(screen.getByTestId('upload-replace')).toHaveFocus();
    rerender(<PhotoDropzone draft={refused} onFile={() => undefined} />);
    expect(screen.getByTestId('upload-pick')).toHaveFocus();
  });

  it('«Выбрать фото» is the only Tab stop for choosing the file (the hidden input is not a second one)', async () => {
    render(<PhotoDropzone draft={draft('idle')} onFile={() => undefined} />);
    await userEvent.tab();
    expect(screen.getByTestId('upload-pick')).toHaveFocus();
    await userEvent.tab({ shift: true });
    expect(document.body).toHaveFocus();
  });
});
