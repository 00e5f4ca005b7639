import { formatEta } from '../../../shared/format';
import { Button } from '../../../shared/ui';
import { STEPS, stepIndex, type LiveGeneration } from '../liveGeneration';
import s from './generation.module.css';

const ICONS: Record<string, string> = {
  upload: '⇪',
  analyze: '◎',
  prompt: '✎',
  generate: '✦',
  done: '✓',
};

type StepState = 'done' | 'current' | 'pending' | 'failed';

export function stepStates(generation: Pick<LiveGeneration, 'status' | 'step'>): StepState[] {
  const current = generation.status === 'succeeded' ? STEPS.length - 1 : stepIndex(generation.step);
  return STEPS.map((_, i) => {
    if (generation.status === 'succeeded') return 'done';
    if (i < current) return 'done';
    if (i === current) return generation.status === 'failed' || generation.status === 'cancelled' ? 'failed' : 'current';
    return 'pending';
  });
}

interface Props {
  generation: LiveGeneration;
  onCancel?: () => void;
  cancelling?: boolean;
}

/** Live steps: upload → analyse → prompt → generate → done, with percentage, message, ETA and Cancel. */
export function StepView({ generation, onCancel, cancelling }: Props) {
  const states = stepStates(generation);
  const progress = Math.max(0, Math.min(100, Math.round(generation.progress ?? 0)));
  const running = generation.status === 'queued' || generation.status === 'running' || !generation.status;
  const eta = running ? formatEta(generation.eta_s) : '';

  return (
    <div className={s.live} data-testid="generation-steps" data-step={generation.step ?? 'upload'} data-status={generation.status ?? 'queued'}>
      <ol className={s.steps}>
        {STEPS.map((st, i) => (
          <li key={st.step} className={s.stepItem} data-state={states[i]} data-testid={`generation-step-${st.step}`}>
            <span className={s.stepIcon} aria-hidden>
              {states[i] === 'done' ? '✓' : states[i] === 'failed' ? '!' : states[i] === 'current' ? <span className={s.spinIcon}>{ICONS[st.step]}</span> : ICONS[st.step]}
            </span>
            <span className={s.stepLabel}>{st.title}</span>
            {states[i] === 'current' && <span className="visually-hidden">— сейчас</span>}
          </li>
        ))}
      </ol>

      <div className={s.progressRow}>
        <div className={s.progressTop}>
          <span className={s.percent} data-testid="generation-percent">
            {progress}%
          </span>
          {eta && (
            <span className={s.eta} data-testid="generation-eta">
              осталось {eta}
            </span>
          )}
        </div>
        <div
          className={s.bar}
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress}
          aria-label="Прогресс фотосессии"
          data-testid="generation-progress"
        >
          <div className={`${s.barFill} ${running ? s.barRunning : ''}`} style={{ width: `${progress}%` }} />
        </div>
      </div>

      <div className={s.liveFoot}>
        <p className={s.message} aria-live="polite" data-testid="generation-message">
          {generation.message || (running ? 'Готовим фотосессию…' : '')}
        </p>
        {running && onCancel && (
          <Button variant="ghost" size="small" onClick={onCancel} loading={cancelling} data-testid="generation-cancel">
            Отменить
          </Button>
        )}
      </div>
    </div>
  );
}
