import { api } from '../../shared/api';
import type { PublicConfig } from '../../shared/types';

export const DEFAULT_FORMATS: PublicConfig['formats'] = [
  { format_id: '1:1', title: 'Квадрат 1:1', width: 1024, height: 1024 },
  { format_id: '3:4', title: 'Карточка 3:4', width: 900, height: 1200 },
  { format_id: '4:5', title: 'Лента 4:5', width: 1080, height: 1350 },
  { format_id: '16:9', title: 'Баннер 16:9', width: 1920, height: 1080 },
];

export const configApi = api.injectEndpoints({
  endpoints: (build) => ({
    getConfig: build.query<PublicConfig, void>({
      query: () => '/api/config',
      keepUnusedDataFor: 3600,
    }),
  }),
});

export const { useGetConfigQuery } = configApi;
