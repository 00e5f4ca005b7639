import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { Alert, Button, Spinner } from '../../../shared/ui';
import type { DraftState } from '../draftSlice';
import { ACCEPTED_TYPES, MIN_SIDE } from '../imageValidation';
import s from './generation.module.css';

interface Props {
  draft: DraftState;
  onFile: (file: File) => void;
}

const PHASE_TEXT: Partial<Record<DraftState['phase'], string>> = {
  validating: 'Проверяем фото…',
  uploading: 'Загружаем…',
  analyzing: 'Изучаем товар и подбираем стили…',
};

const COARSE_POINTER = '(pointer: coarse)';

/** A touch screen, where a file cannot be dragged in: the zone then only offers to choose one. */
function useCoarsePointer(): boolean {
  const query = () => (typeof window.matchMedia === 'function' ? window.matchMedia(COARSE_POINTER) : null);
  const [coarse, setCoarse] = useState(() => query()?.matches ?? false);
  useEffect(() => {
    const media = query();
    if (!media) return undefined;
    const onChange = () => setCoarse(media.matches); // a tablet docked to a keyboard and mouse
    media.addEventListener?.('change', onChange);
    return () => media.removeEventListener?.('change', onChange);
  }, []);
  return coarse;
}

export function PhotoDropzone({ draft, onFile }: Props) {
  const coarse = useCoarsePointer();
  const inputId = useId();
  const [dragging, setDragging] = useState(false);
  const zone = useRef<HTMLDivElement>(null);
  const replace = useRef<HTMLButtonElement>(null);
  const pick = useRef<HTMLButtonElement>(null);
  // «Выбрать фото» gives way to the preview (or is disabled while the file is checked), and a
  // refused first photo takes the preview and «Заменить фото» away again: a keyboard user's
  // focus would fall to the page top; it goes to whichever button now carries the step on
  const hadFocus = useRef(false);
  useEffect(() => {
    const inZone = () => {
      hadFocus.current = Boolean(zone.current?.contains(document.activeElement));
    };
    document.addEventListener('focusin', inZone);
    return () => document.removeEventListener('focusin', inZone);
  }, []);
  useEffect(() => {
    if (draft.phase !== 'idle' && hadFocus.current && !zone.current?.contains(document.activeElement)) {
      (replace.current ?? pick.current)?.focus();
    }
  }, [draft.phase]);
  const busy = draft.phase === 'validating' || draft.phase === 'uploading' || draft.phase === 'analyzing';

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files?.[0];
    if (file) onFile(file);
  };

  const input = (
    <input
      id={inputId}
      type="file"
      accept={ACCEPTED_TYPES.join(',')}
      className="visually-hidden"
      aria-label="Выбрать фото товара"
      // «Выбрать фото» / «Заменить фото» open it: as a Tab stop of its own it was a second,
      // invisible stop doing the same (a screen reader still finds it by browsing)
      tabIndex={-1}
      data-testid="upload-input"
      onChange={(e) => {
        const file = e.target.files?.[0];
        if (file) onFile(file);
        e.target.value = '';
      }}
    />
  );

  const hasPreview = Boolean(draft.previewUrl) && draft.phase !== 'error' && draft.phase !== 'idle';
  // what a screen reader hears as the photo goes through (a refusal is an alert of its own)
  const said = busy ? PHASE_TEXT[draft.phase] : draft.phase === 'ready' ? 'Фото загружено. Теперь выберите стиль.' : '';

  return (
    <div className={s.stepCard}>
      <div
        ref={zone}
        className={`${s.dropzone} ${dragging ? s.dragging : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="upload-dropzone"
        data-phase={draft.phase}
      >
        {input}
        {/* always there, so each change is announced (a live region born with its text is not) */}
        <p className="visually-hidden" role="status" data-testid="upload-status">
          {said}
        </p>
        {hasPreview ? (
          <div className={s.previewWrap}>
            <div className={`${s.previewImg} ${draft.phase === 'analyzing' ? s.previewScan : ''}`}>
              <img src={draft.previewUrl!} alt="Ваш товар" data-testid="upload-preview" />
            </div>
            <div className={s.previewInfo}>
              <span className={s.fileName}>{draft.fileName}</span>
              {busy && (
                <>
                  <div className={s.statusLine}>
                    <Spinner /> {PHASE_TEXT[draft.phase]}
                  </div>
                  <div className={s.miniBar}>
                    <span style={{ width: `${draft.phase === 'analyzing' ? 100 : draft.uploadProgress}%` }} />
                  </div>
                </>
              )}
              {draft.phase === 'ready' && (
                <div className={s.statusLine} data-testid="upload-ready">
                  <span className={s.ok}>✓ Фото загружено</span>
                  {draft.dimensions && (
                    <span className="muted">
                      {draft.dimensions.width}×{draft.dimensions.height}
                    </span>
                  )}
                </div>
              )}
              <div>
                <Button
                  ref={replace}
                  variant="secondary"
                  size="small"
                  onClick={() => document.getElementById(inputId)?.click()}
                  data-testid="upload-replace"
                >
                  Заменить фото
                </Button>
              </div>
            </div>
            {draft.phase === 'ready' && draft.cutoutUrl && (
              <figure className={s.cutout} data-testid="upload-cutout">
                <div className={s.cutoutImg}>
                  <img src={draft.cutoutUrl} alt="Товар, вырезанный из фото" />
                </div>
                <figcaption className="muted">
                  Так студия видит товар. Попало лишнее или не хватает части — замените фото: однотонный фон, рядом ничего
                  нет.
                </figcaption>
              </figure>
            )}
          </div>
        ) : (
          <div>
            <div className={s.dropIcon} aria-hidden>
              {busy ? (
                <Spinner />
              ) : (
                <svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
                  <path d="M12 16V4M6 10l6-6 6 6" />
                  <path d="M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3" />
                </svg>
              )}
            </div>
            <p className={s.dropTitle}>{busy ? PHASE_TEXT[draft.phase] : coarse ? 'Выберите фото товара' : 'Перетащите фото товара сюда'}</p>
            <p className={s.dropHint}>
              JPEG, PNG или WebP до 15&nbsp;МБ, от {MIN_SIDE}×{MIN_SIDE}&nbsp;px. Лучше — товар целиком, на ровном фоне.
            </p>
            <Button
              ref={pick}
              variant="primary"
              onClick={() => document.getElementById(inputId)?.click()}
              disabled={busy}
              data-testid="upload-pick"
            >
              Выбрать фото
            </Button>
          </div>
        )}
      </div>
      {/* a refused replacement is told next to the photo that stayed (the draft is 'ready' again) */}
      {(draft.phase === 'error' || draft.phase === 'ready') && draft.error && (
        <Alert testId="upload-error">
          {draft.error}
          {draft.phase === 'ready' && ' Осталось прежнее фото — с ним можно продолжать.'}
        </Alert>
      )}
    </div>
  );
}
