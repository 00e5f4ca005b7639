import { api } from '../../shared/api';
import type { ListResponse } from '../../shared/types';
import type { AdminPackage, AdminStats, AdminStyle, DateRange, FlaggedOrdersPage } from './types';

/** A save from an edit form. `version: null` creates the item (POST; the server refuses an id
 * that exists instead of overwriting it); a number updates the item as loaded at that version
 * (PUT; 409 `catalogue_conflict` if someone saved it since). */
export interface CatalogueSave<T> {
  id: string;
  changes: Partial<T>;
  version: number | null;
}

function saveRequest<T>(collection: 'packages' | 'styles', idField: string, { id, changes, version }: CatalogueSave<T>) {
  if (version === null) return { url: `/api/admin/${collection}`, method: 'POST', body: { [idField]: id, ...changes } };
  return { url: `/api/admin/${collection}/${encodeURIComponent(id)}`, method: 'PUT', body: { ...changes, version } };
}

/** The saved item (with its new version) replaces or joins the cached list at once, so the
 * next edit starts from it even before the list is fetched again. */
function upsert<T>(items: T[], saved: T, sameItem: (item: T) => boolean) {
  const index = items.findIndex(sameItem);
  if (index >= 0) items[index] = saved;
  else items.push(saved);
}

/** Admin endpoints. Edits invalidate 'Catalogue', so public packages and styles refresh too. */
export const adminApi = api.injectEndpoints({
  endpoints: (build) => ({
    getAdminStats: build.query<AdminStats, DateRange>({
      query: ({ from, to }) => ({ url: '/api/admin/stats', params: { from, to } }),
      keepUnusedDataFor: 60,
    }),
    getAdminPackages: build.query<AdminPackage[], void>({
      query: () => '/api/admin/packages',
      transformResponse: (response: ListResponse<AdminPackage>) => response.items ?? [],
      providesTags: ['Catalogue'],
    }),
    saveAdminPackage: build.mutation<AdminPackage, CatalogueSave<AdminPackage>>({
      query: (save) => saveRequest('packages', 'package_id', save),
      invalidatesTags: ['Catalogue'],
      async onQueryStarted(_save, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(
            adminApi.util.updateQueryData('getAdminPackages', undefined, (items) =>
              upsert(items, data, (p) => p.package_id === data.package_id),
            ),
          );
        } catch {
          /* shown by the form */
        }
      },
    }),
    getAdminStyles: build.query<AdminStyle[], void>({
      query: () => '/api/admin/styles',
      transformResponse: (response: ListResponse<AdminStyle>) => response.items ?? [],
      providesTags: ['Catalogue'],
    }),
    saveAdminStyle: build.mutation<AdminStyle, CatalogueSave<AdminStyle>>({
      query: (save) => saveRequest('styles', 'style_id', save),
      invalidatesTags: ['Catalogue'],
      async onQueryStarted(_save, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(
            adminApi.util.updateQueryData('getAdminStyles', undefined, (items) =>
              upsert(items, data, (s) => s.style_id === data.style_id),
            ),
          );
        } catch {
          /* shown by the form */
        }
      },
    }),
    /** Orders on review. The server scans a bounded part of the table per call: a call with
     * a cursor adds its orders to the cached list (newest first), one without starts over. */
    getFlaggedOrders: build.query<FlaggedOrdersPage, string | null>({
      query: (cursor) => ({ url: '/api/admin/orders/flagged', params: cursor ? { cursor } : undefined }),
      serializeQueryArgs: ({ endpointName }) => endpointName,
      merge: (cached, page, { arg }) => {
        if (!arg) return page;
        const known = new Set(cached.items.map((o) => o.order_id));
        cached.items.push(...page.items.filter((o) => !known.has(o.order_id)));
        cached.items.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
        cached.next_cursor = page.next_cursor;
      },
      forceRefetch: ({ currentArg, previousArg }) => currentArg !== previousArg,
      keepUnusedDataFor: 0,
    }),
  }),
});

export const {
  useGetAdminStatsQuery,
  useGetAdminPackagesQuery,
  useLazyGetAdminPackagesQuery,
  useSaveAdminPackageMutation,
  useGetAdminStylesQuery,
  useLazyGetAdminStylesQuery,
  useSaveAdminStyleMutation,
  useGetFlaggedOrdersQuery,
} = adminApi;
