import { Fragment, useState } from 'react';
import { useGetAdminPackagesQuery, useLazyGetAdminPackagesQuery, useSaveAdminPackageMutation } from '../adminApi';
import {
  PACKAGE_LABELS,
  emptyPackageForm,
  hasErrors,
  packageToForm,
  parsePackageForm,
  type FormErrors,
  type PackageForm,
} from '../catalogueForms';
import { useVersionedEdit, type Loaded } from '../useVersionedEdit';
import { Alert, Badge, Button, Card, Spinner, inputClass } from '../../../shared/ui';
import { errorMessage } from '../../../shared/errors';
import { formatRubles } from '../../../shared/format';
import { VersionedEditorForm } from './EditorForm';
import { TableScroll } from './TableScroll';
import s from './admin.module.css';

/** The form being edited and the version it was loaded at; version null: a new package. */
type Editing = Loaded<PackageForm> | null;

function PackageFormView({ editing, onDone }: { editing: NonNullable<Editing>; onDone: () => void }) {
  const isNew = editing.version === null;
  const [fetchPackages] = useLazyGetAdminPackagesQuery();
  const edit = useVersionedEdit(editing, async () => {
    const latest = (await fetchPackages().unwrap()).find((p) => p.package_id === editing.form.package_id);
    return latest ? { form: packageToForm(latest), version: latest.version } : null;
  });
  const { form, setForm } = edit;
  const [errors, setErrors] = useState<FormErrors<PackageForm>>({});
  const [save, { isLoading, error, reset }] = useSaveAdminPackageMutation();
  const set = <K extends keyof PackageForm>(key: K, value: PackageForm[K]) => setForm({ ...form, [key]: value });
  const text = (key: keyof PackageForm, props: Record<string, unknown> = {}) => (
    <label className={s.formField}>
      <span>{PACKAGE_LABELS[key]}</span>
      <input className={inputClass} value={form[key] as string} onChange={(e) => set(key, e.target.value)} data-testid={`package-form-${key}`} {...props} />
      {errors[key] && <span className={s.fieldError}>{errors[key]}</span>}
    </label>
  );
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const parsed = parsePackageForm(form);
    setErrors(parsed.errors);
    if (hasErrors(parsed.errors)) return;
    const result = await save({ id: form.package_id, changes: parsed.changes, version: edit.version });
    if (!('error' in result)) onDone();
  };
  return (
    <VersionedEditorForm
      testId="package-form"
      isNew={isNew}
      edit={edit}
      labels={PACKAGE_LABELS}
      onReloaded={reset}
      onSubmit={submit}
      onCancel={onDone}
      isLoading={isLoading}
      error={error}
    >
      {isNew ? text('package_id') : null}
      {text('title')}
      {text('description')}
      {text('photoshoots', { inputMode: 'numeric' })}
      {text('price_rubles', { inputMode: 'decimal' })}
      {text('images_per_photoshoot', { inputMode: 'numeric' })}
      {text('stars_price', { inputMode: 'numeric' })}
      {text('sort', { inputMode: 'numeric' })}
      <label className={s.check}>
        <input type="checkbox" checked={form.popular} onChange={(e) => set('popular', e.target.checked)} data-testid="package-form-popular" /> {PACKAGE_LABELS.popular}
      </label>
      <label className={s.check}>
        <input type="checkbox" checked={form.active} onChange={(e) => set('active', e.target.checked)} data-testid="package-form-active" /> {PACKAGE_LABELS.active}
      </label>
    </VersionedEditorForm>
  );
}

export function PackagesEditor() {
  const { data, error, isLoading } = useGetAdminPackagesQuery();
  const [editing, setEditing] = useState<Editing>(null);
  if (isLoading) return <Spinner />;
  if (error) return <Alert>{errorMessage(error)}</Alert>;
  const packages = data ?? [];
  return (
    <Card>
      <div className={s.editorHead}>
        <h2 className={s.h3}>Пакеты</h2>
        <Button size="small" onClick={() => setEditing({ form: emptyPackageForm(), version: null })} data-testid="package-new">
          Новый пакет
        </Button>
      </div>
      {editing?.version === null && <PackageFormView key="new" editing={editing} onDone={() => setEditing(null)} />}
      <TableScroll label="Пакеты">
        <table className={`${s.table} ${s.cardTable}`} data-testid="admin-packages">
          <thead>
            <tr>
              <th>Пакет</th>
              <th>Фотосессий</th>
              <th>Цена</th>
              <th>За фотосессию</th>
              <th>Stars</th>
              <th>Статус</th>
              <th>
                <span className="visually-hidden">Действия</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {packages.map((p) => (
              <Fragment key={p.package_id}>
                <tr data-testid={`admin-package-${p.package_id}`} className={p.active ? undefined : s.inactive}>
                  <td className={s.cellTitle}>
                    {p.title} <span className={s.muted}>{p.package_id}</span> {p.popular && <Badge hot>Популярный</Badge>}
                  </td>
                  <td data-label="Фотосессий">{p.photoshoots}</td>
                  <td data-label="Цена">{formatRubles(p.price_kopecks)}</td>
                  <td data-label="За фотосессию">{formatRubles(p.price_per_photoshoot_kopecks)}</td>
                  <td data-label="Stars">{p.stars_price ?? '—'}</td>
                  <td data-label="Статус">{p.active ? 'Продаётся' : 'Скрыт'}</td>
                  <td className={s.cellActions}>
                    <Button size="small" variant="ghost" onClick={() => setEditing({ form: packageToForm(p), version: p.version })} aria-label={`Изменить пакет «${p.title}»`} data-testid={`admin-package-edit-${p.package_id}`}>
                      Изменить
                    </Button>
                  </td>
                </tr>
                {editing && editing.version !== null && editing.form.package_id === p.package_id && (
                  <tr className={s.editorRow}>
                    <td colSpan={7}>
                      <div className={s.rowEditor}>
                        <PackageFormView key={p.package_id} editing={editing} onDone={() => setEditing(null)} />
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
