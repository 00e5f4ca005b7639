import type { FormEvent, ReactNode } from 'react';
import { Alert, Button } from '../../../shared/ui';
import { errorMessage } from '../../../shared/errors';
import s from './admin.module.css';

/** The frame every catalogue editor form shares: fields, the server's refusal, save / cancel.
 * Test ids derive from `testId`: `<testId>`, `<testId>-error`, `<testId>-save`. */
export function EditorForm({
  testId,
  onSubmit,
  onCancel,
  isLoading,
  error,
  children,
}: {
  testId: string;
  onSubmit: (event: FormEvent) => void;
  onCancel: () => void;
  isLoading: boolean;
  error: unknown;
  children: ReactNode;
}) {
  return (
    <form className={s.form} onSubmit={onSubmit} data-testid={testId} noValidate>
      {children}
      {error ? <Alert testId={`${testId}-error`}>{errorMessage(error)}</Alert> : null}
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
