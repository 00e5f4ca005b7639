import { createAction } from '@reduxjs/toolkit';
import {
  createApi,
  fetchBaseQuery,
  type BaseQueryFn,
  type FetchArgs,
  type FetchBaseQueryError,
} from '@reduxjs/toolkit/query/react';

/** Dispatched when a request that carried a token answered 401: the session is over. */
export const unauthorized = createAction('api/unauthorized');

interface StateWithToken {
  auth: { token: string | null };
}

// Same-origin API. An absolute base keeps `new Request()` happy outside browsers (tests).
const origin = typeof window !== 'undefined' && window.location?.origin?.startsWith('http') ? window.location.origin : '';

const rawBaseQuery = fetchBaseQuery({
  baseUrl: origin,
  prepareHeaders: (headers, { getState }) => {
    const token = (getState() as StateWithToken).auth.token;
    if (token && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${token}`);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json');
    return headers;
  },
});

const tokenOf = (api: { getState: () => unknown }) => (api.getState() as StateWithToken).auth.token;

// A login presents credentials of its own (initData, a code, widget data): its 401 refuses those,
// not the session the tab holds — a stale or foreign initData must not sign the seller out.
const LOGIN_PATH = /^\/api\/auth\/(?!logout(?:[/?#]|$))/;
const pathOf = (args: string | FetchArgs) => (typeof args === 'string' ? args : args.url);

const baseQuery: BaseQueryFn<string | FetchArgs, unknown, FetchBaseQueryError> = async (args, api, extra) => {
  const sentToken = LOGIN_PATH.test(pathOf(args)) ? null : tokenOf(api);
  const result = await rawBaseQuery(args, api, extra);
  // Only a refusal of the session still held ends it: a login that replaced the token while
  // this request was in flight (a Mini App launch beside a stale stored token) stays.
  if (result.error && result.error.status === 401 && sentToken && sentToken === tokenOf(api)) {
    api.dispatch(unauthorized());
  }
  return result;
};

/** The one RTK Query API; every feature adds its endpoints with `api.injectEndpoints`. */
export const api = createApi({
  reducerPath: 'api',
  baseQuery,
  tagTypes: ['Me', 'Orders', 'Order', 'Generations', 'Generation', 'SavedStyles', 'Catalogue'],
  endpoints: () => ({}),
});
