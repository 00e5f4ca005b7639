import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { GeneratedImage } from '../../../shared/types';
import { useModalFocus } from '../../../shared/ui';
import { usePhotoViewerChrome } from '../../telegram/usePhotoViewerChrome';
import { ImageDownloadLink } from './ImageDownloadLink';
import s from './generation.module.css';

interface Props {
  images: GeneratedImage[];
  index: number;
  onIndex: (index: number | null) => void;
  onDownload: (image: GeneratedImage) => void;
  fileName: (image: GeneratedImage) => string;
}

/** A horizontal move at least this long (px), and clearly more sideways than up or down, is a swipe. */
const SWIPE_PX = 50;
/** Two taps within this long (ms) and this close (px) are a double tap: zoom in or out. */
const DOUBLE_TAP_MS = 300;
const TAP_PX = 10;
const ZOOM = 2.5;

interface Gesture {
  x: number;
  y: number;
  /** the origin when it began, for a pan of the zoomed photo */
  origin: { x: number; y: number } | null;
  /** a second finger joined: a pinch, never a swipe */
  pinch: boolean;
}

export function Lightbox({ images, index, onIndex, onDownload, fileName }: Props) {
  const image = images[index];
  const dialog = useRef<HTMLDivElement>(null);
  useModalFocus(dialog);
  const telegramChrome = usePhotoViewerChrome();
  const prev = () => onIndex((index - 1 + images.length) % images.length);
  const next = () => onIndex((index + 1) % images.length);

  // On a phone: swipe to the next or previous photo; double-tap to look closer (the point
  // tapped comes to the middle), drag to look around, double-tap again to see it whole. The
  // stage leaves vertical panning and pinch-zoom to the browser (touch-action in the CSS).
  const [zoom, setZoom] = useState<{ x: number; y: number } | null>(null); // transform-origin, %
  const [zoomedIndex, setZoomedIndex] = useState(index);
  if (zoomedIndex !== index) {
    setZoomedIndex(index);
    setZoom(null); // another photo is shown whole
  }
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<Gesture | null>(null);
  const lastTap = useRef<{ at: number; x: number; y: number } | null>(null);
  const swiped = useRef(false); // the click that ends a swipe must not close the view
  const photo = useRef<HTMLImageElement>(null);

  const onPointerDown = (e: PointerEvent) => {
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.current.size > 1) {
      if (gesture.current) gesture.current.pinch = true;
      return;
    }
    swiped.current = false;
    gesture.current = { x: e.clientX, y: e.clientY, origin: zoom, pinch: false };
  };
  const onPointerMove = (e: PointerEvent) => {
    const g = gesture.current;
    if (!g || g.pinch || !pointers.current.has(e.pointerId)) return;
    // a finger that slides off the stage (onto the bar below) still ends the swipe here; taken
    // only once it moves, so a tap on ‹ › is still the button's click
    if (Math.abs(e.clientX - g.x) >= TAP_PX && !e.currentTarget.hasPointerCapture?.(e.pointerId)) {
      e.currentTarget.setPointerCapture?.(e.pointerId);
    }
    if (!g.origin) return;
    const box = photo.current?.getBoundingClientRect();
    if (!box?.width || !box.height) return;
    // the photo follows the finger: moving right shows more of its left side
    const clamp = (v: number) => Math.max(0, Math.min(100, v));
    setZoom({
      x: clamp(g.origin.x - ((e.clientX - g.x) / box.width) * 100),
      y: clamp(g.origin.y - ((e.clientY - g.y) / box.height) * 100),
    });
  };
  const onPointerUp = (e: PointerEvent) => {
    const g = gesture.current;
    pointers.current.delete(e.pointerId);
    if (!g || pointers.current.size > 0) return;
    gesture.current = null;
    if (g.pinch) return;
    const dx = e.clientX - g.x;
    const dy = e.clientY - g.y;
    if (Math.abs(dx) < TAP_PX && Math.abs(dy) < TAP_PX) {
      onTap(e);
      return;
    }
    // a zoomed photo (ours, or the page pinch-zoomed by the browser) is being looked around
    const pageZoomed = (window.visualViewport?.scale ?? 1) > 1.01;
    if (zoom || pageZoomed || images.length < 2) return;
    if (Math.abs(dx) >= SWIPE_PX && Math.abs(dx) > Math.abs(dy) * 1.5) {
      swiped.current = true;
      if (dx < 0) next();
      else prev();
    }
  };
  const onPointerCancel = (e: PointerEvent) => {
    pointers.current.delete(e.pointerId);
    if (pointers.current.size === 0) gesture.current = null;
  };
  const onTap = (e: PointerEvent) => {
    const last = lastTap.current;
    const now = e.timeStamp;
    const near = last && Math.abs(e.clientX - last.x) < TAP_PX * 3 && Math.abs(e.clientY - last.y) < TAP_PX * 3;
    if (!last || !near || now - last.at > DOUBLE_TAP_MS) {
      lastTap.current = { at: now, x: e.clientX, y: e.clientY };
      return;
    }
    lastTap.current = null;
    const box = photo.current?.getBoundingClientRect();
    if (zoom || !box || e.target !== photo.current) {
      setZoom(null);
      return;
    }
    const at = (v: number, start: number, size: number) => (size ? Math.max(0, Math.min(100, ((v - start) / size) * 100)) : 50);
    setZoom({ x: at(e.clientX, box.left, box.width), y: at(e.clientY, box.top, box.height) });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onIndex(null);
      if (e.key === 'ArrowLeft') prev();
      if (e.key === 'ArrowRight') next();
    };
    document.addEventListener('keydown', onKey);
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      document.removeEventListener('keydown', onKey);
      document.body.style.overflow = overflow;
    };
  });

  if (!image) return null;
  return (
    <div
      ref={dialog}
      className={s.lightbox}
      style={telegramChrome}
      role="dialog"
      aria-modal="true"
      aria-label="Просмотр фото"
      data-testid="lightbox"
    >
      <div className={s.lightboxTop}>
        {/* the arrows keep the focus where it is: the new place is said here */}
        <span aria-live="polite" aria-atomic="true" data-testid="lightbox-position">
          Фото {index + 1} из {images.length}
        </span>
        <button type="button" className={s.iconButton} onClick={() => onIndex(null)} aria-label="Закрыть" data-testid="lightbox-close">
          ×
        </button>
      </div>
      <div
        className={s.lightboxStage}
        data-zoomed={zoom ? 'true' : 'false'}
        onClick={(e) => {
          if (swiped.current) swiped.current = false;
          else if (e.target === e.currentTarget) onIndex(null);
        }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerCancel}
        data-testid="lightbox-stage"
      >
        <img
          ref={photo}
          src={image.url}
          alt={`Фото ${index + 1}`}
          draggable={false}
          style={zoom ? { transform: `scale(${ZOOM})`, transformOrigin: `${zoom.x}% ${zoom.y}%` } : undefined}
          data-testid="lightbox-image"
        />
        {images.length > 1 && (
          <>
            <button type="button" className={`${s.iconButton} ${s.navPrev}`} onClick={prev} aria-label="Предыдущее фото">
              ‹
            </button>
            <button type="button" className={`${s.iconButton} ${s.navNext}`} onClick={next} aria-label="Следующее фото">
              ›
            </button>
          </>
        )}
      </div>
      <div className={s.lightboxBottom}>
        <span className={s.lightboxMeta}>
          {image.width}×{image.height}
        </span>
        <ImageDownloadLink
          image={image}
          fileName={fileName(image)}
          onDownload={onDownload}
          style={{ color: '#fff', fontWeight: 650 }}
          testId="lightbox-download"
        >
          Скачать
        </ImageDownloadLink>
      </div>
    </div>
  );
}
