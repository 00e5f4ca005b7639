import { useEffect, useRef, type RefObject } from 'react';

/**
 * When `state` changes and the keyboard focus is nowhere (on the body: the button that had it
 * went away with the old state), `target` takes it — typically the heading that now says what
 * happened, so a screen reader reads it and Tab goes on from there, not from the page top.
 * The first render is left alone: a new page's focus is the router's business.
 */
export function useFocusWhenLost(target: RefObject<HTMLElement | null>, state: unknown) {
  const previous = useRef(state);
  useEffect(() => {
    if (Object.is(previous.current, state)) return;
    previous.current = state;
    const active = document.activeElement;
    if (active === null || active === document.body) target.current?.focus({ preventScroll: true });
  }, [state, target]);
}
