import { SINCE, insideTelegram, supports } from './webApp';

/** A file's own name, as the API writes it (photoshoot-….zip): no folder, no control character, not "." or "..". */
function plainFileName(name: string | undefined): string | null {
  const trimmed = name?.trim() ?? '';
  if (!trimmed || /^\.+$/.test(trimmed) || /[\\/\u0000-\u001f\u007f]/.test(trimmed)) return null;
  return trimmed;
}

/**
 * The name the file is saved under: the one the signed link answers with
 * (response-content-disposition, set by the API: `attachment; filename="…"`), else `fallback`.
 */
export function downloadFileName(url: string, fallback: string): string {
  try {
    const disposition = new URL(url).searchParams.get('response-content-disposition') ?? '';
    // `filename=` itself: not the tail of `filename*=UTF-8''…`
    const name = /(?:^|;)\s*filename\s*=\s*"?([^";]*)"?/i.exec(disposition)?.[1];
    return plainFileName(name) ?? fallback;
  } catch {
    return fallback;
  }
}

/**
 * Inside Telegram a plain download often does nothing in the webview: Telegram's own download
 * popup (WebApp.downloadFile, Bot API 8.0) saves the file instead. It takes https links only,
 * answered with Content-Disposition (the API's signed links are). True when Telegram took it;
 * false means «download as a browser does».
 */
export function downloadInTelegram(url: string, fileName: string): boolean {
  const app = insideTelegram();
  if (!supports(app, SINCE.downloadFile) || typeof app.downloadFile !== 'function') return false;
  if (!url.startsWith('https://')) return false;
  try {
    app.downloadFile({ url, file_name: fileName });
    return true;
  } catch {
    return false;
  }
}
