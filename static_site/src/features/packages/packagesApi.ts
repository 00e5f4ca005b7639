import { api } from '../../shared/api';
import type { ListResponse, Package } from '../../shared/types';

export const packagesApi = api.injectEndpoints({
  endpoints: (build) => ({
    getPackages: build.query<Package[], void>({
      query: () => '/api/packages',
      transformResponse: (response: ListResponse<Package>) => response.items ?? [],
      providesTags: ['Catalogue'],
      keepUnusedDataFor: 600,
    }),
  }),
});

export const { useGetPackagesQuery } = packagesApi;
