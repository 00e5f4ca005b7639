import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeTelegram } from '../../../test/fakeTelegram';
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
  const lightbox = (at: number) => (
    <Lightbox images={images} index={at} onIndex={onIndex} onDownload={() => undefined} fileName={() => 'p.jpg'} />
  );
  const view = render(lightbox(index));
  return {
    onIndex,
    stage: screen.getByTestId('lightbox-stage'),
    show: (at: number) => view.rerender(lightbox(at)),
    close: view.unmount,
  };
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

describe('Lightbox inside Telegram', () => {
  let telegram: ReturnType<typeof installFakeTelegram> | null = null;
  afterEach(() => {
    telegram?.uninstall();
    telegram = null;
  });
  const padding = () => {
    const { paddingTop, paddingRight, paddingBottom, paddingLeft } = screen.getByTestId('lightbox').style;
    return { top: paddingTop, right: paddingRight, bottom: paddingBottom, left: paddingLeft };
  };

  it('in fullscreen keeps its controls clear of Telegram’s buttons and the notch on every side, and only then', () => {
    telegram = installFakeTelegram({ version: '8.0', fullscreen: true });
    open(1);
    const sides = padding();
    for (const side of ['top', 'right', 'bottom', 'left'] as const) {
      expect(sides[side]).toContain(`--tg-safe-area-inset-${side}`);
      expect(sides[side]).toContain(`--tg-content-safe-area-inset-${side}`);
    }
    act(() => telegram!.setFullscreen(false));
    expect(padding()).toEqual({ top: '', right: '', bottom: '', left: '' });
    act(() => telegram!.setFullscreen(true));
    expect(padding().left).toContain('--tg-safe-area-inset-left');
  });

  it('outside fullscreen, and outside Telegram, adds no padding', () => {
    telegram = installFakeTelegram({ version: '8.0', fullscreen: false });
    const { close } = open(1);
    expect(screen.getByTestId('lightbox').getAttribute('style')).toBeNull();
    close();
    telegram.uninstall();
    open(1);
    expect(screen.getByTestId('lightbox').getAttribute('style')).toBeNull();
  });

  it('while open, a vertical swipe on the photo does not close the Mini App; closed, swipes are back', () => {
    telegram = installFakeTelegram({ version: '7.7' });
    const { show, close } = open(1);
    expect(telegram.named('disableVerticalSwipes')).toHaveLength(1);
    expect(telegram.app.isVerticalSwipesEnabled).toBe(false);
    // moving to the next photo keeps them off, without another round trip to Telegram
    show(2);
    expect(screen.getByTestId('lightbox-position')).toHaveTextContent('Фото 3 из 3');
    expect(telegram.calls.filter(([name]) => name.endsWith('VerticalSwipes'))).toEqual([['disableVerticalSwipes']]);
    close();
    expect(telegram.named('enableVerticalSwipes')).toHaveLength(1);
    expect(telegram.app.isVerticalSwipesEnabled).toBe(true);
  });

  it('leaves swipes off on close when they were off before it opened', () => {
    telegram = installFakeTelegram({ version: '8.0' });
    telegram.app.isVerticalSwipesEnabled = false;
    const { close } = open(1);
    close();
    expect(telegram.named('enableVerticalSwipes')).toHaveLength(0);
  });

  it('asks nothing of a client older than Bot API 7.7', () => {
    telegram = installFakeTelegram({ version: '7.6' });
    const { close } = open(1);
    close();
    expect(telegram.calls.filter(([name]) => name.endsWith('VerticalSwipes'))).toEqual([]);
  });
});
