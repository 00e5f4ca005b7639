import { Alert, Button, ButtonAnchor } from '../../../shared/ui';
import { useDeepLinkLogin } from '../useDeepLinkLogin';
import s from './login.module.css';

function mmss(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const sec = seconds % 60;
  return `${m}:${String(sec).padStart(2, '0')}`;
}

/** "Open the bot and tap Confirm" — with a live waiting state. */
export function DeepLinkLogin() {
  const { state, challenge, secondsLeft, error, begin } = useDeepLinkLogin();

  return (
    <div className={s.form} data-testid="login-link" data-state={state}>
      {(state === 'idle' || state === 'starting' || state === 'error') && (
        <Button variant="secondary" block loading={state === 'starting'} onClick={begin} data-testid="login-link-start">
          Войти через бота
        </Button>
      )}
      {state === 'pending' && challenge && (
        <>
          <ButtonAnchor
            variant="telegram"
            block
            href={challenge.bot_link}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="login-link-open"
          >
            Открыть бота
          </ButtonAnchor>
          {/* Said once when the wait begins. The countdown is a timer (never read out by
              itself): inside the live region it was announced every second. */}
          <div className={s.waiting} data-testid="login-link-status" data-status="pending">
            <span className={s.pulse} aria-hidden />
            <span role="status">Ждём подтверждения в Telegram — нажмите «Подтвердить вход» в боте.</span>
            <span className={s.timer} role="timer" data-testid="login-link-timer">
              <span className="visually-hidden">Ссылка действует ещё </span>
              {mmss(secondsLeft)}
            </span>
          </div>
        </>
      )}
      {state === 'confirmed' && (
        <Alert kind="success" testId="login-link-status">
          Вход подтверждён. Открываем ваш кабинет…
        </Alert>
      )}
      {state === 'expired' && (
        <>
          <Alert kind="warning" testId="login-link-status">
            Ссылка устарела. Получите новую — это займёт секунду.
          </Alert>
          <Button variant="secondary" block onClick={begin} data-testid="login-link-restart">
            Получить новую ссылку
          </Button>
        </>
      )}
      {error && state !== 'expired' && <Alert>{error}</Alert>}
    </div>
  );
}
