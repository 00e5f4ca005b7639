import type { FormEvent, ReactNode } from 'react';
import { Alert, Button } from '../../../shared/ui';
import { errorCode, errorMessage } from '../../../shared/errors';
import { formValueText, type UnsavedEdit } from '../catalogueForms';
import s from './admin.module.css';

/** Someone saved the item after this form loaded it: the server's answer code. */
export const CONFLICT = 'catalogue_conflict';

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
  return (
    <form className={s.form} onSubmit={onSubmit} data-testid={testId} noValidate>
      {children}
      {notice ? <div className={s.notice}>{notice}</div> : null}
      {error ? (
        <div className={s.notice}>
          <Alert testId={`${testId}-error`}>
            {errorMessage(error)}
            {isConflict && conflict ? (
              <div className={s.noticeActions}>
                <Button size="small" variant="secondary" loading={conflict.reloading} onClick={conflict.onReload} data-testid={`${testId}-reload`}>
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
  return (
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
        <Button size="small" onClick={onReapply} data-testid={`${testId}-reapply`}>
          Вернуть мою правку
        </Button>
        <Button size="small" variant="ghost" onClick={onDismiss} data-testid={`${testId}-dismiss`}>
          Оставить актуальную версию
        </Button>
      </div>
    </Alert>
  );
}
