import { useState } from 'react';
import { errorMessage } from '../../../shared/errors';
import type { SavedStyle } from '../../../shared/types';
import { Alert, Button, emptyClass, Spinner } from '../../../shared/ui';
import { useDeleteSavedStyleMutation, useGetSavedStylesQuery } from '../stylesApi';
import { SaveStyleDialog } from './SaveStyleDialog';
import s from './styles.module.css';

/** Profile: create, edit and delete saved styles. */
export function SavedStylesManager() {
  const { data: styles, isLoading } = useGetSavedStylesQuery();
  const [remove, removeState] = useDeleteSavedStyleMutation();
  const [editing, setEditing] = useState<SavedStyle | 'new' | null>(null);

  return (
    <div className={s.section} data-testid="saved-styles-manager">
      {isLoading && <Spinner />}
      {removeState.isError && <Alert>{errorMessage(removeState.error)}</Alert>}
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
              <Button variant="ghost" size="small" onClick={() => setEditing(st)} aria-label="Изменить" data-testid={`saved-style-edit-${st.style_id}`}>
                ✎
              </Button>
              <Button
                variant="ghost"
                size="small"
                onClick={() => window.confirm(`Удалить стиль «${st.title}»?`) && void remove(st.style_id)}
                aria-label="Удалить"
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
    </div>
  );
}
