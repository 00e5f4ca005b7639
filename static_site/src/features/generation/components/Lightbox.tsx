import { useEffect, useRef } from 'react';
import type { GeneratedImage } from '../../../shared/types';
import { useModalFocus } from '../../../shared/ui';
import { ImageDownloadLink } from './ImageDownloadLink';
import s from './generation.module.css';

interface Props {
  images: GeneratedImage[];
  index: number;
  onIndex: (index: number | null) => void;
  onDownload: (image: GeneratedImage) => void;
  fileName: (image: GeneratedImage) => string;
}

export function Lightbox({ images, index, onIndex, onDownload, fileName }: Props) {
  const image = images[index];
  const dialog = useRef<HTMLDivElement>(null);
  useModalFocus(dialog);
  const prev = () => onIndex((index - 1 + images.length) % images.length);
  const next = () => onIndex((index + 1) % images.length);

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
    <div ref={dialog} className={s.lightbox} role="dialog" aria-modal="true" aria-label="Просмотр фото" data-testid="lightbox">
      <div className={s.lightboxTop}>
        <span>
          {index + 1} из {images.length}
        </span>
        <button type="button" className={s.iconButton} onClick={() => onIndex(null)} aria-label="Закрыть" data-testid="lightbox-close">
          ×
        </button>
      </div>
      <div className={s.lightboxStage} onClick={(e) => e.target === e.currentTarget && onIndex(null)}>
        <img src={image.url} alt={`Фото ${index + 1}`} data-testid="lightbox-image" />
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
        <span className="muted">
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
