import { useState } from 'react';
import type { SavedStyle } from '../../../shared/types';
import { Alert, Button, ConfirmDialog, emptyClass, Spinner, useConfirmedAction } from '../../../shared/ui';
import { useDeleteSavedStyleMutation, useGetSavedStylesQuery } from '../stylesApi';
import { SaveStyleDialog } from './SaveStyleDialog';
import s from './styles.module.css';

/** Profile: create, edit and delete saved styles. */
export function SavedStylesManager() {
  const { data: styles, isLoading } = useGetSavedStylesQuery();
  const [remove] = useDeleteSavedStyleMutation();
  const deletion = useConfirmedAction((style: SavedStyle) => remove(style.style_id).unwrap());
  const [editing, setEditing] = useState<SavedStyle | 'new' | null>(null);

  return (
    <div className={s.section} data-testid="saved-styles-manager">
      {isLoading && <Spinner />}
      {deletion.pageError && <Alert>{deletion.pageError}</Alert>}
      {styles && styles.length === 0 && <p className={emptyClass}>Сохраняйте удачные стили, чтобы повторять их в один клик</p>}
      <div className={s.savedList}>
        {styles?.map((st) => (
          <div key={st.style_id} className={s.savedItem} style={{ cursor: 'default' }} data-testid={`saved-style-${st.style_id}`}>
            <span className={s.savedIcon} aria-hidden>
              ★
            </span>
            <span className={s.savedText}>
              <span className={s.title}>{st.title}</span>
              <span className={s.savedPrompt}>{st.prompt}</span>
            </span>
            <span className={s.actions}>
              <Button variant="ghost" size="small" onClick={() => setEditing(st)} aria-label={`Изменить стиль «${st.title}»`} data-testid={`saved-style-edit-${st.style_id}`}>
                ✎
              </Button>
              <Button
                variant="ghost"
                size="small"
                onClick={() => deletion.ask(st)}
                aria-label={`Удалить стиль «${st.title}»`}
                data-testid={`saved-style-delete-${st.style_id}`}
              >
                ✕
              </Button>
            </span>
          </div>
        ))}
      </div>
      <div>
        <Button variant="secondary" size="small" onClick={() => setEditing('new')} data-testid="saved-style-create">
          + Новый стиль
        </Button>
      </div>
      {editing && (
        <SaveStyleDialog
          initial={editing === 'new' ? { title: '', prompt: '' } : { title: editing.title, prompt: editing.prompt, base_style_id: editing.base_style_id }}
          styleId={editing === 'new' ? undefined : editing.style_id}
          onClose={() => setEditing(null)}
        />
      )}
      {deletion.asked && (
        <ConfirmDialog
          title="Удалить стиль?"
          confirmLabel="Удалить"
          keepLabel="Оставить"
          busy={deletion.busy}
          error={deletion.dialogError}
          onConfirm={deletion.confirm}
          onKeep={deletion.keep}
          testId="delete-style"
        >
          Стиль «{deletion.asked.title}» исчезнет из ваших стилей. Уже созданные с ним фотосессии останутся.
        </ConfirmDialog>
      )}
    </div>
  );
}
