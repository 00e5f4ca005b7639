import { useEffect, useRef, type RefObject } from 'react';
import { useLocation } from 'react-router-dom';

/** How long a new page may take to show its heading (a lazy chunk, its first data). */
const WAIT_FOR_HEADING_MS = 5000;

function focusHeading(heading: HTMLElement) {
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: true });
}

/**
 * A new page takes the keyboard focus at its heading. Without this the SPA left it on the
 * link that was clicked (header, tab bar) or, when that link went away with the old page, on
 * the body: a screen reader said nothing about the new page, and Tab went on from wherever.
 * A page that put the focus on a field of its own (autofocus) keeps it; a heading that comes
 * later (a lazy page, a spinner first) takes it only if the focus has not moved meanwhile.
 */
export function useFocusPageOnNavigate(main: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const shown = useRef(pathname);
  useEffect(() => {
    if (pathname === shown.current) return undefined;
    shown.current = pathname;
    const root = main.current;
    if (!root) return undefined;
    const before = document.activeElement;
    if (before && before !== root && before !== document.body && root.contains(before)) return undefined;
    const heading = root.querySelector<HTMLElement>('h1');
    if (heading) {
      focusHeading(heading);
      return undefined;
    }
    const observer = new MutationObserver(() => {
      const late = root.querySelector<HTMLElement>('h1');
      if (!late) return;
      stop();
      const now = document.activeElement;
      if (now === before || now === null || now === document.body) focusHeading(late);
    });
    const timer = setTimeout(() => stop(), WAIT_FOR_HEADING_MS);
    function stop() {
      observer.disconnect();
      clearTimeout(timer);
    }
    observer.observe(root, { childList: true, subtree: true });
    return stop;
  }, [pathname, main]);
}
