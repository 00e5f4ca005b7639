import { useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../../../shared/errors';
import { Alert, Button, Dialog, Field, inputClass } from '../../../shared/ui';
import { useCreateSavedStyleMutation, useUpdateSavedStyleMutation } from '../stylesApi';
import s from './styles.module.css';

/** The API refuses a shorter scene description. */
const MIN_PROMPT = 10;

interface Props {
  initial: { title: string; prompt: string; base_style_id?: string | null };
  /** When set, edits this saved style instead of creating one. */
  styleId?: string;
  onClose: () => void;
  onSaved?: () => void;
}

export function SaveStyleDialog({ initial, styleId, onClose, onSaved }: Props) {
  const [title, setTitle] = useState(initial.title);
  const [prompt, setPrompt] = useState(initial.prompt);
  const [create, createState] = useCreateSavedStyleMutation();
  const [update, updateState] = useUpdateSavedStyleMutation();
  const busy = createState.isLoading || updateState.isLoading;
  const error = createState.error ?? updateState.error;
  const titleProblem = title.trim().length > 0 ? null : 'Назовите стиль';
  const promptProblem = prompt.trim().length >= MIN_PROMPT ? null : `Опишите сцену подробнее — хотя бы ${MIN_PROMPT} символов`;
  // A disabled «Сохранить» told nobody why; now a try shows what is missing at the field
  // itself (and moves there), and each message goes as soon as it is fixed.
  const [tried, setTried] = useState(false);
  const titleInput = useRef<HTMLInputElement>(null);
  const promptInput = useRef<HTMLTextAreaElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (titleProblem || promptProblem) {
      setTried(true);
      (titleProblem ? titleInput : promptInput).current?.focus();
      return;
    }
    try {
      if (styleId) await update({ style_id: styleId, title: title.trim(), prompt: prompt.trim() }).unwrap();
      else await create({ title: title.trim(), prompt: prompt.trim(), base_style_id: initial.base_style_id ?? null }).unwrap();
      onSaved?.();
      onClose();
    } catch {
      /* shown */
    }
  };

  return (
    <Dialog title={styleId ? 'Изменить стиль' : 'Сохранить стиль'} onClose={onClose} testId="save-style-dialog">
      <form className={s.form} onSubmit={submit}>
        <Field label="Название" htmlFor="style-title" error={tried ? titleProblem : null} errorTestId="save-style-title-error">
          <input
            ref={titleInput}
            id="style-title"
            className={inputClass}
            value={title}
            maxLength={60}
            onChange={(e) => setTitle(e.target.value)}
            autoFocus
            data-testid="save-style-title"
          />
        </Field>
        <Field
          label="Описание сцены"
          htmlFor="style-prompt"
          hint={`Фон, свет, настроение — от ${MIN_PROMPT} символов`}
          error={tried ? promptProblem : null}
          errorTestId="save-style-prompt-error"
        >
          <textarea
            ref={promptInput}
            id="style-prompt"
            className={inputClass}
            value={prompt}
            maxLength={500}
            onChange={(e) => setPrompt(e.target.value)}
            data-testid="save-style-prompt"
          />
        </Field>
        {error && <Alert>{errorMessage(error)}</Alert>}
        <Button type="submit" variant="primary" block loading={busy} data-testid="save-style-submit">
          Сохранить
        </Button>
      </form>
    </Dialog>
  );
}
