import type { Location, NavigationType } from 'react-router-dom';

/** The page last reported to Metrika, kept across renders of the app shell. */
export interface ReportedPage {
  /** react-router's key of the location: the same key is the same navigation. */
  key: string;
  pathname: string;
  search: string;
  url: string;
}

export interface PageView {
  url: string;
  referer?: string;
}

/**
 * Decides whether a location is a new page view.
 *
 * - The landing (nothing reported yet) is always one, with its full URL: the counter starts
 *   with `defer: true`, so without it a visitor who leaves at once makes no visit and the
 *   UTM tags and yclid of the ad click never reach Metrika. Its referer is the external one.
 * - The same location key again (StrictMode runs effects twice in development, re-renders)
 *   is the same navigation: nothing.
 * - A `replace` that keeps the path (e.g. /packages?buy=… tidied to /packages) only edits
 *   the address of the page already counted: nothing, but later referers use the new address.
 * - A change of the hash alone is not a page either.
 * - Anything else is a page view whose referer is the previous page's URL.
 */
export function nextPageView(
  previous: ReportedPage | null,
  location: Pick<Location, 'key' | 'pathname' | 'search' | 'hash'>,
  navigationType: `${NavigationType}`,
  origin: string,
  externalReferrer: string,
): { view: PageView | null; reported: ReportedPage } {
  const url = origin + location.pathname + location.search + location.hash;
  const reported: ReportedPage = { key: location.key, pathname: location.pathname, search: location.search, url };
  if (!previous) return { view: externalReferrer ? { url, referer: externalReferrer } : { url }, reported };
  if (previous.key === location.key) return { view: null, reported: previous };
  const samePage =
    (navigationType === 'REPLACE' && previous.pathname === location.pathname) ||
    (previous.pathname === location.pathname && previous.search === location.search);
  if (samePage) return { view: null, reported };
  return { view: { url, referer: previous.url }, reported };
}
