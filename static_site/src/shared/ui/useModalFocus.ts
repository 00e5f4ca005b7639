import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keyboard focus for a modal: moves into it when it opens (the element with `autofocus`, else
 * the first focusable one), keeps Tab and Shift+Tab inside it, and goes back to what had focus
 * before when it closes — so a keyboard or screen-reader user never lands on the page behind.
 */
export function useModalFocus(container: RefObject<HTMLElement | null>) {
  // read on the first render: by the time effects run, an autoFocus field inside has focus
  const openerRef = useRef<HTMLElement | null | undefined>(undefined);
  if (openerRef.current === undefined) {
    openerRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }
  useEffect(() => {
    const opener = openerRef.current;
    const focusables = () => Array.from(container.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []);
    const root = container.current;
    if (root && !root.contains(document.activeElement)) {
      (root.querySelector<HTMLElement>('[autofocus]') ?? focusables()[0] ?? root).focus();
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const items = focusables();
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      const inside = container.current?.contains(document.activeElement);
      if (e.shiftKey && (document.activeElement === first || !inside)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
        e.preventDefault();
        first.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (opener?.isConnected) opener.focus();
    };
  }, [container]);
}
