import { useRef, useState, type KeyboardEvent } from 'react';

export interface RadioOption {
  /** Unique within the group (one value may be offered twice, e.g. a suggested style). */
  key: string;
  checked: boolean;
  select: () => void;
}

const STEPS: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/**
 * A set of choices as one WAI-ARIA radio group with a roving tabindex: the group is a single
 * Tab stop that lands on the checked option (else the first), the arrows move and choose
 * (wrapping at the ends), Home and End go to the first and last. The group root gets
 * `groupRef`; each option spreads `optionProps(option, index)` on its button.
 */
export function useRadioGroup<T extends HTMLElement = HTMLDivElement>(options: RadioOption[]) {
  const groupRef = useRef<T>(null);
  // the option last focused: when a value is offered twice, Tab must leave from (and come
  // back to) the copy the seller is on, not jump to the other one
  const [active, setActive] = useState<string | null>(null);
  // While the focus is in the group it is the only Tab stop, checked or not (a choice made
  // meanwhile elsewhere, e.g. a suggestion arriving, must not open a second stop beside it).
  const [focused, setFocused] = useState<string | null>(null);
  const tabStop =
    options.find((o) => o.key === focused)?.key ??
    options.find((o) => o.key === active && o.checked)?.key ??
    options.find((o) => o.checked)?.key ??
    options[0]?.key;

  const moveTo = (index: number) => {
    const option = options[index];
    if (!option) return;
    if (!option.checked) option.select();
    setActive(option.key);
    groupRef.current?.querySelector<HTMLElement>(`[data-radio-key="${CSS.escape(option.key)}"]`)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent, index: number) => {
    // Alt+← is the browser's Back, Ctrl/⌘ combinations belong to the screen reader or the OS
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const last = options.length - 1;
    let to: number;
    if (e.key in STEPS) to = (index + STEPS[e.key] + options.length) % options.length;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = last;
    else return;
    e.preventDefault();
    moveTo(to);
  };

  const optionProps = (option: RadioOption, index: number) => ({
    role: 'radio' as const,
    'aria-checked': option.checked,
    tabIndex: option.key === tabStop ? 0 : -1,
    'data-radio-key': option.key,
    onClick: option.select,
    onFocus: () => {
      setActive(option.key);
      setFocused(option.key);
    },
    onBlur: () => setFocused(null),
    onKeyDown: (e: KeyboardEvent) => onKeyDown(e, index),
  });

  return { groupRef, optionProps };
}
