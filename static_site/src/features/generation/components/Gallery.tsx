import { useState } from 'react';
import type { GeneratedImage } from '../../../shared/types';
import { imageFileName } from '../imageFileName';
import { ImageDownloadLink } from './ImageDownloadLink';
import { Lightbox } from './Lightbox';
import s from './generation.module.css';

interface Props {
  images: GeneratedImage[];
  running: boolean;
  aspect: string;
  generationId: string;
  onDownload: (image: GeneratedImage) => void;
  /** How many images to expect; placeholders fill the rest while rendering (unknown: one more). */
  expected?: number;
}

/**
 * Fills in image by image while rendering (thumbnails: the photos themselves come with the
 * success); then click to zoom, save one or all.
 */
export function Gallery({ images, running, aspect, generationId, onDownload, expected }: Props) {
  // the zoomed photo by its index, not its place: photos still arriving must not swap it
  const [zoomed, setZoomed] = useState<number | null>(null);
  const viewable = images.filter((image) => image.url);
  const open = zoomed === null ? -1 : viewable.findIndex((image) => image.index === zoomed);
  const setOpen = (position: number | null) => setZoomed(position === null ? null : (viewable[position]?.index ?? null));
  const fileName = (image: GeneratedImage) => imageFileName(generationId, image.index);
  // While rendering, every expected photo has its own place (by its index) from the start, so
  // a photo that arrives early lands in its slot and none moves when the others come.
  const byIndex = new Map(images.map((image) => [image.index, image]));
  const reached = Math.max(0, ...images.map((image) => image.index + 1));
  const places = Math.max(expected ?? reached + 1, reached, 1);
  const slots = running ? Array.from({ length: places }, (_, i) => byIndex.get(i) ?? i) : images;
  const firstEmpty = slots.findIndex((slot) => typeof slot === 'number');

  return (
    <>
      <div className={s.gallery} data-testid="gallery" data-count={images.length}>
        {slots.map((image) =>
          typeof image === 'number' ? (
            <div
              key={`p${image}`}
              className={`${s.tile} ${s.placeholder} skeleton`}
              style={{ aspectRatio: aspect }}
              data-testid="gallery-placeholder"
              data-slot={image}
            >
              <span>{image === firstEmpty ? 'Рисуем…' : ''}</span>
            </div>
          ) : (
            <div key={image.index} className={s.tile} style={{ aspectRatio: aspect }}>
              {image.url ? (
                <button
                  type="button"
                  className={s.tileButton}
                  style={{ aspectRatio: aspect }}
                  onClick={() => setZoomed(image.index)}
                  aria-label={`Открыть фото ${image.index + 1}`}
                  data-testid={`gallery-image-${image.index}`}
                >
                  <img src={image.thumb_url || image.url} alt={`Фото ${image.index + 1}`} loading="lazy" />
                </button>
              ) : (
                <div className={s.tileButton} style={{ aspectRatio: aspect }} data-testid={`gallery-image-${image.index}`}>
                  <img src={image.thumb_url} alt={`Фото ${image.index + 1} — готово`} loading="lazy" />
                </div>
              )}
              {image.url && (
                <ImageDownloadLink
                  className={s.tileDownload}
                  image={image}
                  fileName={fileName(image)}
                  onDownload={onDownload}
                  label={`Скачать фото ${image.index + 1}`}
                  testId={`gallery-download-${image.index}`}
                >
                  <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
                    <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
                  </svg>
                </ImageDownloadLink>
              )}
            </div>
          ),
        )}
      </div>
      {open >= 0 && (
        <Lightbox images={viewable} index={open} onIndex={setOpen} onDownload={onDownload} fileName={fileName} />
      )}
    </>
  );
}
