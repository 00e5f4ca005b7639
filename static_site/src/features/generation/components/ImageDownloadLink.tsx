import type { CSSProperties, ReactNode } from 'react';
import type { GeneratedImage } from '../../../shared/types';
import { downloadInTelegram } from '../../telegram/downloads';

interface Props {
  image: GeneratedImage;
  fileName: string;
  onDownload: (image: GeneratedImage) => void;
  children: ReactNode;
  className?: string;
  style?: CSSProperties;
  label?: string;
  testId?: string;
}

/**
 * Saves one photo. The images live on another origin, where browsers ignore `download`; the
 * server's `download_url` answers with `Content-Disposition: attachment`, so the photo is saved
 * without leaving the page. Without it (older answers) the photo opens in a new tab. Inside
 * Telegram the webview may ignore the link: Telegram's own download popup saves it there.
 */
export function ImageDownloadLink({ image, fileName, onDownload, children, className, style, label, testId }: Props) {
  const opensInTab = !image.download_url;
  return (
    <a
      className={className}
      style={style}
      href={image.download_url ?? image.url}
      download={fileName}
      target={opensInTab ? '_blank' : undefined}
      rel={opensInTab ? 'noopener noreferrer' : undefined}
      onClick={(event) => {
        onDownload(image);
        if (image.download_url && downloadInTelegram(image.download_url, fileName)) event.preventDefault();
      }}
      aria-label={label}
      data-testid={testId}
    >
      {children}
    </a>
  );
}
