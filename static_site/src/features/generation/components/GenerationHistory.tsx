import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useAppDispatch } from '../../../app/hooks';
import { errorMessage } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import type { CatalogueStyle, Generation, GenerationStatus } from '../../../shared/types';
import { Alert, Button, emptyClass, Field, inputClass, Spinner } from '../../../shared/ui';
import { goalRequested } from '../../analytics/analyticsSlice';
import { GOALS } from '../../analytics/goals';
import { useGetArchiveLinkMutation, useListGenerationsInfiniteQuery, type GenerationFilters } from '../generationApi';
import { archiveFileName } from '../imageFileName';
import { saveDownload } from '../saveDownload';
import { useGenerationDeletion } from '../useGenerationDeletion';
import { DeleteGenerationDialog } from './DeleteGenerationDialog';
import s from '../../profile/components/profile.module.css';

export const GENERATION_STATUS_TEXT: Record<GenerationStatus, string> = {
  queued: 'В очереди',
  running: 'Создаётся',
  succeeded: 'Готово',
  failed: 'Ошибка',
  cancelled: 'Отменено',
};

type HistoryFilters = { style: string; status: string; from: string; to: string };

/** What the status filter offers; a value is the API's comma-separated list of statuses. */
export const STATUS_FILTERS: { value: string; label: string }[] = [
  { value: '', label: 'Все' },
  { value: 'succeeded', label: 'Готовые' },
  { value: 'queued,running', label: 'Создаются' },
  { value: 'failed', label: 'С ошибкой' },
  { value: 'cancelled', label: 'Отменённые' },
];

/** A picked day as an instant in the seller's own time zone (the server reads UTC). */
function localInstant(day: string, endOfDay: boolean): string {
  const [year, month, date] = day.split('-').map(Number);
  const moment = endOfDay ? new Date(year, month - 1, date, 23, 59, 59, 999) : new Date(year, month - 1, date);
  return moment.toISOString();
}

/** Days are the seller's days (Moscow midnight, not UTC); `to` is inclusive: the end of that day. */
export function filtersToQuery(filters: HistoryFilters): GenerationFilters {
  const query: GenerationFilters = {};
  if (filters.style) query.style = filters.style;
  if (filters.status) query.status = filters.status;
  if (filters.from) query.from = localInstant(filters.from, false);
  if (filters.to) query.to = localInstant(filters.to, true);
  return query;
}

