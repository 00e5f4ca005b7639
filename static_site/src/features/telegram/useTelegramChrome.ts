import { useAppSelector } from '../../app/hooks';
import { selectWorkAtRisk } from '../generation/workAtRisk';
import { useBackButton } from './useBackButton';
import { useClosingConfirmation } from './useClosingConfirmation';
import { useExternalLinks } from './externalLinks';
import { useFullscreenInsets, type FullscreenInsets } from './useFullscreenInsets';
import { useMiniApp } from './useMiniApp';

/**
 * The app's layout inside Telegram: back arrow, «close anyway?» while a photo or a new
 * photoshoot is on its way, links leaving the webview, room for Telegram's controls in
 * fullscreen. Returns the layout's extra styles; outside Telegram, none and no effect.
 */
export function useTelegramChrome(): FullscreenInsets {
  const app = useMiniApp();
  useBackButton(app);
  useClosingConfirmation(app, useAppSelector(selectWorkAtRisk));
  useExternalLinks(app);
  return useFullscreenInsets(app);
}
