import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Lightbox } from './Lightbox';

const photo = (index: number) => ({ index, url: `/img/${index}.jpg`, thumb_url: `/img/${index}_t.jpg`, width: 900, height: 1200 });
const images = [photo(0), photo(1), photo(2)];

// jsdom has no PointerEvent; a MouseEvent with a pointer id carries the coordinates
class FakePointerEvent extends MouseEvent {
  pointerId: number;
  pointerType: string;
  constructor(type: string, init: PointerEventInit = {}) {
    super(type, init);
    this.pointerId = init.pointerId ?? 1;
    this.pointerType = init.pointerType ?? 'touch';
  }
}

function open(index = 1) {
  const onIndex = vi.fn();
  render(<Lightbox images={images} index={index} onIndex={onIndex} onDownload={() => undefined} fileName={() => 'p.jpg'} />);
  return { onIndex, stage: screen.getByTestId('lightbox-stage') };
}

const swipe = (target: Element, from: [number, number], to: [number, number], pointerId = 1) => {
  fireEvent.pointerDown(target, { clientX: from[0], clientY: from[1], pointerId });
  fireEvent.pointerMove(target, { clientX: to[0], clientY: to[1], pointerId });
  fireEvent.pointerUp(target, { clientX: to[0], clientY: to[1], pointerId });
};

describe('Lightbox on a phone', () => {
  beforeEach(() => {
    vi.stubGlobal('PointerEvent', FakePointerEvent);
  });

  it('a swipe to the left shows the next photo, to the right the previous one', () => {
    const { onIndex, stage } = open(1);
    swipe(screen.getByTestId('lightbox-image'), [300, 400], [180, 410]);
    expect(onIndex).toHaveBeenLastCalledWith(2);
    swipe(stage, [100, 400], [260, 390]);
    expect(onIndex).toHaveBeenLastCalledWith(0);
    // the click that ends a swipe over the backdrop does not close the view
    fireEvent.click(stage);
    expect(onIndex).not.toHaveBeenCalledWith(null);
  });

  it('an up-and-down move, a short one or a two-finger pinch changes nothing', () => {
    const { onIndex, stage } = open(1);
    swipe(stage, [200, 200], [230, 420]);
    swipe(stage, [200, 400], [170, 400]);
    fireEvent.pointerDown(stage, { clientX: 200, clientY: 400, pointerId: 1 });
    fireEvent.pointerDown(stage, { clientX: 260, clientY: 420, pointerId: 2 });
    fireEvent.pointerUp(stage, { clientX: 300, clientY: 420, pointerId: 2 });
    fireEvent.pointerUp(stage, { clientX: 80, clientY: 400, pointerId: 1 });
    expect(onIndex).not.toHaveBeenCalled();
  });

  it('a double tap zooms the photo in, and out again; zoomed, a sideways drag looks around instead of swiping', () => {
    const { onIndex } = open(1);
    const image = screen.getByTestId('lightbox-image');
    const tap = () => {
      fireEvent.pointerDown(image, { clientX: 200, clientY: 300 });
      fireEvent.pointerUp(image, { clientX: 200, clientY: 300 });
    };
    tap();
    tap();
    expect(image.style.transform).toContain('scale(');
    expect(screen.getByTestId('lightbox-stage')).toHaveAttribute('data-zoomed', 'true');
    swipe(image, [300, 400], [150, 400]);
    expect(onIndex).not.toHaveBeenCalled();
    tap();
    tap();
    expect(image.style.transform).toBe('');
  });

  it('the keys still work: ← → and Esc', async () => {
    const { onIndex } = open(1);
    await userEvent.keyboard('{ArrowRight}');
    expect(onIndex).toHaveBeenLastCalledWith(2);
    await userEvent.keyboard('{ArrowLeft}');
    expect(onIndex).toHaveBeenLastCalledWith(0);
    await userEvent.keyboard('{Escape}');
    expect(onIndex).toHaveBeenLastCalledWith(null);
  });
});
