import { useEffect, useRef } from 'react';
import { errorMessage } from '../../../shared/errors';
import { Alert } from '../../../shared/ui';
import { useLoginWithWidgetMutation, type TelegramWidgetUser } from '../authApi';
import s from './login.module.css';

declare global {
  interface Window {
    onTelegramAuth?: (user: TelegramWidgetUser) => void;
  }
}

const WIDGET_SRC = 'https://telegram.org/js/telegram-widget.js?22';

/** The real Telegram Login Widget (production). */
export function TelegramWidgetLogin({ botUsername }: { botUsername: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [login, state] = useLoginWithWidgetMutation();

  useEffect(() => {
    window.onTelegramAuth = (user) => void login(user);
    const host = container.current;
    if (!host) return;
    const script = document.createElement('script');
    script.async = true;
    script.src = WIDGET_SRC;
    script.setAttribute('data-telegram-login', botUsername);
    script.setAttribute('data-size', 'large');
    script.setAttribute('data-radius', '12');
    script.setAttribute('data-request-access', 'write');
    script.setAttribute('data-userpic', 'false');
    script.setAttribute('data-onauth', 'onTelegramAuth(user)');
    host.appendChild(script);
    return () => {
      host.innerHTML = '';
      delete window.onTelegramAuth;
    };
  }, [botUsername, login]);

  return (
    <div className={s.form}>
      <div ref={container} className={s.widget} data-testid="login-widget" />
      {state.isError && <Alert>{errorMessage(state.error)}</Alert>}
    </div>
  );
}
