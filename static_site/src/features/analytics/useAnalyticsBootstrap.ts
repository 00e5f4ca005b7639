import { useEffect, useRef } from 'react';
import { useLocation, useNavigationType } from 'react-router-dom';
import { useGetConfigQuery } from '../catalogue/configApi';
import { hit, initMetrika } from './metrika';
import { nextPageView, type ReportedPage } from './pageViews';

/** Starts Metrika once the config names a counter, and reports page views (the landing included). */
export function useAnalyticsBootstrap(): void {
  const { data: config } = useGetConfigQuery();
  const location = useLocation();
  const navigationType = useNavigationType();
  const reported = useRef<ReportedPage | null>(null);

  useEffect(() => {
    if (config) initMetrika(config.metrika_counter_id);
  }, [config]);

  // runs for every location; nextPageView tells a new page from a repeat of the same one.
  // Views made before the config answers wait in metrika's queue.
  useEffect(() => {
    const { view, reported: next } = nextPageView(reported.current, location, navigationType, window.location.origin, document.referrer);
    reported.current = next;
    if (view) hit(view.url, view.referer ? { referer: view.referer } : undefined);
  }, [location, navigationType]);
}
