import { describe, expect, it } from 'vitest';
import type { DraftState } from './draftSlice';
import { clearDraft, loadDraft, saveDraft } from './draftStorage';

const ready: DraftState = {
  phase: 'ready', uploadProgress: 100, uploadId: 'up1', previewUrl: 'blob:x', cutoutUrl: 'https://s3/c.png', fileName: 'p.jpg',
  dimensions: { width: 900, height: 1200 }, suggestions: [], error: null, choice: { kind: 'style', style_id: 'marble' },
  format: '1:1', requestId: 'r1', previous: null,
};

describe('draft storage', () => {
  it('keeps what the server can check again, for the same user only', () => {
    saveDraft('u1', ready, 1000);
    expect(loadDraft('u1', 2000)).toEqual({
      userId: 'u1', savedAt: 1000, uploadId: 'up1', fileName: 'p.jpg', dimensions: { width: 900, height: 1200 },
      choice: { kind: 'style', style_id: 'marble' }, format: '1:1',
    });
    expect(sessionStorage.getItem('photoshoot.draft')).not.toContain('blob:');
    expect(loadDraft('u2', 2000)).toBeNull();
  });

  it('forgets a day-old draft, and keeps no upload that is not ready', () => {
    saveDraft('u1', ready, 0);
    expect(loadDraft('u1', 24 * 60 * 60 * 1000 + 1)).toBeNull();
    saveDraft('u1', { ...ready, phase: 'uploading' }, 0);
    expect(loadDraft('u1', 1)).toMatchObject({ uploadId: null, fileName: null, choice: ready.choice, format: '1:1' });
  });

  it('survives what it did not write', () => {
    sessionStorage.setItem('photoshoot.draft', '{not json');
    expect(loadDraft('u1')).toBeNull();
    sessionStorage.setItem(
      'photoshoot.draft',
      JSON.stringify({ userId: 'u1', savedAt: Date.now(), uploadId: 7, choice: { kind: 'magic' }, dimensions: { width: 'x' } }),
    );
    expect(loadDraft('u1')).toMatchObject({ uploadId: null, choice: null, dimensions: null, format: null });
    clearDraft();
    expect(loadDraft('u1')).toBeNull();
  });
});
