import { useEffect, useRef } from 'react';
import { useAppSelector } from '../../app/hooks';
import { MINI_APP_LOGIN, useGetMeQuery, useLoginWithWebAppMutation } from './authApi';
import { selectToken } from './authSlice';
import { loadMiniApp } from './miniApp';

/** Loads the profile when logged in, and logs in automatically inside a Telegram Mini App. */
export function useSessionBootstrap(): void {
  const token = useAppSelector(selectToken);
  useGetMeQuery(undefined, { skip: !token });
  const [loginWithWebApp] = useLoginWithWebAppMutation({ fixedCacheKey: MINI_APP_LOGIN });
  const tried = useRef(false);

  useEffect(() => {
    if (tried.current) return;
    tried.current = true;
    let cancelled = false;
    loadMiniApp().then((webApp) => {
      if (!cancelled && webApp?.initData) void loginWithWebApp({ init_data: webApp.initData });
    });
    return () => {
      cancelled = true;
    };
  }, [loginWithWebApp]);
}
