import type { Generation } from '../../../shared/types';
import { ConfirmDialog } from '../../../shared/ui';
import { isTerminal } from '../liveGeneration';

interface Props {
  generation: Pick<Generation, 'status'>;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onKeep: () => void;
}

/**
 * Asked before a photoshoot is deleted from the history. Deleting one still in progress also
 * stops it and returns it to the balance (the server cancels and refunds first), so the
 * question says so rather than only «photos will be gone».
 */
export function DeleteGenerationDialog({ generation, busy, error, onConfirm, onKeep }: Props) {
  const inProgress = !isTerminal(generation.status);
  return (
    <ConfirmDialog
      title="Удалить фотосессию?"
      confirmLabel={inProgress ? 'Остановить и удалить' : 'Удалить'}
      keepLabel="Оставить"
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onKeep={onKeep}
      testId="delete-generation"
    >
      {inProgress
        ? 'Генерация ещё идёт: она остановится, а фотосессия вернётся на баланс. Уже готовые фото будут удалены без возможности восстановления.'
        : 'Фото будут удалены без возможности восстановления.'}
    </ConfirmDialog>
  );
}
