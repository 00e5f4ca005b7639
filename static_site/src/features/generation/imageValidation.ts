export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_BYTES = 15 * 1024 * 1024;
export const MIN_SIDE = 256;

export interface ImageDimensions {
  width: number;
  height: number;
}

export type ImageValidation = { ok: true; dimensions: ImageDimensions } | { ok: false; message: string };

/** Reads an image's natural size in the browser. */
export function readImageDimensions(file: Blob): Promise<ImageDimensions> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => {
      URL.revokeObjectURL(url);
      resolve({ width: image.naturalWidth, height: image.naturalHeight });
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('unreadable image'));
    };
    image.src = url;
  });
}

/** Client-side checks before anything is uploaded: type, size, minimum dimensions. */
export async function validateProductImage(
  file: File,
  readDimensions: (file: Blob) => Promise<ImageDimensions> = readImageDimensions,
  maxBytes: number = MAX_BYTES,
): Promise<ImageValidation> {
  if (!(ACCEPTED_TYPES as readonly string[]).includes(file.type)) {
    return { ok: false, message: 'Поддерживаются только JPEG, PNG и WebP. Выберите другой файл.' };
  }
  if (file.size > maxBytes) {
    const mb = Math.round(maxBytes / 1024 / 1024);
    return { ok: false, message: `Файл больше ${mb} МБ. Сожмите фото или выберите другое.` };
  }
  if (file.size === 0) {
    return { ok: false, message: 'Файл пустой. Выберите другое фото.' };
  }
  let dimensions: ImageDimensions;
  try {
    dimensions = await readDimensions(file);
  } catch {
    return { ok: false, message: 'Не удалось прочитать изображение. Возможно, файл повреждён.' };
  }
  if (dimensions.width < MIN_SIDE || dimensions.height < MIN_SIDE) {
    return {
      ok: false,
      message: `Фото слишком маленькое (${dimensions.width}×${dimensions.height}). Нужно не меньше ${MIN_SIDE}×${MIN_SIDE} пикселей.`,
    };
  }
  return { ok: true, dimensions };
}
