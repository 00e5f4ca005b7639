import { leaveTo } from '../../shared/navigation';
import { downloadFileName, downloadInTelegram } from '../telegram/downloads';

/** Saves a signed attachment link (the ZIP): by Telegram's download popup inside the Mini App, else by following it. */
export function saveDownload(url: string, fallbackName: string): void {
  if (!downloadInTelegram(url, downloadFileName(url, fallbackName))) leaveTo(url);
}
