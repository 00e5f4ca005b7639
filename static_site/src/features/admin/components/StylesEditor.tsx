import { Fragment, useState } from 'react';
import { useGetAdminStylesQuery, useLazyGetAdminStylesQuery, useSaveAdminStyleMutation } from '../adminApi';
import { STYLE_LABELS, emptyStyleForm, hasErrors, parseStyleForm, styleToForm, type FormErrors, type StyleForm } from '../catalogueForms';
import { useVersionedEdit, type Loaded } from '../useVersionedEdit';
import { Alert, Button, Card, Spinner, inputClass } from '../../../shared/ui';
import { errorMessage } from '../../../shared/errors';
import { VersionedEditorForm } from './EditorForm';
import { TableScroll } from './TableScroll';
import s from './admin.module.css';

/** The form being edited and the version it was loaded at; version null: a new style. */
type Editing = Loaded<StyleForm> | null;

function StyleFormView({ editing, onDone }: { editing: NonNullable<Editing>; onDone: () => void }) {
  const isNew = editing.version === null;
  const [fetchStyles] = useLazyGetAdminStylesQuery();
  const edit = useVersionedEdit(editing, async () => {
    const latest = (await fetchStyles().unwrap()).find((st) => st.style_id === editing.form.style_id);
    return latest ? { form: styleToForm(latest), version: latest.version } : null;
  });
  const { form, setForm } = edit;
  const [errors, setErrors] = useState<FormErrors<StyleForm>>({});
  const [save, { isLoading, error, reset }] = useSaveAdminStyleMutation();
  const set = <K extends keyof StyleForm>(key: K, value: StyleForm[K]) => setForm({ ...form, [key]: value });
  const text = (key: keyof StyleForm, multiline = false) => (
    <label className={multiline ? `${s.formField} ${s.wide}` : s.formField}>
      <span>{STYLE_LABELS[key]}</span>
      {multiline ? (
        <textarea className={inputClass} rows={3} value={form[key] as string} onChange={(e) => set(key, e.target.value)} data-testid={`style-form-${key}`} />
      ) : (
        <input className={inputClass} value={form[key] as string} onChange={(e) => set(key, e.target.value)} data-testid={`style-form-${key}`} />
      )}
      {errors[key] && <span className={s.fieldError}>{errors[key]}</span>}
    </label>
  );
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const parsed = parseStyleForm(form);
    setErrors(parsed.errors);
    if (hasErrors(parsed.errors)) return;
    const result = await save({ id: form.style_id, changes: parsed.changes, version: edit.version });
    if (!('error' in result)) onDone();
  };
  return (
    <VersionedEditorForm
      testId="style-form"
      isNew={isNew}
      edit={edit}
      labels={STYLE_LABELS}
      onReloaded={reset}
      onSubmit={submit}
      onCancel={onDone}
      isLoading={isLoading}
      error={error}
    >
      {isNew ? text('style_id') : null}
      {text('title')}
      {text('description')}
      {text('tags')}
      {text('preview_url')}
      {text('sort')}
      {text('prompt', true)}
      <label className={s.check}>
        <input type="checkbox" checked={form.active} onChange={(e) => set('active', e.target.checked)} data-testid="style-form-active" /> {STYLE_LABELS.active}
      </label>
    </VersionedEditorForm>
  );
}

export function StylesEditor() {
  const { data, error, isLoading } = useGetAdminStylesQuery();
  const [editing, setEditing] = useState<Editing>(null);
  if (isLoading) return <Spinner />;
  if (error) return <Alert>{errorMessage(error)}</Alert>;
  const styles = data ?? [];
  return (
    <Card>
      <div className={s.editorHead}>
        <h2 className={s.h3}>Стили</h2>
        <Button size="small" onClick={() => setEditing({ form: emptyStyleForm(), version: null })} data-testid="style-new">
          Новый стиль
        </Button>
      </div>
      {editing?.version === null && <StyleFormView key="new" editing={editing} onDone={() => setEditing(null)} />}
      <TableScroll label="Стили">
        <table className={`${s.table} ${s.cardTable}`} data-testid="admin-styles">
          <thead>
            <tr>
              <th>Стиль</th>
              <th>Теги</th>
              <th>Порядок</th>
              <th>Статус</th>
              <th>
                <span className="visually-hidden">Действия</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {styles.map((st) => (
              <Fragment key={st.style_id}>
                <tr data-testid={`admin-style-${st.style_id}`} className={st.active ? undefined : s.inactive}>
                  <td className={s.cellTitle}>
                    {st.title} <span className={s.muted}>{st.style_id}</span>
                  </td>
                  <td data-label="Теги">{st.tags.join(', ') || '—'}</td>
                  <td data-label="Порядок">{st.sort}</td>
                  <td data-label="Статус">{st.active ? 'Показывается' : 'Скрыт'}</td>
                  <td className={s.cellActions}>
                    <Button size="small" variant="ghost" onClick={() => setEditing({ form: styleToForm(st), version: st.version })} aria-label={`Изменить стиль «${st.title}»`} data-testid={`admin-style-edit-${st.style_id}`}>
                      Изменить
                    </Button>
                  </td>
                </tr>
                {editing && editing.version !== null && editing.form.style_id === st.style_id && (
                  <tr className={s.editorRow}>
                    <td colSpan={5}>
                      <div className={s.rowEditor}>
                        <StyleFormView key={st.style_id} editing={editing} onDone={() => setEditing(null)} />
                      </div>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </Card>
  );
}
