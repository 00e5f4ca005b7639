import type { GeneratedImage } from '../../shared/types';

export type ShareOutcome = 'shared' | 'cancelled' | 'needs-tap' | 'unsupported';

interface Sharer {
  share?: (data: ShareData) => Promise<void>;
  canShare?: (data: ShareData) => boolean;
}

export const SHARE_TITLE = 'Фотосессия товара — Photoshoot';

/** The photos themselves (not links, which expire in 15 minutes), named as when saved. */
export async function loadShareFiles(images: GeneratedImage[], fileName: (image: GeneratedImage) => string): Promise<File[]> {
  return Promise.all(
    images.map(async (image) => {
      if (!image.url) throw new Error(`image ${image.index}: not delivered yet`);
      const answer = await fetch(new URL(image.url, window.location.href));
      if (!answer.ok) throw new Error(`image ${image.index}: ${answer.status}`);
      return new File([await answer.blob()], fileName(image), { type: 'image/jpeg' });
    }),
  );
}

/**
 * Hands the files to the system share sheet (messengers, mail, the gallery). Safari only shares
 * inside the tap that asked for it; after downloading the photos that moment may be gone
 * (`NotAllowedError`): then the caller keeps the files and asks for one more tap.
 */
export async function shareFiles(files: File[], sharer: Sharer = navigator): Promise<ShareOutcome> {
  const data: ShareData = { files, title: SHARE_TITLE };
  if (!sharer.share || !sharer.canShare?.(data)) return 'unsupported';
  try {
    await sharer.share(data);
    return 'shared';
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotAllowedError') return 'needs-tap';
    return 'cancelled'; // AbortError: the person closed the sheet
  }
}
