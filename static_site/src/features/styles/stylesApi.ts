import { api } from '../../shared/api';
import type { CatalogueStyle, ListResponse, SavedStyle } from '../../shared/types';

export interface SavedStyleInput {
  title: string;
  prompt: string;
  base_style_id?: string | null;
}

export const stylesApi = api.injectEndpoints({
  endpoints: (build) => ({
    getStyles: build.query<CatalogueStyle[], void>({
      query: () => '/api/styles',
      transformResponse: (response: ListResponse<CatalogueStyle>) => response.items ?? [],
      providesTags: ['Catalogue'],
      keepUnusedDataFor: 600,
    }),
    getSavedStyles: build.query<SavedStyle[], void>({
      query: () => '/api/me/styles',
      transformResponse: (response: ListResponse<SavedStyle>) => response.items ?? [],
      providesTags: ['SavedStyles'],
    }),
    createSavedStyle: build.mutation<SavedStyle, SavedStyleInput>({
      query: (body) => ({ url: '/api/me/styles', method: 'POST', body }),
      invalidatesTags: ['SavedStyles'],
    }),
    updateSavedStyle: build.mutation<SavedStyle, { style_id: string } & Partial<SavedStyleInput>>({
      query: ({ style_id, ...body }) => ({ url: `/api/me/styles/${encodeURIComponent(style_id)}`, method: 'PATCH', body }),
      invalidatesTags: ['SavedStyles'],
    }),
    deleteSavedStyle: build.mutation<void, string>({
      query: (styleId) => ({ url: `/api/me/styles/${encodeURIComponent(styleId)}`, method: 'DELETE' }),
      invalidatesTags: ['SavedStyles'],
    }),
  }),
});

export const {
  useGetStylesQuery,
  useGetSavedStylesQuery,
  useCreateSavedStyleMutation,
  useUpdateSavedStyleMutation,
  useDeleteSavedStyleMutation,
} = stylesApi;
