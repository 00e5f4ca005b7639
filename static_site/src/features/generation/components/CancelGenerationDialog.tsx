import { Alert, Button, Dialog } from '../../../shared/ui';
import s from './generation.module.css';

interface Props {
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onKeepGoing: () => void;
}

/**
 * Asked before a running photoshoot is stopped: one stray tap on a phone would otherwise throw
 * away the wait and the photos rendered so far. Esc, the backdrop and «Продолжить» keep it going.
 */
export function CancelGenerationDialog({ busy, error, onConfirm, onKeepGoing }: Props) {
  return (
    <Dialog title="Отменить фотосессию?" onClose={onKeepGoing} testId="cancel-generation-dialog">
      <div className={s.confirm}>
        <p className="muted">
          Генерация остановится, фото, которые ещё не готовы, не будут созданы. Фотосессия вернётся на баланс.
        </p>
        {error && <Alert testId="cancel-generation-error">{error}</Alert>}
        <div className={s.confirmActions}>
          <Button variant="danger" block loading={busy} onClick={onConfirm} data-testid="cancel-generation-confirm">
            Отменить фотосессию
          </Button>
          {/* the safe answer takes the focus, so Enter on a stray open does not cancel */}
          <Button variant="secondary" block disabled={busy} onClick={onKeepGoing} autoFocus data-testid="cancel-generation-keep">
            Продолжить
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
