import { useLayoutEffect, useRef } from 'react';
import { useLocation, useNavigationType } from 'react-router-dom';

/**
 * A new page starts at its top. Without this the SPA kept the previous page's scroll: after
 * «Сгенерировать» at the bottom of a long form, the live step view opened scrolled past its
 * progress bar. Back and forward (POP) are left to the browser's own scroll restoration;
 * query-only changes (filters) keep the position.
 */
export function useScrollToTopOnNavigate() {
  const location = useLocation();
  const navigationType = useNavigationType();
  const shownPath = useRef(location.pathname);
  useLayoutEffect(() => {
    if (location.pathname === shownPath.current) return;
    shownPath.current = location.pathname;
    if (navigationType !== 'POP') window.scrollTo(0, 0);
  }, [location, navigationType]);
}
