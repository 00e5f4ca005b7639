import { useEffect, useRef, type FormEvent, type ReactNode, type RefObject } from 'react';
import { Alert, Button } from '../../../shared/ui';
import { errorCode, errorMessage } from '../../../shared/errors';
import { formValueText, type UnsavedEdit } from '../catalogueForms';
import type { useVersionedEdit } from '../useVersionedEdit';
import s from './admin.module.css';

/** Someone saved the item after this form loaded it: the server's answer code. */
export const CONFLICT = 'catalogue_conflict';

const FIELDS = 'input:not([disabled]), textarea:not([disabled]), select:not([disabled])';

/** True when the keyboard focus is nowhere (on the body): the element that had it is gone. */
function focusLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

function focusFirstField(form: HTMLFormElement | null) {
  form?.querySelector<HTMLElement>(FIELDS)?.focus();
}

/**
 * Keyboard focus while parts of the form come and go, so it never falls back to the top of
 * the page: a refusal that arrives with the focus lost (the busy Save button was disabled)
 * takes it — the conflict's «Загрузить актуальную версию», else the message; once the latest
 * version is in, the first field has it (unless the unsaved-edit notice took it); when the
 * form closes it goes back to the button that opened it.
 */
function useEditorFocus(form: RefObject<HTMLFormElement | null>, error: unknown, isConflict: boolean, saving: boolean) {
  // read on the first render, before anything inside the form can take the focus
  const opener = useRef<Element | null | undefined>(undefined);
  if (opener.current === undefined) opener.current = document.activeElement;
  useEffect(
    () => () => {
      const back = opener.current;
      if (back instanceof HTMLElement && back.isConnected && focusLost()) back.focus();
    },
    [],
  );

  useEffect(() => {
    if (!error || !form.current || form.current.contains(document.activeElement)) return;
    form.current.querySelector<HTMLElement>(isConflict ? '[data-conflict-reload]' : '[data-form-error]')?.focus();
  }, [error, isConflict, form]);

  // the conflict is gone without a new save on its way: the latest version was loaded
  const wasConflict = useRef(false);
  useEffect(() => {
    if (wasConflict.current && !isConflict && !saving && form.current && !form.current.contains(document.activeElement)) focusFirstField(form.current);
    wasConflict.current = isConflict;
  }, [isConflict, saving, form]);
}

/** What the frame needs to offer the latest version after a conflict. */
export interface ConflictActions {
  onReload: () => void;
  reloading: boolean;
  reloadError: string | null;
}

/** The frame every catalogue editor form shares: fields, the server's refusal, save / cancel.
 * On a conflict it offers to load the latest version; `notice` shows what the admin typed.
 * Test ids derive from `testId`: `<testId>`, `<testId>-error`, `<testId>-save`,
 * `<testId>-reload`. */
export function EditorForm({
  testId,
  onSubmit,
  onCancel,
  isLoading,
  error,
  conflict,
  notice,
  children,
}: {
  testId: string;
  onSubmit: (event: FormEvent) => void;
  onCancel: () => void;
  isLoading: boolean;
  error: unknown;
  conflict?: ConflictActions;
  notice?: ReactNode;
  children: ReactNode;
}) {
  const isConflict = Boolean(conflict) && errorCode(error) === CONFLICT;
  const form = useRef<HTMLFormElement>(null);
  useEditorFocus(form, error, isConflict, isLoading);
  return (
    <form ref={form} className={s.form} onSubmit={onSubmit} data-testid={testId} noValidate>
      {children}
      {notice ? <div className={s.notice}>{notice}</div> : null}
      {error ? (
        <div className={`${s.notice} ${s.focusTarget}`} tabIndex={-1} data-form-error>
          <Alert testId={`${testId}-error`}>
            {errorMessage(error)}
            {isConflict && conflict ? (
              <div className={s.noticeActions}>
                <Button size="small" variant="secondary" loading={conflict.reloading} onClick={conflict.onReload} data-testid={`${testId}-reload`} data-conflict-reload>
                  Загрузить актуальную версию
                </Button>
                <span className={s.muted}>Ваши правки не пропадут: их можно будет вернуть.</span>
              </div>
            ) : null}
          </Alert>
        </div>
      ) : null}
      {conflict?.reloadError ? (
        <div className={s.notice}>
          <Alert testId={`${testId}-reload-error`}>{conflict.reloadError}</Alert>
        </div>
      ) : null}
      <div className={s.formActions}>
        <Button type="submit" size="small" loading={isLoading} data-testid={`${testId}-save`}>
          Сохранить
        </Button>
        <Button type="button" size="small" variant="ghost" onClick={onCancel}>
          Отмена
        </Button>
      </div>
    </form>
  );
}

