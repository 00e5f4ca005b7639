import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import { api } from '../../shared/api';
import type { AuthResponse, User } from '../../shared/types';
import { loggedIn, loggedOut, userLoaded } from './authSlice';
import { collectLoginExtras } from './loginExtras';

export interface TelegramWidgetUser {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  photo_url?: string;
  auth_date: number;
  hash: string;
}

export interface SandboxWidgetRequest {
  id: number;
  first_name: string;
  username: string;
}

export interface LinkChallenge {
  challenge_id: string;
  bot_link: string;
  expires_in: number;
}

export interface LinkStatus {
  status: 'pending' | 'confirmed' | 'expired';
  token?: string;
  user?: User;
  is_new?: boolean;
}

export interface CodeChallenge {
  challenge_id: string;
  expires_in: number;
  delivered: boolean;
  bot_link: string;
}

async function onLogin(
  _arg: unknown,
  { dispatch, queryFulfilled }: { dispatch: (a: unknown) => unknown; queryFulfilled: Promise<{ data: AuthResponse }> },
) {
  try {
    const { data } = await queryFulfilled;
    dispatch(loggedIn(data));
  } catch {
    /* the component shows the error */
  }
}

/** One Mini App login per launch: the bootstrap starts it, the notice shows its state. */
export const MINI_APP_LOGIN = 'mini-app-login';

export const authApi = api.injectEndpoints({
  endpoints: (build) => ({
    getMe: build.query<User, void>({
      query: () => '/api/me',
      providesTags: ['Me'],
      async onQueryStarted(_arg, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(userLoaded(data));
        } catch {
          /* 401 is handled by the base query */
        }
      },
    }),
    updateMe: build.mutation<User, Partial<Pick<User, 'email' | 'email_notifications'>>>({
      query: (body) => ({ url: '/api/me', method: 'PATCH', body }),
      async onQueryStarted(_arg, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(userLoaded(data));
        } catch {
          /* shown by the form */
        }
      },
    }),
    loginWithWidget: build.mutation<AuthResponse, TelegramWidgetUser>({
      async queryFn(widgetUser, _api, _extra, baseQuery) {
        const extras = await collectLoginExtras();
        const result = await baseQuery({ url: '/api/auth/telegram', method: 'POST', body: { ...widgetUser, ...extras } });
        return result.error ? { error: result.error as FetchBaseQueryError } : { data: result.data as AuthResponse };
      },
      onQueryStarted: onLogin,
    }),
    loginWithWebApp: build.mutation<AuthResponse, { init_data: string }>({
      async queryFn({ init_data }, _api, _extra, baseQuery) {
        const { utm, metrika_client_id } = await collectLoginExtras();
        const result = await baseQuery({
          url: '/api/auth/webapp',
          method: 'POST',
          body: { init_data, ...(utm ? { utm } : {}), ...(metrika_client_id ? { metrika_client_id } : {}) },
        });
        return result.error ? { error: result.error as FetchBaseQueryError } : { data: result.data as AuthResponse };
      },
      onQueryStarted: onLogin,
    }),
    sandboxWidgetPayload: build.mutation<TelegramWidgetUser, SandboxWidgetRequest>({
      query: (body) => ({ url: '/sandbox/telegram/login-widget', method: 'POST', body }),
    }),
    startLinkLogin: build.mutation<LinkChallenge, void>({
      async queryFn(_arg, _api, _extra, baseQuery) {
        const extras = await collectLoginExtras();
        const result = await baseQuery({ url: '/api/auth/link', method: 'POST', body: extras });
        return result.error ? { error: result.error as FetchBaseQueryError } : { data: result.data as LinkChallenge };
      },
    }),
    linkLoginStatus: build.query<LinkStatus, string>({
      query: (challengeId) => `/api/auth/link/${encodeURIComponent(challengeId)}`,
      keepUnusedDataFor: 0,
      async onQueryStarted(_arg, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          if (data.status === 'confirmed' && data.token && data.user) {
            dispatch(loggedIn({ token: data.token, user: data.user }));
          }
        } catch {
          /* shown by the component */
        }
      },
    }),
    requestLoginCode: build.mutation<CodeChallenge, { username: string }>({
      // the attribution goes with the request too: a new seller's account is made when they
      // open the bot from it, and the sign-up is counted under the source it knows then
      async queryFn(body, _api, _extra, baseQuery) {
        const extras = await collectLoginExtras();
        const result = await baseQuery({ url: '/api/auth/code/request', method: 'POST', body: { ...body, ...extras } });
        return result.error ? { error: result.error as FetchBaseQueryError } : { data: result.data as CodeChallenge };
      },
    }),
    verifyLoginCode: build.mutation<AuthResponse, { challenge_id: string; code: string }>({
      async queryFn(body, _api, _extra, baseQuery) {
        const extras = await collectLoginExtras();
        const result = await baseQuery({ url: '/api/auth/code/verify', method: 'POST', body: { ...body, ...extras } });
        return result.error ? { error: result.error as FetchBaseQueryError } : { data: result.data as AuthResponse };
      },
      onQueryStarted: onLogin,
    }),
    logout: build.mutation<void, void>({
      query: () => ({ url: '/api/auth/logout', method: 'POST' }),
      async onQueryStarted(_arg, { dispatch, queryFulfilled }) {
        try {
          await queryFulfilled;
        } finally {
          dispatch(loggedOut());
        }
      },
    }),
  }),
});

export const {
  useGetMeQuery,
  useUpdateMeMutation,
  useLoginWithWidgetMutation,
  useLoginWithWebAppMutation,
  useSandboxWidgetPayloadMutation,
  useStartLinkLoginMutation,
  useLinkLoginStatusQuery,
  useRequestLoginCodeMutation,
  useVerifyLoginCodeMutation,
  useLogoutMutation,
} = authApi;
