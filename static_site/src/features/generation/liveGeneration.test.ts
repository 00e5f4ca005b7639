import { describe, expect, it } from 'vitest';
import type { GeneratedImage } from '../../shared/types';
import { applyGenerationUpdate, mergeImages } from './liveGeneration';
import reducer, { generationReceived, generationStatusReceived } from './generationSlice';

const img = (index: number, url = `/img/${index}.jpg`): GeneratedImage => ({ index, url, thumb_url: url, width: 900, height: 1200 });

describe('mergeImages', () => {
  it('adds images streamed one by one, keeping them ordered by index', () => {
    let images = mergeImages([], [img(1)]);
    images = mergeImages(images, [img(0)]);
    images = mergeImages(images, [img(3)]);
    expect(images.map((i) => i.index)).toEqual([0, 1, 3]);
  });

  it('replaces an image that arrives again with the same index instead of duplicating it', () => {
    const images = mergeImages([img(0, '/old.jpg'), img(1)], [img(0, '/new.jpg')]);
    expect(images).toHaveLength(2);
    expect(images[0].url).toBe('/new.jpg');
  });

  it('keeps what it has when a message carries no images', () => {
    const current = [img(0)];
    expect(mergeImages(current, undefined)).toBe(current);
  });
});

describe('generation slice', () => {
  it('merges socket messages with the HTTP snapshot', () => {
    let state = reducer(undefined, generationReceived({ generation_id: 'g1', status: 'running', step: 'generate', progress: 60, images: [img(0)], style_title: 'Мрамор' }));
    state = reducer(
      state,
      generationStatusReceived({ type: 'generation.status', generation_id: 'g1', status: 'running', step: 'generate', progress: 75, message: 'Рисуем', eta_s: 10, images: [img(1)] }),
    );
    const g = state.byId.g1;
    expect(g.progress).toBe(75);
    expect(g.style_title).toBe('Мрамор');
    expect(g.images.map((i) => i.index)).toEqual([0, 1]);
  });

  it('a late stale update does not bring a finished generation back to running', () => {
    const done = applyGenerationUpdate(undefined, { generation_id: 'g1', status: 'succeeded', step: 'done', progress: 100, images: [img(0), img(1)] });
    const after = applyGenerationUpdate(done, { generation_id: 'g1', status: 'running', step: 'generate', progress: 80, images: [] });
    expect(after.status).toBe('succeeded');
    expect(after.progress).toBe(100);
    expect(after.images).toHaveLength(2);
  });

  it('progress does not go backwards within the same step', () => {
    const a = applyGenerationUpdate(undefined, { generation_id: 'g1', status: 'running', step: 'generate', progress: 70, images: [] });
    const b = applyGenerationUpdate(a, { generation_id: 'g1', status: 'running', step: 'generate', progress: 65, images: [] });
    expect(b.progress).toBe(70);
  });

  it('a late snapshot from before a push moves nothing back: status, step, progress, message, ETA', () => {
    let state = reducer(
      undefined,
      generationStatusReceived({ type: 'generation.status', generation_id: 'g1', status: 'running', step: 'generate', progress: 58, message: 'Снимаем кадр 3 из 4', eta_s: 12, images: [img(0)] }),
    );
    // the GET sent right after the create answers last, with the queued state and the details
    state = reducer(state, generationReceived({ generation_id: 'g1', status: 'queued', step: 'upload', progress: 3, message: 'В очереди', eta_s: 40, images: [], style_title: 'Мрамор', format: '1:1' }));
    const g = state.byId.g1;
    expect([g.status, g.step, g.progress, g.message, g.eta_s]).toEqual(['running', 'generate', 58, 'Снимаем кадр 3 из 4', 12]);
    expect(g.style_title).toBe('Мрамор');
    expect(g.images.map((i) => i.index)).toEqual([0]);
  });

  it('an earlier step with the same status is behind too, a later step is ahead even at the same progress', () => {
    const analysing = applyGenerationUpdate(undefined, { generation_id: 'g1', status: 'running', step: 'prompt', progress: 20, message: 'Сцена', images: [] });
    const stale = applyGenerationUpdate(analysing, { generation_id: 'g1', status: 'running', step: 'analyze', progress: 10, message: 'Анализ', images: [] });
    expect([stale.step, stale.message]).toEqual(['prompt', 'Сцена']);
    const ahead = applyGenerationUpdate(analysing, { generation_id: 'g1', status: 'running', step: 'generate', progress: 20, message: 'Снимаем', images: [] });
    expect([ahead.step, ahead.message]).toEqual(['generate', 'Снимаем']);
    const sameMoment = applyGenerationUpdate(ahead, { generation_id: 'g1', status: 'running', step: 'generate', progress: 20, message: 'Снимаем кадр 1 из 4', images: [] });
    expect(sameMoment.message).toBe('Снимаем кадр 1 из 4');
  });

  it('a failure after running is taken as is', () => {
    const a = applyGenerationUpdate(undefined, { generation_id: 'g1', status: 'running', step: 'generate', progress: 70, images: [] });
    const b = applyGenerationUpdate(a, { generation_id: 'g1', status: 'failed', step: 'generate', progress: 70, error: { code: 'provider_timeout', message: 'Сервис не ответил' }, images: [] });
    expect(b.status).toBe('failed');
    expect(b.error?.message).toBe('Сервис не ответил');
  });
});
