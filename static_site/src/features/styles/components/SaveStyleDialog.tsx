import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../../shared/errors';
import { Alert, Button, Dialog, Field, inputClass } from '../../../shared/ui';
import { useCreateSavedStyleMutation, useUpdateSavedStyleMutation } from '../stylesApi';
import s from './styles.module.css';

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
  const valid = title.trim().length > 0 && prompt.trim().length >= 10;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
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
        <Field label="Название" htmlFor="style-title">
          <input
            id="style-title"
            className={inputClass}
            value={title}
            maxLength={60}
            onChange={(e) => setTitle(e.target.value)}
            autoFocus
            data-testid="save-style-title"
          />
        </Field>
        <Field label="Описание сцены" htmlFor="style-prompt" hint="Фон, свет, настроение — от 10 символов">
          <textarea
            id="style-prompt"
            className={inputClass}
            value={prompt}
            maxLength={500}
            onChange={(e) => setPrompt(e.target.value)}
            data-testid="save-style-prompt"
          />
        </Field>
        {error && <Alert>{errorMessage(error)}</Alert>}
        <Button type="submit" variant="primary" block loading={busy} disabled={!valid} data-testid="save-style-submit">
          Сохранить
        </Button>
      </form>
    </Dialog>
  );
}
