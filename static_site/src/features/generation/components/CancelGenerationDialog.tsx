import { ConfirmDialog } from '../../../shared/ui';

interface Props {
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onKeepGoing: () => void;
}

/**
 * Asked before a running photoshoot is stopped: one stray tap on a phone would otherwise throw
 * away the wait and the photos rendered so far. Esc, the backdrop and «Не отменять» keep it going.
 */
export function CancelGenerationDialog({ busy, error, onConfirm, onKeepGoing }: Props) {
  return (
    <ConfirmDialog
      title="Отменить фотосессию?"
      confirmLabel="Отменить фотосессию"
      keepLabel="Не отменять"
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onKeep={onKeepGoing}
      testId="cancel-generation"
    >
      {/* a cancelled photoshoot is refunded and delivers nothing: the shots already in the
          gallery go too, so the question must not suggest they stay */}
      Генерация остановится, и фото не сохранятся&nbsp;— даже те, что уже готовы. Фотосессия вернётся на баланс.
    </ConfirmDialog>
  );
}
