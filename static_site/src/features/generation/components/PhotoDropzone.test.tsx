import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { DraftState } from '../draftSlice';
import { PhotoDropzone } from './PhotoDropzone';

const empty: DraftState = {
  phase: 'idle', uploadProgress: 0, uploadId: null, previewUrl: null, cutoutUrl: null, fileName: null, dimensions: null,
  suggestions: [], error: null, choice: null, format: null, requestId: null, previous: null,
};

function pointer(coarse: boolean) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: query === '(pointer: coarse)' ? coarse : false,
    media: query,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
}

describe('PhotoDropzone', () => {
  it('on a touch screen asks to choose the photo, not to drag it', () => {
    pointer(true);
    render(<PhotoDropzone draft={empty} onFile={() => undefined} />);
    expect(screen.getByTestId('upload-dropzone')).toHaveTextContent('Выберите фото товара');
    expect(screen.getByTestId('upload-dropzone')).not.toHaveTextContent('Перетащите');
  });

  it('with a mouse offers to drag the photo in', () => {
    pointer(false);
    render(<PhotoDropzone draft={empty} onFile={() => undefined} />);
    expect(screen.getByTestId('upload-dropzone')).toHaveTextContent('Перетащите фото товара сюда');
  });
});
