import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../../shared/format';
import { Alert, Button, ButtonLink, Card, Spinner, useFocusWhenLost } from '../../../shared/ui';
import { DEFAULT_FORMATS, useGetConfigQuery } from '../../catalogue/configApi';
import { SaveStyleDialog } from '../../styles/components/SaveStyleDialog';
import { useGetSavedStylesQuery, useGetStylesQuery } from '../../styles/stylesApi';
import { aspectOf } from '../regenerate';
import { isStyleSaved, suggestedStyleTitle } from '../saveStyleOffer';
import { useGenerationActions } from '../useGenerationActions';
import { useLiveGeneration } from '../useLiveGeneration';
import { useGenerationOutcomeHaptic } from '../../telegram/useOutcomeHaptics';
import { CancelGenerationDialog } from './CancelGenerationDialog';
import { Gallery } from './Gallery';
import { StepView } from './StepView';
import s from './generation.module.css';

/** A running or finished generation: live steps, then the gallery and what to do next. */
/** The page says where the photoshoot stands; the style is on the line below. */
const HEADINGS: Record<string, string> = {
  queued: 'Создаём фотосессию',
  running: 'Создаём фотосессию',
  succeeded: 'Фотосессия готова',
  failed: 'Фотосессия не получилась',
  cancelled: 'Генерация отменена',
};

