import { describe, expect, it, vi } from 'vitest';
import { setupStore } from '../../app/store';
import { apiError, mockApi } from '../../test/mockApi';
import { buildGenerationRequest, draftBlocker, formatChosen, styleChosen, uploadProductPhoto } from './draftSlice';
import { validateProductImage } from './imageValidation';

const file = (type = 'image/jpeg', size = 1000) => new File([new Uint8Array(size)], 'product.jpg', { type });
const okDims = () => Promise.resolve({ width: 1200, height: 1200 });

describe('client-side validation', () => {
  it('rejects other types, too big files and too small images with Russian messages', async () => {
    expect(await validateProductImage(file('image/gif'), okDims)).toEqual({ ok: false, message: expect.stringContaining('JPEG, PNG и WebP') });
    expect(await validateProductImage(file('image/png', 16 * 1024 * 1024), okDims)).toEqual({ ok: false, message: expect.stringContaining('15 МБ') });
    expect(await validateProductImage(file('image/webp'), () => Promise.resolve({ width: 200, height: 800 }))).toEqual({
      ok: false,
      message: expect.stringContaining('256×256'),
    });
    expect(await validateProductImage(file('image/png'), () => Promise.reject(new Error('x')))).toMatchObject({ ok: false });
    expect(await validateProductImage(file('image/png'), okDims)).toEqual({ ok: true, dimensions: { width: 1200, height: 1200 } });
  });
});