/** After a conflict and a reload: the fields the admin had changed, what they typed, what is
 * saved now, and a way to put their values back on top of the latest version.
 * Test ids: `<testId>-unsaved`, `<testId>-reapply`, `<testId>-dismiss`. */
export function UnsavedEditNotice<F extends object>({
  testId,
  edit,
  latest,
  labels,
  onReapply,
  onDismiss,
}: {
  testId: string;
  edit: UnsavedEdit<F>;
  latest: F;
  labels: Record<keyof F, string>;
  onReapply: () => void;
  onDismiss: () => void;
}) {
  const root = useRef<HTMLDivElement>(null);
  // It appears after «Загрузить актуальную версию», which is gone by then: the focus comes
  // here, so a screen reader reads what was not saved and Tab reaches the two answers.
  useEffect(() => {
    if (focusLost()) root.current?.focus();
  }, []);
  // Either answer removes the notice: the focus moves on to where the work goes next
  // (Save after putting the edit back, the first field after keeping the latest version).
  const reapply = () => {
    root.current?.closest('form')?.querySelector<HTMLElement>('button[type="submit"]')?.focus();
    onReapply();
  };
  const dismiss = () => {
    focusFirstField(root.current?.closest('form') ?? null);
    onDismiss();
  };
  return (
    <div ref={root} tabIndex={-1} className={s.focusTarget}>
      <Alert kind="warning" testId={`${testId}-unsaved`}>
        <strong>В форме актуальная версия. Ваша правка пока не сохранена:</strong>
        <ul className={s.unsavedList}>
          {edit.fields.map((key) => (
            <li key={String(key)} data-testid={`${testId}-unsaved-${String(key)}`}>
              {labels[key]}: «{formValueText(edit.draft[key])}»
              {latest[key] !== edit.draft[key] ? <span className={s.muted}> (сейчас «{formValueText(latest[key])}»)</span> : null}
            </li>
          ))}
        </ul>
        <div className={s.noticeActions}>
          <Button size="small" onClick={reapply} data-testid={`${testId}-reapply`}>
            Вернуть мою правку
          </Button>
          <Button size="small" variant="ghost" onClick={dismiss} data-testid={`${testId}-dismiss`}>
            Оставить актуальную версию
          </Button>
        </div>
      </Alert>
    </div>
  );
}

/** What `VersionedEditorForm` needs of `useVersionedEdit`. */
type VersionedEdit<F extends object> = Pick<
  ReturnType<typeof useVersionedEdit<F>>,
  'reload' | 'reloading' | 'reloadError' | 'unsaved' | 'latest' | 'reapply' | 'dismiss'
>;

/** `EditorForm` wired to a versioned edit: an existing item's conflict offers the latest
 * version (`onReloaded` runs once the form holds it, e.g. to clear the save's refusal) and
 * then shows what the admin had typed. The packages and styles editors share it. */
export function VersionedEditorForm<F extends object>({
  testId,
  isNew,
  edit,
  labels,
  onReloaded,
  ...frame
}: {
  testId: string;
  isNew: boolean;
  edit: VersionedEdit<F>;
  labels: Record<keyof F, string>;
  onReloaded: () => void;
  onSubmit: (event: FormEvent) => void;
  onCancel: () => void;
  isLoading: boolean;
  error: unknown;
  children: ReactNode;
}) {
  const reload = async () => {
    if (await edit.reload()) onReloaded();
  };
  return (
    <EditorForm
      testId={testId}
      {...frame}
      conflict={isNew ? undefined : { onReload: () => void reload(), reloading: edit.reloading, reloadError: edit.reloadError }}
      notice={
        edit.unsaved ? (
          <UnsavedEditNotice testId={testId} edit={edit.unsaved} latest={edit.latest} labels={labels} onReapply={edit.reapply} onDismiss={edit.dismiss} />
        ) : null
      }
    />
  );
}