export function GenerationView({ id }: { id: string }) {
  const { generation, loading, notFound, error } = useLiveGeneration(id);
  const actions = useGenerationActions(generation);
  useGenerationOutcomeHaptic(id, generation?.status);
  const { data: config } = useGetConfigQuery();
  const { data: styles = [] } = useGetStylesQuery();
  const { data: saved = [] } = useGetSavedStylesQuery();
  const [saving, setSaving] = useState(false);
  // saved here and now; a style saved before (another visit, an edited description) is
  // recognised in the saved styles below
  const [styleSaved, setStyleSaved] = useState(false);
  // When the run ends, «Отменить» (or the cancel question, which closes by itself) leaves
  // the page with the focus: the heading, which now says how it ended, takes it.
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusWhenLost(heading, generation?.status);
  // «Сохранить стиль» and its dialog leave together: the note in the button's place takes the
  // focus (and so is read), where the keyboard was
  const savedNote = useRef<HTMLSpanElement>(null);
  useFocusWhenLost(savedNote, styleSaved);

  if (loading) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', minHeight: 240 }}>
        <Spinner />
      </div>
    );
  }
  if (notFound) {
    return (
      <Alert kind="warning" testId="generation-not-found">
        Такой фотосессии нет — возможно, она удалена. <Link to="/generate">Создать новую</Link>
      </Alert>
    );
  }
  if (error || !generation) return <Alert>{error ?? 'Не удалось загрузить фотосессию.'}</Alert>;

  const status = generation.status ?? 'queued';
  const running = status === 'queued' || status === 'running';
  const formats = config?.formats?.length ? config.formats : DEFAULT_FORMATS;
  const aspect = aspectOf(generation.format, formats);
  const catalogueStyle = styles.find((st) => st.style_id === generation.style_id);
  const savedStyle = saved.find((st) => st.style_id === generation.saved_style_id);
  const title = generation.style_title ?? catalogueStyle?.title ?? savedStyle?.title ?? (generation.custom_prompt ? 'Свой стиль' : 'Фотосессия');
  const failure = generation.error?.message || generation.message || '';
  // what the seller reads and edits: a catalogue style's Russian description, not the
  // English prompt written for the renderers (the saved style keeps its base style's scene)
  const stylePrompt = generation.custom_prompt ?? savedStyle?.prompt ?? (catalogueStyle?.description || catalogueStyle?.prompt) ?? '';
  const baseStyleId = generation.style_id ?? null;
  // once kept, the button gives way to a note: a second tap would save a copy
  const alreadySaved = styleSaved || isStyleSaved(saved, stylePrompt, baseStyleId);

  return (
    <div className={s.live} data-testid="generation-view" data-status={status}>
      <div className={s.resultHead}>
        <div>
          <h1 ref={heading} tabIndex={-1} className="page-title">
            {HEADINGS[status] ?? title}
          </h1>
          <p className="muted">
            {title}
            {generation.format && <> · {generation.format}</>}
            {generation.created_at && <> · {formatDateTime(generation.created_at)}</>}
          </p>
        </div>
      </div>

      {(running || status === 'succeeded') && (
        <Card>
          <StepView generation={generation} onCancel={actions.askCancel} cancelling={actions.cancelling} />
        </Card>
      )}

      {status === 'failed' && (
        <Alert testId="generation-failed">
          {/* the server's message says what went wrong, the refund and what to do next */}
          {failure ||
            'Не получилось создать фотосессию. Фотосессия вернулась на баланс. Попробуйте ещё раз или выберите другой стиль.'}
        </Alert>
      )}
      {status === 'cancelled' && (
        <Alert kind="warning" testId="generation-cancelled">
          {/* the server's message already says the photoshoot is back on the balance */}
          {generation.message || 'Генерация отменена. Фотосессия вернулась на баланс.'}
        </Alert>
      )}
      {actions.error && <Alert>{actions.error}</Alert>}
      {/* there before the notice, so a screen reader hears it come (the share button keeps the
          focus; a live region born with its text is not read) */}
      <div className={s.noticeRegion} aria-live="polite" data-testid="generation-notice">
        {actions.notice && <Alert kind="success">{actions.notice}</Alert>}
      </div>

      {!running && (
        <div className={s.galleryActions}>
          {status === 'succeeded' && generation.images.length > 0 && (
            <Button variant="primary" onClick={actions.downloadAll} loading={actions.archiving} data-testid="download-all">
              Скачать все (ZIP)
            </Button>
          )}
          <Button variant="secondary" onClick={actions.generateAgain} data-testid="generate-again">
            Сгенерировать ещё
          </Button>
          {status === 'succeeded' && stylePrompt && !generation.saved_style_id && !alreadySaved && (
            <Button variant="secondary" onClick={() => setSaving(true)} data-testid="save-style">
              Сохранить стиль
            </Button>
          )}
          {status === 'succeeded' && stylePrompt && !generation.saved_style_id && alreadySaved && (
            <span ref={savedNote} tabIndex={-1} className="muted" role="status" data-testid="style-saved">
              {styleSaved ? 'Стиль сохранён — он среди ваших стилей при следующей генерации' : 'Этот стиль уже среди ваших'}
            </span>
          )}
          {status === 'succeeded' && generation.images.length > 0 && (
            <Button variant="ghost" onClick={actions.share} loading={actions.sharing} data-testid="share">
              {actions.shareReady ? 'Отправить фото' : 'Поделиться'}
            </Button>
          )}
          {status !== 'succeeded' && (
            <ButtonLink to="/profile" variant="ghost">
              История
            </ButtonLink>
          )}
        </div>
      )}

      {/* a failed or cancelled photoshoot was refunded and delivers no photos */}
      {(running || (status === 'succeeded' && generation.images.length > 0)) && (
        <Gallery
          images={generation.images}
          running={running}
          aspect={aspect}
          generationId={generation.generation_id}
          onDownload={actions.downloaded}
          expected={config?.images_per_generation}
        />
      )}

      {actions.confirmingCancel && (
        <CancelGenerationDialog
          busy={actions.cancelling}
          error={actions.cancelError}
          onConfirm={actions.confirmCancel}
          onKeepGoing={actions.keepGoing}
        />
      )}

      {saving && (
        <SaveStyleDialog
          initial={{
            title: suggestedStyleTitle({ styleTitle: generation.style_title ?? catalogueStyle?.title, customPrompt: generation.custom_prompt }),
            prompt: stylePrompt,
            base_style_id: baseStyleId,
          }}
          onClose={() => setSaving(false)}
          onSaved={() => setStyleSaved(true)}
        />
      )}
    </div>
  );
}