describe('uploadProductPhoto', () => {
  const ticket = { upload_id: 'up1', url: 'https://s3.local/bucket', fields: { key: 'uploads/up1', policy: 'p' }, max_bytes: 15728640 };

  it('gets a presigned POST, sends the file with every field, then takes suggestions sorted by score', async () => {
    const { calls } = mockApi({
      'POST /api/uploads': { body: ticket },
      'GET /api/uploads/up1/suggestions': {
        body: {
          upload_id: 'up1',
          width: 1200,
          height: 1000,
          cutout_url: 'https://s3.local/bucket/uploads/7/up1.cutout.png?X-Amz-Signature=s',
          suggestions: [{ style_id: 'white', score: 0.5, reason: 'a' }, { style_id: 'marble', score: 0.9, reason: 'b' }],
        },
      },
    });
    const post = vi.fn().mockResolvedValue(undefined);
    const store = setupStore({ auth: { token: 't', user: null, expired: false } });
    const f = file();
    await store.dispatch(uploadProductPhoto({ file: f, deps: { validate: () => validateProductImage(f, okDims), post } }));

    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/uploads', body: { content_type: 'image/jpeg', size: 1000 } });
    expect(calls[0].headers.get('Authorization')).toBe('Bearer t');
    expect(post).toHaveBeenCalledWith(ticket.url, ticket.fields, f, expect.any(Function), expect.any(AbortSignal));
    const draft = store.getState().draft;
    expect(draft.phase).toBe('ready');
    expect(draft.uploadId).toBe('up1');
    expect(draft.suggestions.map((s) => s.style_id)).toEqual(['marble', 'white']);
    expect(draft.choice).toEqual({ kind: 'style', style_id: 'marble' });
    expect(draft.cutoutUrl).toContain('up1.cutout.png');
  });

  it('a photo replaced mid-upload stops sending, frees its preview, and the new one wins without an error', async () => {
    mockApi({
      'POST /api/uploads': ({ body }) => ({ body: { ...ticket, upload_id: (body as { size: number }).size === 1000 ? 'up1' : 'up2' } }),
      'GET /api/uploads/up2/suggestions': { body: { upload_id: 'up2', width: 1200, height: 1200, suggestions: [] } },
    });
    const signals: AbortSignal[] = [];
    const post = vi.fn((_url: string, _fields: Record<string, string>, _file: Blob, _progress?: (p: number) => void, signal?: AbortSignal) => {
      signals.push(signal!);
      if (signals.length === 2) return Promise.resolve();
      return new Promise<void>((_resolve, reject) => signal!.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    const revoked: string[] = [];
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => void revoked.push(url));
    let previews = 0;
    const createPreviewUrl = () => `blob:preview-${(previews += 1)}`;
    const store = setupStore({ auth: { token: 't', user: null, expired: false } });
    const first = file('image/jpeg', 1000);
    const second = file('image/jpeg', 2000);

    const sending = store.dispatch(uploadProductPhoto({ file: first, deps: { validate: () => validateProductImage(first, okDims), post, createPreviewUrl } }));
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    sending.abort(); // what useComposer does when another photo is picked
    await store.dispatch(uploadProductPhoto({ file: second, deps: { validate: () => validateProductImage(second, okDims), post, createPreviewUrl } }));
    await sending;

    expect(signals[0].aborted).toBe(true);
    const draft = store.getState().draft;
    expect([draft.phase, draft.uploadId, draft.error]).toEqual(['ready', 'up2', null]);
    expect(draft.previewUrl).toBe('blob:preview-2');
    expect(revoked).toEqual(['blob:preview-1']);
    revoke.mockRestore();
  });

  describe('replacing an accepted photo', () => {
    const suggestions = {
      upload_id: 'up1', width: 1200, height: 1200, cutout_url: 'https://s3.local/up1.cutout.png',
      suggestions: [{ style_id: 'marble', score: 0.9, reason: 'b' }],
    };
    async function acceptedFirst() {
      const revoked: string[] = [];
      const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => void revoked.push(url));
      let previews = 0;
      const createPreviewUrl = () => `blob:preview-${(previews += 1)}`;
      const store = setupStore({ auth: { token: 't', user: null, expired: false } });
      const post = vi.fn().mockResolvedValue(undefined);
      const first = file();
      await store.dispatch(uploadProductPhoto({ file: first, deps: { validate: () => validateProductImage(first, okDims), post, createPreviewUrl } }));
      expect(store.getState().draft).toMatchObject({ phase: 'ready', uploadId: 'up1', previewUrl: 'blob:preview-1' });
      return { store, post, createPreviewUrl, revoked, revoke };
    }

    it('a file that fails the browser checks keeps the photo, its cut-out and suggestions usable, and says why', async () => {
      mockApi({ 'POST /api/uploads': { body: ticket }, 'GET /api/uploads/up1/suggestions': { body: suggestions } });
      const { store, post, createPreviewUrl, revoked, revoke } = await acceptedFirst();
      const tiny = new File([new Uint8Array(10)], 'tiny.png', { type: 'image/png' });
      const checking = store.dispatch(
        uploadProductPhoto({ file: tiny, deps: { validate: () => validateProductImage(tiny, () => Promise.resolve({ width: 1, height: 1 })), post, createPreviewUrl } }),
      );
      // while the new file is checked the accepted one is still on screen
      expect(store.getState().draft).toMatchObject({ phase: 'validating', previewUrl: 'blob:preview-1', fileName: 'product.jpg' });
      await checking;
      const draft = store.getState().draft;
      expect(draft).toMatchObject({
        phase: 'ready', uploadId: 'up1', previewUrl: 'blob:preview-1', cutoutUrl: 'https://s3.local/up1.cutout.png', fileName: 'product.jpg', previous: null,
      });
      expect(draft.suggestions.map((sg) => sg.style_id)).toEqual(['marble']);
      expect(draft.error).toContain('1×1');
      expect(draftBlocker({ ...draft, format: '3:4' })).toBeNull();
      expect(revoked).toEqual([]);
      revoke.mockRestore();
    });

    it('a file the server refuses brings the accepted photo back and frees only the refused preview', async () => {
      mockApi({
        'POST /api/uploads': ({ body }) => ({ body: { ...ticket, upload_id: (body as { size: number }).size === 1000 ? 'up1' : 'up2' } }),
        'GET /api/uploads/up1/suggestions': { body: suggestions },
        'GET /api/uploads/up2/suggestions': apiError(422, 'unsupported_image', 'На фото не видно товара. Попробуйте другое фото.'),
      });
      const { store, createPreviewUrl, revoked, revoke } = await acceptedFirst();
      const second = new File([new Uint8Array(2000)], 'other.jpg', { type: 'image/jpeg' });
      let whileSent: object = {};
      const post = vi.fn(async () => {
        whileSent = { ...store.getState().draft };
      });
      await store.dispatch(uploadProductPhoto({ file: second, deps: { validate: () => validateProductImage(second, okDims), post, createPreviewUrl } }));
      // it passed the browser checks: the new photo was shown while it was sent
      expect(whileSent).toMatchObject({ phase: 'uploading', previewUrl: 'blob:preview-2', fileName: 'other.jpg', uploadId: null, suggestions: [] });
      expect(store.getState().draft).toMatchObject({
        phase: 'ready', uploadId: 'up1', previewUrl: 'blob:preview-1', fileName: 'product.jpg',
        error: 'На фото не видно товара. Попробуйте другое фото.',
      });
      expect(revoked).toEqual(['blob:preview-2']);
      revoke.mockRestore();
    });

    it('an accepted replacement frees the old preview', async () => {
      mockApi({
        'POST /api/uploads': ({ body }) => ({ body: { ...ticket, upload_id: (body as { size: number }).size === 1000 ? 'up1' : 'up2' } }),
        'GET /api/uploads/up1/suggestions': { body: suggestions },
        'GET /api/uploads/up2/suggestions': { body: { ...suggestions, upload_id: 'up2', cutout_url: null } },
      });
      const { store, post, createPreviewUrl, revoked, revoke } = await acceptedFirst();
      const second = file('image/jpeg', 2000);
      await store.dispatch(uploadProductPhoto({ file: second, deps: { validate: () => validateProductImage(second, okDims), post, createPreviewUrl } }));
      expect(store.getState().draft).toMatchObject({ phase: 'ready', uploadId: 'up2', previewUrl: 'blob:preview-2', cutoutUrl: null, previous: null, error: null });
      expect(revoked).toEqual(['blob:preview-1']);
      revoke.mockRestore();
    });
  });

  it('shows the server message when the suggestions call rejects the image', async () => {
    mockApi({
      'POST /api/uploads': { body: ticket },
      'GET /api/uploads/up1/suggestions': apiError(422, 'unsupported_image', 'На фото не видно товара. Попробуйте другое фото.'),
    });
    const store = setupStore({ auth: { token: 't', user: null, expired: false } });
    const f = file();
    await store.dispatch(uploadProductPhoto({ file: f, deps: { validate: () => validateProductImage(f, okDims), post: vi.fn().mockResolvedValue(undefined) } }));
    const draft = store.getState().draft;
    expect(draft.phase).toBe('error');
    expect(draft.error).toBe('На фото не видно товара. Попробуйте другое фото.');
    expect(draft.uploadId).toBeNull();
  });

  it('stops before any request when the file fails client-side checks', async () => {
    const { calls } = mockApi({});
    const store = setupStore();
    const f = file('image/gif');
    await store.dispatch(uploadProductPhoto({ file: f, deps: { validate: () => validateProductImage(f, okDims) } }));
    expect(calls).toHaveLength(0);
    expect(store.getState().draft.error).toContain('JPEG');
  });
});

describe('generation request from the draft', () => {
  it('needs a photo, a style and a format; custom text needs some length', () => {
    const store = setupStore();
    const draft = () => store.getState().draft;
    expect(draftBlocker(draft())).toBe('Загрузите фото товара');
    store.dispatch({ type: uploadProductPhoto.pending.type, meta: { requestId: 'r', arg: { file: { name: 'x' } } } });
    store.dispatch({
      type: uploadProductPhoto.fulfilled.type,
      meta: { requestId: 'r', arg: {} },
      payload: { uploadId: 'up1', dimensions: { width: 1, height: 1 }, suggestions: [] },
    });
    expect(draftBlocker(draft())).toBe('Выберите стиль');
    store.dispatch(styleChosen({ kind: 'custom', prompt: 'синий' }));
    expect(draftBlocker(draft())).toContain('подробнее');
    store.dispatch(styleChosen({ kind: 'custom', prompt: '  флакон на мокром камне  ' }));
    store.dispatch(formatChosen('3:4'));
    expect(buildGenerationRequest(draft())).toEqual({ upload_id: 'up1', format: '3:4', custom_prompt: 'флакон на мокром камне' });
    store.dispatch(styleChosen({ kind: 'saved', saved_style_id: 's1' }));
    expect(buildGenerationRequest(draft())).toEqual({ upload_id: 'up1', format: '3:4', saved_style_id: 's1' });
  });
});
