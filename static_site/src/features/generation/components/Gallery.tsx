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
  /** How many images to expect; placeholders fill the rest while rendering. */
  expected?: number;
}

/**
 * Fills in image by image while rendering (thumbnails: the photos themselves come with the
 * success); then click to zoom, save one or all.
 */
export function Gallery({ images, running, aspect, generationId, onDownload, expected = 1 }: Props) {
  // the zoomed photo by its index, not its place: photos still arriving must not swap it
  const [zoomed, setZoomed] = useState<number | null>(null);
  const viewable = images.filter((image) => image.url);
  const open = zoomed === null ? -1 : viewable.findIndex((image) => image.index === zoomed);
  const setOpen = (position: number | null) => setZoomed(position === null ? null : (viewable[position]?.index ?? null));
  const fileName = (image: GeneratedImage) => imageFileName(generationId, image.index);

  return (
    <>
      <div className={s.gallery} data-testid="gallery" data-count={images.length}>
        {images.map((image) => (
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
        ))}
        {running &&
          Array.from({ length: Math.max(1, expected - images.length) }, (_, i) => (
            <div key={`p${i}`} className={`${s.tile} ${s.placeholder} skeleton`} style={{ aspectRatio: aspect }} data-testid="gallery-placeholder">
              <span>{i === 0 ? 'Рисуем…' : ''}</span>
            </div>
          ))}
      </div>
      {open >= 0 && (
        <Lightbox images={viewable} index={open} onIndex={setOpen} onDownload={onDownload} fileName={fileName} />
      )}
    </>
  );
}
