import { useEffect, useId, useRef } from 'react';
import { Link } from 'react-router-dom';
import { useAppSelector } from '../app/hooks';
import { selectBalance } from '../features/auth/authSlice';
import { FormatPicker } from '../features/generation/components/FormatPicker';
import { PhotoDropzone } from '../features/generation/components/PhotoDropzone';
import { StyleStep } from '../features/generation/components/StyleStep';
import { styleComplete } from '../features/generation/draftSlice';
import gs from '../features/generation/components/generation.module.css';
import { useComposer } from '../features/generation/useComposer';
import { useGetSavedStylesQuery, useGetStylesQuery } from '../features/styles/stylesApi';
import { countPhotoshoots } from '../shared/format';
import { Alert, Button, ButtonLink, Card } from '../shared/ui';

function StepHeader({ no, title, done }: { no: number; title: string; done?: boolean }) {
  return (
    <div className={gs.stepHead} data-testid={`step-${no}`} data-done={done ? 'true' : 'false'}>
      <span className={`${gs.stepNo} ${done ? gs.stepDone : ''}`}>{done ? '✓' : no}</span>
      <h2 className={gs.stepTitle}>{title}</h2>
    </div>
  );
}

export default function GeneratePage() {
  const composer = useComposer();
  const { draft } = composer;
  const balance = useAppSelector(selectBalance);
  const { data: styles = [] } = useGetStylesQuery();
  const { data: saved = [] } = useGetSavedStylesQuery();
  // the balance follows payments live; a 402 re-reads it (createGeneration invalidates 'Me')
  const { noBalance } = composer;
  const failure = composer.submitError && !composer.insufficientBalance ? composer.submitError : null;

  // A refusal is told in the sticky bar, where the tap was — the end of the long form is out
  // of sight on a phone. The focus goes to it: the button lost it while it was busy, and a
  // screen reader then reads the refusal; Tab leads on to the retry.
  const refusal = useRef<HTMLDivElement>(null);
  const hintId = useId();
  useEffect(() => {
    if (composer.failures > 0) refusal.current?.focus();
  }, [composer.failures]);

  return (
    <div className="container page">
      <h1 className="page-title">Новая фотосессия</h1>
      <p className="page-lead" style={{ marginBottom: 24 }}>
        Загрузите фото товара, выберите стиль и формат — остальное сделает AI.
      </p>

      <div className={gs.composer}>
        <Card>
          <div className={gs.stepCard}>
            <StepHeader no={1} title="Фото товара" done={draft.phase === 'ready'} />
            <PhotoDropzone draft={draft} onFile={composer.pickFile} />
          </div>
        </Card>

        <Card>
          <div className={gs.stepCard}>
            <StepHeader no={2} title="Стиль" done={styleComplete(draft)} />
            <StyleStep
              styles={styles}
              saved={saved}
              suggestions={draft.suggestions}
              choice={draft.choice}
              onChoose={composer.chooseStyle}
              analyzing={draft.phase === 'analyzing'}
            />
          </div>
        </Card>

        <Card>
          <div className={gs.stepCard}>
            <StepHeader no={3} title="Формат" done={Boolean(draft.format)} />
            <FormatPicker formats={composer.formats} value={draft.format} onChange={composer.chooseFormat} />
          </div>
        </Card>

        {noBalance && (
          <Alert kind="warning" testId="insufficient-balance">
            <b>На балансе нет фотосессий.</b> Выберите пакет — фотосессии не сгорают, а каждая следующая дешевле.{' '}
            <Link to="/packages" data-testid="insufficient-balance-link">
              Выбрать пакет →
            </Link>
          </Alert>
        )}
        <div className={gs.submitBar} data-sticky-submit>
          {failure && (
            <div ref={refusal} tabIndex={-1} className={gs.submitError}>
              <Alert testId="generate-error">{failure}</Alert>
            </div>
          )}
          <div
            ref={composer.insufficientBalance ? refusal : undefined}
            tabIndex={composer.insufficientBalance ? -1 : undefined}
            role={composer.insufficientBalance ? 'alert' : undefined}
            id={hintId}
            className={gs.submitInfo}
            data-testid="generate-hint"
          >
            {noBalance ? (
              <>
                <b>На балансе нет фотосессий.</b> Выберите пакет — фото, стиль и формат дождутся вас здесь.
              </>
            ) : (
              composer.blocker ?? (
                <>
                  Спишется <b>1 фотосессия</b>
                  {balance !== null && <> · на балансе {countPhotoshoots(balance)}</>}
                </>
              )
            )}
          </div>
          {noBalance ? (
            // the bar is what a phone shows while the seller scrolls the styles
            <ButtonLink to="/packages" variant="primary" data-testid="generate-buy">
              Выбрать пакет
            </ButtonLink>
          ) : (
            // Held back, it stays a Tab stop that says why (aria-disabled, described by the
            // hint): a disabled button is skipped by Tab, and the keyboard never learns what is missing.
            // A press then does nothing: the draft builds no request.
            <Button
              variant="primary"
              onClick={composer.submit}
              aria-disabled={composer.blocker ? true : undefined}
              aria-describedby={hintId}
              loading={composer.submitting}
              data-testid="generate-button"
            >
              {failure ? 'Попробовать ещё раз' : 'Сгенерировать'}
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}
