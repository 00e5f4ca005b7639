import { useState } from 'react';
import { editedFields, reapplyEdit, type UnsavedEdit } from './catalogueForms';

/** A form as loaded from the admin API, with the version a save must name (null: a new item). */
export interface Loaded<F> {
  form: F;
  version: number | null;
}

export const ITEM_GONE = 'Не нашли этот элемент в каталоге. Обновите страницу.';

/**
 * One catalogue edit form under optimistic concurrency. The form remembers the version it was
 * loaded at; when the server refuses a save because someone saved first, `reload` brings the
 * latest version into the form and keeps what the admin typed as `unsaved`, which `reapply`
 * puts back on top of the latest values (or `dismiss` drops) — nothing typed is lost silently.
 */
export function useVersionedEdit<F extends object>(initial: Loaded<F>, loadLatest: () => Promise<Loaded<F> | null>) {
  const [loaded, setLoaded] = useState(initial);
  const [form, setForm] = useState(initial.form);
  const [unsaved, setUnsaved] = useState<UnsavedEdit<F> | null>(null);
  const [reloading, setReloading] = useState(false);
  const [reloadError, setReloadError] = useState<string | null>(null);

  /** True when the form now holds the latest version. */
  const reload = async (): Promise<boolean> => {
    setReloading(true);
    setReloadError(null);
    try {
      const latest = await loadLatest();
      if (!latest) {
        setReloadError(ITEM_GONE);
        return false;
      }
      const fields = editedFields(loaded.form, form);
      setUnsaved(fields.length ? { fields, draft: form } : null);
      setLoaded(latest);
      setForm(latest.form);
      return true;
    } catch {
      setReloadError('Не получилось загрузить актуальную версию. Проверьте связь и попробуйте ещё раз.');
      return false;
    } finally {
      setReloading(false);
    }
  };

  const reapply = () => {
    if (unsaved) setForm(reapplyEdit(form, unsaved));
    setUnsaved(null);
  };

  return {
    form,
    setForm,
    version: loaded.version,
    latest: loaded.form,
    reload,
    reloading,
    reloadError,
    unsaved,
    reapply,
    dismiss: () => setUnsaved(null),
  };
}
