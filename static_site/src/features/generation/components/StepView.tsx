import { useEffect, useState } from 'react';
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

/**
 * The server's ETA counted down here, a second at a time, from when its state arrived: a
 * render that outlasts the estimate must not sit on the same «≈ 3 с». Each new state from
 * the server starts the count again; the same state read twice (a late HTTP answer, a poll
 * that found nothing new) does not. Null when no ETA is known.
 */
export function useEtaCountdown(state: string, etaSeconds: number | null | undefined, running: boolean): number | null {
  const known = running && etaSeconds != null && Number.isFinite(etaSeconds);
  const [clock, setClock] = useState(() => ({ state, since: Date.now(), now: Date.now() }));
  if (clock.state !== state) {
    // adjusted while rendering, so the new state's ETA is never shown minus the old state's age
    const now = Date.now();
    setClock({ state, since: now, now });
  }
  useEffect(() => {
    if (!known) return undefined;
    const tick = setInterval(() => setClock((c) => ({ ...c, now: Date.now() })), 1000);
    return () => clearInterval(tick);
  }, [known, state]);
  if (!known) return null;
  const elapsed = clock.state === state ? Math.floor((clock.now - clock.since) / 1000) : 0;
  return Math.max(0, etaSeconds! - elapsed);
}

interface Props {
  generation: LiveGeneration;
  onCancel?: () => void;
  cancelling?: boolean;
}

/** Live steps: upload → analyse → prompt → generate → done, with percentage, message, ETA and Cancel. */
export function StepView({ generation, onCancel, cancelling }: Props) {
  const states = stepStates(generation);
  const now = states.findIndex((state) => state === 'current' || state === 'failed');
  const shown = now < 0 ? STEPS.length - 1 : now;
  const progress = Math.max(0, Math.min(100, Math.round(generation.progress ?? 0)));
  const running = generation.status === 'queued' || generation.status === 'running' || !generation.status;
  const { status, step, message, eta_s } = generation;
  const remaining = useEtaCountdown([status, step, generation.progress, message, eta_s].join('|'), eta_s, running);
  // past the estimate, a number would be a promise already broken: say so plainly
  const eta = remaining === null ? '' : remaining > 0 ? `осталось ${formatEta(remaining)}` : 'ещё немного…';

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
      {/* a phone has no room for the labels under the circles: the current step is named here
          (screen readers already hear it in the list) */}
      <p className={s.stepNow} aria-hidden data-testid="generation-step-title">
        Шаг {shown + 1} из {STEPS.length} · {STEPS[shown].title}
      </p>

      <div className={s.progressRow}>
        <div className={s.progressTop}>
          <span className={s.percent} data-testid="generation-percent">
            {progress}%
          </span>
          {eta && (
            <span className={s.eta} data-testid="generation-eta">
              {eta}
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
