import {
  cloneElement,
  isValidElement,
  useEffect,
  useId,
  useRef,
  type AnchorHTMLAttributes,
  type ButtonHTMLAttributes,
  type ReactElement,
  type ReactNode,
  type Ref,
} from 'react';
import { Link, type LinkProps } from 'react-router-dom';
import s from './ui.module.css';
import { useConfirmedAction } from './useConfirmedAction';
import { useFocusWhenLost } from './useFocusWhenLost';
import { useModalFocus } from './useModalFocus';

export { useConfirmedAction, useFocusWhenLost, useModalFocus };

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'dark' | 'telegram';

function buttonClass(variant: Variant, size?: 'small', block?: boolean, extra?: string) {
  return [s.button, variant !== 'dark' && s[variant], size && s[size], block && s.block, extra].filter(Boolean).join(' ');
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  ref?: Ref<HTMLButtonElement>;
  variant?: Variant;
  size?: 'small';
  block?: boolean;
  loading?: boolean;
}

export function Button({ variant = 'dark', size, block, loading, className, children, disabled, ...rest }: ButtonProps) {
  return (
    <button
      type="button"
      className={buttonClass(variant, size, block, className)}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      {...rest}
    >
      {loading && <span className={s.spinner} aria-hidden />}
      {children}
    </button>
  );
}

export function ButtonLink({
  variant = 'dark',
  size,
  block,
  className,
  ...rest
}: LinkProps & { variant?: Variant; size?: 'small'; block?: boolean }) {
  return <Link className={buttonClass(variant, size, block, className)} {...rest} />;
}

export function ButtonAnchor({
  variant = 'dark',
  size,
  block,
  className,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { variant?: Variant; size?: 'small'; block?: boolean }) {
  return <a className={buttonClass(variant, size, block, className)} {...rest} />;
}

export function Spinner({ label = 'Загрузка…' }: { label?: string }) {
  return (
    <span role="status" aria-label={label} style={{ display: 'inline-flex' }}>
      <span className={s.spinner} />
    </span>
  );
}

export function Card({ children, className, ...rest }: { children: ReactNode; className?: string } & Record<string, unknown>) {
  return (
    <section className={[s.card, className].filter(Boolean).join(' ')} {...rest}>
      {children}
    </section>
  );
}

export function Alert({
  kind = 'error',
  children,
  testId,
}: {
  kind?: 'error' | 'info' | 'success' | 'warning';
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`${s.alert} ${s[`alert-${kind}`]}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <div>{children}</div>
    </div>
  );
}

export function Badge({ children, hot, ...rest }: { children: ReactNode; hot?: boolean } & Record<string, unknown>) {
  return (
    <span className={`${s.badge} ${hot ? s['badge-hot'] : ''}`} {...rest}>
      {children}
    </span>
  );
}

/**
 * A labelled form control with its hint and its error. The hint and the error are tied to the
 * control (`aria-describedby`), and an error marks it `aria-invalid`, so a screen reader says
 * what is wrong when the field is reached, not only where the message happens to be printed.
 * `children` is the one control (input, select, textarea).
 */
export function Field({
  label,
  hint,
  error,
  errorTestId,
  children,
  htmlFor,
}: {
  label: ReactNode;
  hint?: ReactNode;
  /** What is wrong with the value, in Russian; shown under the field. */
  error?: ReactNode;
  errorTestId?: string;
  children: ReactNode;
  htmlFor?: string;
}) {
  const ownId = useId();
  const hintId = hint ? `${htmlFor ?? ownId}-hint` : undefined;
  const errorId = error ? `${htmlFor ?? ownId}-error` : undefined;
  const described = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children)
    ? cloneElement(children as ReactElement<Record<string, unknown>>, {
        'aria-describedby': [described, (children.props as Record<string, unknown>)['aria-describedby']].filter(Boolean).join(' ') || undefined,
        'aria-invalid': error ? true : (children.props as Record<string, unknown>)['aria-invalid'],
      })
    : children;
  return (
    <div className={s.field}>
      <label className={s.label} htmlFor={htmlFor}>
        {label}
      </label>
      {control}
      {error && (
        <span id={errorId} className={s['field-error']} role="alert" data-testid={errorTestId}>
          {error}
        </span>
      )}
      {hint && (
        <span id={hintId} className={s.hint}>
          {hint}
        </span>
      )}
    </div>
  );
}

export const inputClass = s.input;
export const hintClass = s.hint;
export const emptyClass = s.empty;

export function Dialog({
  title,
  onClose,
  children,
  testId,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  useModalFocus(dialog);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      document.removeEventListener('keydown', onKey);
      document.body.style.overflow = overflow;
    };
  }, [onClose]);
  return (
    <div className={s.overlay} onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={dialog} className={s.dialog} role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId}>
        <div className={s['dialog-head']}>
          <h2 id={titleId} className={s['dialog-title']}>
            {title}
          </h2>
          <button type="button" className={s.close} onClick={onClose} aria-label="Закрыть">
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

/**
 * A yes/no question before something that cannot be undone, in the page (not `window.confirm`,
 * which Telegram's in-app WebView does not show reliably and which cannot take focus or say
 * more than a line). The safe answer has the focus, so Enter on a stray open does nothing
 * harmful. While the request is on its way nothing closes it: closing would not stop the
 * request, and the answer (or the refusal, shown here) belongs to this question.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  keepLabel,
  busy,
  error,
  onConfirm,
  onKeep,
  testId,
}: {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: ReactNode;
  keepLabel: ReactNode;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onKeep: () => void;
  /** `<testId>-dialog`, `-confirm`, `-keep` and `-error` */
  testId: string;
}) {
  const keep = () => {
    if (!busy) onKeep();
  };
  return (
    <Dialog title={title} onClose={keep} testId={`${testId}-dialog`}>
      <div className={s.confirm}>
        <p className="muted">{children}</p>
        {error && <Alert testId={`${testId}-error`}>{error}</Alert>}
        <div className={s['confirm-actions']}>
          <Button variant="danger" block loading={busy} onClick={onConfirm} data-testid={`${testId}-confirm`}>
            {confirmLabel}
          </Button>
          <Button variant="secondary" block disabled={busy} onClick={keep} autoFocus data-testid={`${testId}-keep`}>
            {keepLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
