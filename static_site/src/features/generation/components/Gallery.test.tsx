import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Gallery } from './Gallery';

const thumb = (index: number) => ({ index, thumb_url: `/img/${index}_t.jpg`, width: 900, height: 1200 });
const props = { aspect: '3 / 4', generationId: 'g1', onDownload: () => undefined };
/** What each place in the grid holds, in order: a photo's index or '·' for a placeholder. */
const places = () =>
  [...screen.getByTestId('gallery').children].map((tile) =>
    tile.getAttribute('data-testid') === 'gallery-placeholder' ? '·' : tile.querySelector('[data-testid^="gallery-image-"]')!.getAttribute('data-testid')!.slice(-1),
  );

describe('Gallery while rendering', () => {
  it('keeps a place for every expected photo, and a photo arriving out of order lands in its own', () => {
    const { rerender } = render(<Gallery {...props} running expected={4} images={[]} />);
    expect(places()).toEqual(['·', '·', '·', '·']);
    rerender(<Gallery {...props} running expected={4} images={[thumb(2)]} />);
    expect(places()).toEqual(['·', '·', '2', '·']);
    rerender(<Gallery {...props} running expected={4} images={[thumb(0), thumb(2)]} />);
    expect(places()).toEqual(['0', '·', '2', '·']);
    // the first empty place says what is going on; the others stay quiet
    expect(screen.getAllByTestId('gallery-placeholder').map((p) => p.textContent)).toEqual(['Рисуем…', '']);
  });

  it('with every photo in, no placeholder is left; a finished gallery shows just the photos', () => {
    const all = [0, 1, 2, 3].map(thumb);
    const { rerender } = render(<Gallery {...props} running expected={4} images={all} />);
    expect(places()).toEqual(['0', '1', '2', '3']);
    rerender(<Gallery {...props} running={false} expected={4} images={[thumb(0), thumb(1)]} />);
    expect(places()).toEqual(['0', '1']);
  });

  it('not knowing how many to expect, keeps one place ready after the last photo', () => {
    render(<Gallery {...props} running images={[thumb(1)]} />);
    expect(places()).toEqual(['·', '1', '·']);
  });
});