/** The loaded rows, newest first, with «Показать ещё» while the server has more. */
function HistoryList({
  filters,
  onDelete,
  onReset,
}: {
  filters: GenerationFilters;
  onDelete: (generation: Generation) => void;
  /** Set when filters are on: an empty history then offers to clear them. */
  onReset?: () => void;
}) {
  const dispatch = useAppDispatch();
  const { data, isLoading, isError, error, hasNextPage, fetchNextPage, isFetchingNextPage, isFetchNextPageError } =
    useListGenerationsInfiniteQuery(filters);
  const [archive, archiveState] = useGetArchiveLinkMutation();

  if (isLoading) return <Spinner />;
  if (!data) return isError ? <Alert>{errorMessage(error)}</Alert> : null;
  const items = data.pages.flatMap((page) => page.items);
  // the empty states are paragraphs next to the list, not inside it: a <ul> holds only <li>
  if (items.length === 0) {
    if (!onReset) return <p className={emptyClass}>Здесь появятся ваши фотосессии</p>;
    return (
      <p className={emptyClass} data-testid="history-nothing-found">
        По этим фильтрам фотосессий нет.{' '}
        <Button variant="secondary" size="small" onClick={onReset} data-testid="history-reset">
          Сбросить фильтры
        </Button>
      </p>
    );
  }

  const download = async (id: string) => {
    try {
      const { url } = await archive(id).unwrap();
      dispatch(goalRequested({ target: GOALS.downloadImage, params: { scope: 'all', generation_id: id } }));
      saveDownload(url, archiveFileName(id));
    } catch {
      /* shown */
    }
  };

  return (
    <>
      {archiveState.isError && <Alert>{errorMessage(archiveState.error)}</Alert>}
      <ul className={s.list} data-testid="generation-history">
        {items.map((g) => {
          const title = g.style_title ?? (g.custom_prompt ? 'Свой стиль' : 'Фотосессия');
          // a list of rows each with «Удалить»: a screen reader's list of buttons says which one
          const which = `«${title}» от ${formatDateTime(g.created_at)}`;
          return (
            <li key={g.generation_id} className={s.item} data-testid={`history-item-${g.generation_id}`}>
              <Link to={`/generations/${g.generation_id}`} className={s.thumb} aria-label="Открыть фотосессию">
                {g.images?.[0] ? <img src={g.images[0].thumb_url || g.images[0].url} alt="" loading="lazy" /> : '✦'}
              </Link>
              <div className={s.itemText}>
                <Link to={`/generations/${g.generation_id}`} className={s.itemTitle} style={{ color: 'inherit' }}>
                  {title}
                </Link>
                <span className={s.itemMeta}>
                  {formatDateTime(g.created_at)} · {g.format} ·{' '}
                  <span className={s.status} data-status={g.status}>
                    {GENERATION_STATUS_TEXT[g.status] ?? g.status}
                  </span>
                </span>
              </div>
              <div className={s.itemActions}>
                {g.status === 'succeeded' && (
                  <Button
                    variant="ghost"
                    size="small"
                    onClick={() => download(g.generation_id)}
                    aria-label={`Скачать архив фотосессии ${which}`}
                    data-testid={`history-download-${g.generation_id}`}
                  >
                    ⤓
                  </Button>
                )}
                <Button
                  variant="ghost"
                  size="small"
                  onClick={() => onDelete(g)}
                  aria-label={`Удалить фотосессию ${which}`}
                  data-testid={`history-delete-${g.generation_id}`}
                >
                  ✕
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
      {isFetchNextPageError && <Alert>{errorMessage(error)}</Alert>}
      {hasNextPage && (
        <div className={s.more}>
          <Button
            variant="secondary"
            size="small"
            loading={isFetchingNextPage}
            onClick={() => void fetchNextPage()}
            data-testid="history-more"
          >
            Показать ещё
          </Button>
        </div>
      )}
    </>
  );
}

/** One history filter: a choice among `options`, or a date without them. */
function FilterField({
  name,
  label,
  value,
  onChange,
  options,
}: {
  name: keyof HistoryFilters;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options?: { value: string; label: string }[];
}) {
  const id = `history-${name}`;
  const testId = `history-filter-${name}`;
  return (
    <Field label={label} htmlFor={id}>
      {options ? (
        <select id={id} className={inputClass} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} type="date" className={inputClass} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      )}
    </Field>
  );
}

const NO_FILTERS: HistoryFilters = { style: '', status: '', from: '', to: '' };

export function GenerationHistory({ styles }: { styles: CatalogueStyle[] }) {
  const [filters, setFilters] = useState<HistoryFilters>(NO_FILTERS);
  const styleOptions = [{ value: '', label: 'Все стили' }, ...styles.map((st) => ({ value: st.style_id, label: st.title }))];
  const query = filtersToQuery(filters);
  const update = (patch: Partial<typeof filters>) => setFilters({ ...filters, ...patch });
  const filtered = Object.values(filters).some(Boolean);
  const inverted = Boolean(filters.from && filters.to && filters.from > filters.to);
  const deletion = useGenerationDeletion();

  return (
    <div>
      <div className={s.filters} data-testid="history-filters">
        <FilterField name="style" label="Стиль" value={filters.style} onChange={(style) => update({ style })} options={styleOptions} />
        <FilterField name="status" label="Статус" value={filters.status} onChange={(status) => update({ status })} options={STATUS_FILTERS} />
        <FilterField name="from" label="С" value={filters.from} onChange={(from) => update({ from })} />
        <FilterField name="to" label="По" value={filters.to} onChange={(to) => update({ to })} />
      </div>
      {deletion.pageError && <Alert>{deletion.pageError}</Alert>}
      {inverted ? (
        <Alert kind="warning" testId="history-dates-inverted">
          Дата «С» позже даты «По» — поменяйте их местами.
        </Alert>
      ) : (
        <HistoryList filters={query} onDelete={deletion.ask} onReset={filtered ? () => update(NO_FILTERS) : undefined} />
      )}
      {deletion.asked && (
        <DeleteGenerationDialog
          generation={deletion.asked}
          busy={deletion.busy}
          error={deletion.dialogError}
          onConfirm={deletion.confirm}
          onKeep={deletion.keep}
        />
      )}
    </div>
  );
}
