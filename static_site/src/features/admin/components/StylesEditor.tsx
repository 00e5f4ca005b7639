import { Fragment, useState } from 'react';
import { useGetAdminStylesQuery, useSaveAdminStyleMutation } from '../adminApi';
import { emptyStyleForm, hasErrors, parseStyleForm, styleToForm, type FormErrors, type StyleForm } from '../catalogueForms';
import { Alert, Button, Card, Spinner, inputClass } from '../../../shared/ui';
import { errorMessage } from '../../../shared/errors';
import { EditorForm } from './EditorForm';
import s from './admin.module.css';

type Editing = { form: StyleForm; isNew: boolean } | null;

function StyleFormView({ editing, onDone }: { editing: NonNullable<Editing>; onDone: () => void }) {
  const [form, setForm] = useState(editing.form);
  const [errors, setErrors] = useState<FormErrors<StyleForm>>({});
  const [save, { isLoading, error }] = useSaveAdminStyleMutation();
  const set = <K extends keyof StyleForm>(key: K, value: StyleForm[K]) => setForm({ ...form, [key]: value });
  const text = (key: keyof StyleForm, label: string, multiline = false) => (
    <label className={multiline ? `${s.formField} ${s.wide}` : s.formField}>
      <span>{label}</span>
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
    const result = await save({ id: form.style_id, changes: parsed.changes });
    if (!('error' in result)) onDone();
  };
  return (
    <EditorForm testId="style-form" onSubmit={submit} onCancel={onDone} isLoading={isLoading} error={error}>
      {editing.isNew ? text('style_id', 'Идентификатор (латиницей)') : null}
      {text('title', 'Название')}
      {text('description', 'Описание')}
      {text('tags', 'Теги через запятую')}
      {text('preview_url', 'Превью (/styles/… или https://…)')}
      {text('sort', 'Порядок')}
      {text('prompt', 'Промпт сцены', true)}
      <label className={s.check}>
        <input type="checkbox" checked={form.active} onChange={(e) => set('active', e.target.checked)} data-testid="style-form-active" /> Показывать
      </label>
    </EditorForm>
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
        <h3 className={s.h3}>Стили</h3>
        <Button size="small" onClick={() => setEditing({ form: emptyStyleForm(), isNew: true })} data-testid="style-new">
          Новый стиль
        </Button>
      </div>
      {editing?.isNew && <StyleFormView key="new" editing={editing} onDone={() => setEditing(null)} />}
      <div className={s.tableWrap}>
        <table className={s.table} data-testid="admin-styles">
          <thead>
            <tr>
              <th>Стиль</th>
              <th>Теги</th>
              <th>Порядок</th>
              <th>Статус</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {styles.map((st) => (
              <Fragment key={st.style_id}>
                <tr data-testid={`admin-style-${st.style_id}`} className={st.active ? undefined : s.inactive}>
                  <td>
                    {st.title} <span className={s.muted}>{st.style_id}</span>
                  </td>
                  <td>{st.tags.join(', ') || '—'}</td>
                  <td>{st.sort}</td>
                  <td>{st.active ? 'Показывается' : 'Скрыт'}</td>
                  <td>
                    <Button size="small" variant="ghost" onClick={() => setEditing({ form: styleToForm(st), isNew: false })} data-testid={`admin-style-edit-${st.style_id}`}>
                      Изменить
                    </Button>
                  </td>
                </tr>
                {editing && !editing.isNew && editing.form.style_id === st.style_id && (
                  <tr>
                    <td colSpan={5}>
                      <StyleFormView key={st.style_id} editing={editing} onDone={() => setEditing(null)} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
