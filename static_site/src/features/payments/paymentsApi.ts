import { api } from '../../shared/api';
import type { ListResponse, Order } from '../../shared/types';

export const paymentsApi = api.injectEndpoints({
  endpoints: (build) => ({
    createPayment: build.mutation<{ order_id: string; confirmation_url: string }, { package_id: string }>({
      query: (body) => ({ url: '/api/payments', method: 'POST', body }),
      invalidatesTags: ['Orders'],
    }),
    getOrders: build.query<Order[], void>({
      query: () => '/api/orders',
      transformResponse: (response: ListResponse<Order>) => response.items ?? [],
      providesTags: ['Orders'],
    }),
    getOrder: build.query<Order, string>({
      query: (id) => `/api/orders/${encodeURIComponent(id)}`,
      providesTags: (_r, _e, id) => [{ type: 'Order', id }],
    }),
  }),
});

export const { useCreatePaymentMutation, useGetOrdersQuery, useGetOrderQuery } = paymentsApi;
