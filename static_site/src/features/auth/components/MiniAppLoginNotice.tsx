import { errorMessage, errorStatus } from '../../../shared/errors';
import { Alert, Spinner } from '../../../shared/ui';
import { useAppSelector } from '../../../app/hooks';
import { MINI_APP_LOGIN, useLoginWithWebAppMutation } from '../authApi';
import { selectIsAuthenticated } from '../authSlice';

/**
 * Inside the Telegram Mini App the login runs by itself (useSessionBootstrap): while it
 * does, the page would otherwise show «Войти» as if nothing happened, and a refused initData
 * (expired, not from our bot) would leave the seller on a logged-out page without a word.
 */
export function MiniAppLoginNotice() {
  const authenticated = useAppSelector(selectIsAuthenticated);
  const [, state] = useLoginWithWebAppMutation({ fixedCacheKey: MINI_APP_LOGIN });
  if (authenticated) return null;
  if (state.isLoading) {
    return (
      <div className="container" data-testid="miniapp-signing-in" style={{ display: 'flex', gap: 8, alignItems: 'center', paddingTop: 12 }}>
        <Spinner label="Входим через Telegram…" /> Входим через Telegram…
      </div>
    );
  }
  if (state.isError) {
    return (
      <div className="container" style={{ paddingTop: 12 }}>
        <Alert testId="miniapp-login-error">{refusalText(state.error)}</Alert>
      </div>
    );
  }
  return null;
}

// The API's own words for a refused initData speak of the site's login button, which the Mini
// App does not have: here the way out is launching it again from the bot.
function refusalText(error: Parameters<typeof errorMessage>[0]): string {
  const status = errorStatus(error);
  if (status === 400 || status === 401) {
    return 'Не получилось войти: данные запуска из Telegram устарели или не подходят. Закройте приложение и откройте его снова из бота.';
  }
  return `${errorMessage(error)} Закройте приложение и откройте его снова из бота.`;
}
