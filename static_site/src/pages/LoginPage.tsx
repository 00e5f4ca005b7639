import { useEffect } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useAppSelector } from '../app/hooks';
import { selectIsAuthenticated } from '../features/auth/authSlice';
import { CodeLogin } from '../features/auth/components/CodeLogin';
import { DeepLinkLogin } from '../features/auth/components/DeepLinkLogin';
import { SandboxLogin } from '../features/auth/components/SandboxLogin';
import { TelegramWidgetLogin } from '../features/auth/components/TelegramWidgetLogin';
import { safeNextPath } from '../features/auth/safeRedirect';
import { useGetConfigQuery } from '../features/catalogue/configApi';
import { countPhotoshoots } from '../shared/format';
import { Alert, Card, Spinner } from '../shared/ui';
import ls from '../features/auth/components/login.module.css';
import s from './LoginPage.module.css';

export default function LoginPage() {
  const authenticated = useAppSelector(selectIsAuthenticated);
  const expired = useAppSelector((st) => st.auth.expired);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNextPath(params.get('next'));
  const { data: config, isLoading, isError } = useGetConfigQuery();

  useEffect(() => {
    if (authenticated) navigate(next, { replace: true });
  }, [authenticated, navigate, next]);

  return (
    <div className="container page">
      <div className={s.wrap} data-testid="login-page">
        <div className={s.head}>
          <h1 className="page-title">Вход</h1>
          <p className="muted">
            Через Telegram — без паролей.
            {config && config.signup_bonus > 0 && <> Новым пользователям — {countPhotoshoots(config.signup_bonus)} в подарок.</>}
          </p>
        </div>
        {expired && <Alert kind="warning">Сессия истекла. Войдите снова — вы вернётесь туда, где были.</Alert>}

        <Card>
          <div className={ls.method}>
            <div className={ls.methodHead}>
              <span className={ls.methodIcon} aria-hidden>
                ✈
              </span>
              <div>
                <div className={ls.methodTitle}>Telegram в один клик</div>
                <div className={ls.methodText}>Подтвердите вход во всплывающем окне Telegram.</div>
              </div>
            </div>
            {isLoading && <Spinner />}
            {isError && <Alert kind="warning">Не удалось загрузить настройки входа. Обновите страницу.</Alert>}
            {config &&
              (config.telegram_login_sandbox ? (
                <SandboxLogin />
              ) : (
                <TelegramWidgetLogin botUsername={config.bot_username} />
              ))}
          </div>
        </Card>

        <div className={s.divider}>или</div>

        <Card>
          <div className={ls.method}>
            <div className={ls.methodHead}>
              <span className={ls.methodIcon} aria-hidden>
                ↗
              </span>
              <div>
                <div className={ls.methodTitle}>Через бота</div>
                <div className={ls.methodText}>Откроем бота — подтвердите вход одной кнопкой.</div>
              </div>
            </div>
            <DeepLinkLogin />
          </div>
        </Card>

        <Card>
          <div className={ls.method}>
            <div className={ls.methodHead}>
              <span className={ls.methodIcon} aria-hidden>
                #
              </span>
              <div>
                <div className={ls.methodTitle}>Код из Telegram</div>
                <div className={ls.methodText}>Бот пришлёт 6 цифр — введите их здесь.</div>
              </div>
            </div>
            <CodeLogin />
          </div>
        </Card>

        <p className={s.note}>Входя, вы соглашаетесь с условиями сервиса и обработкой персональных данных.</p>
      </div>
    </div>
  );
}
