import { api } from '../../shared/api';
import type { Generation, GenerationPage, GenerationStatus, SuggestionsResponse, UploadTicket } from '../../shared/types';
import { generationForgotten, generationReceived } from './generationSlice';

export type GenerationStyleChoice =
  | { style_id: string }
  | { saved_style_id: string }
  | { custom_prompt: string };

export type CreateGenerationRequest = { upload_id: string; format: string } & GenerationStyleChoice;

export interface GenerationFilters {
  style?: string;
  from?: string;
  to?: string;
  /** comma-separated statuses, e.g. `queued,running` */
  status?: string;
}

export const generationApi = api.injectEndpoints({
  endpoints: (build) => ({
    createUpload: build.mutation<UploadTicket, { content_type: string; size: number }>({
      query: (body) => ({ url: '/api/uploads', method: 'POST', body }),
    }),
    getSuggestions: build.query<SuggestionsResponse, string>({
      query: (uploadId) => `/api/uploads/${encodeURIComponent(uploadId)}/suggestions`,
    }),
    createGeneration: build.mutation<{ generation_id: string; status: GenerationStatus }, CreateGenerationRequest>({
      query: (body) => ({ url: '/api/generations', method: 'POST', body }),
      invalidatesTags: ['Generations', 'Me'],
      async onQueryStarted(arg, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(
            generationReceived({
              generation_id: data.generation_id,
              status: data.status,
              step: 'upload',
              progress: 0,
              format: arg.format,
              style_id: 'style_id' in arg ? arg.style_id : null,
              saved_style_id: 'saved_style_id' in arg ? arg.saved_style_id : null,
              custom_prompt: 'custom_prompt' in arg ? arg.custom_prompt : null,
            }),
          );
        } catch {
          /* shown by the form */
        }
      },
    }),
    getGeneration: build.query<Generation, string>({
      query: (id) => `/api/generations/${encodeURIComponent(id)}`,
      providesTags: (_r, _e, id) => [{ type: 'Generation', id }],
      async onQueryStarted(_id, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(generationReceived(data));
        } catch {
          /* shown by the view */
        }
      },
    }),
    // One cache entry holds every loaded page: a refetch (after a delete, a new photoshoot…)
    // reloads them in order, each with the cursor the fresh page before it gave. Pages cached
    // separately kept their old cursors and showed a row twice once the first page shifted.
    listGenerations: build.infiniteQuery<GenerationPage, GenerationFilters, string | null>({
      infiniteQueryOptions: {
        initialPageParam: null,
        getNextPageParam: (lastPage) => lastPage.next_cursor,
      },
      query: ({ queryArg: filters, pageParam: cursor }) => {
        const params: Record<string, string> = {};
        for (const [key, value] of Object.entries(filters)) if (value) params[key] = String(value);
        if (cursor) params.cursor = cursor;
        return { url: '/api/generations', params };
      },
      providesTags: ['Generations'],
    }),
    cancelGeneration: build.mutation<Generation, string>({
      query: (id) => ({ url: `/api/generations/${encodeURIComponent(id)}/cancel`, method: 'POST' }),
      invalidatesTags: (_r, _e, id) => [{ type: 'Generation', id }, 'Generations', 'Me'],
      // The answer is the cancelled generation: applied at once, the page stops offering
      // «Отменить» before the dialog closes (the refetch would leave a moment for a second
      // tap and its 409). The live-state guard still orders it against pushes and polls.
      async onQueryStarted(_id, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(generationReceived(data));
        } catch {
          /* shown in the dialog */
        }
      },
    }),
    deleteGeneration: build.mutation<void, string>({
      query: (id) => ({ url: `/api/generations/${encodeURIComponent(id)}`, method: 'DELETE' }),
      // deleting a running photoshoot refunds it: the balance changes too
      invalidatesTags: ['Generations', 'Me'],
      async onQueryStarted(id, { dispatch, queryFulfilled }) {
        try {
          await queryFulfilled;
          dispatch(generationForgotten(id));
        } catch {
          /* shown by the list */
        }
      },
    }),
    getArchiveLink: build.mutation<{ url: string }, string>({
      query: (id) => ({ url: `/api/generations/${encodeURIComponent(id)}/archive`, method: 'GET' }),
    }),
  }),
});

export const {
  useCreateUploadMutation,
  useLazyGetSuggestionsQuery,
  useCreateGenerationMutation,
  useGetGenerationQuery,
  useListGenerationsInfiniteQuery,
  useCancelGenerationMutation,
  useDeleteGenerationMutation,
  useGetArchiveLinkMutation,
} = generationApi;
