import { api } from '../../shared/api';
import type { ListResponse } from '../../shared/types';
import type { AdminPackage, AdminStats, AdminStyle, DateRange } from './types';

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
    saveAdminPackage: build.mutation<AdminPackage, { id: string; changes: Partial<AdminPackage> }>({
      query: ({ id, changes }) => ({ url: `/api/admin/packages/${encodeURIComponent(id)}`, method: 'PUT', body: changes }),
      invalidatesTags: ['Catalogue'],
    }),
    getAdminStyles: build.query<AdminStyle[], void>({
      query: () => '/api/admin/styles',
      transformResponse: (response: ListResponse<AdminStyle>) => response.items ?? [],
      providesTags: ['Catalogue'],
    }),
    saveAdminStyle: build.mutation<AdminStyle, { id: string; changes: Partial<AdminStyle> }>({
      query: ({ id, changes }) => ({ url: `/api/admin/styles/${encodeURIComponent(id)}`, method: 'PUT', body: changes }),
      invalidatesTags: ['Catalogue'],
    }),
  }),
});

export const {
  useGetAdminStatsQuery,
  useGetAdminPackagesQuery,
  useSaveAdminPackageMutation,
  useGetAdminStylesQuery,
  useSaveAdminStyleMutation,
} = adminApi;
