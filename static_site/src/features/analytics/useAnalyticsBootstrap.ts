import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router-dom';
import { useGetConfigQuery } from '../catalogue/configApi';
import { hit, initMetrika } from './metrika';

/** Starts Metrika once the config names a counter, and reports SPA page views. */
export function useAnalyticsBootstrap(): void {
  const { data: config } = useGetConfigQuery();
  const location = useLocation();
  const first = useRef(true);

  useEffect(() => {
    if (config) initMetrika(config.metrika_counter_id);
  }, [config]);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    hit(location.pathname + location.search);
  }, [location.pathname, location.search]);
}
