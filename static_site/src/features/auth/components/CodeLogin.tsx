import { useState, type FormEvent } from 'react';
import { Alert, Button, Field, inputClass } from '../../../shared/ui';
import { CODE_LENGTH, onlyDigits, useCodeLogin } from '../useCodeLogin';
import s from './login.module.css';

/** Username → 6-digit code from the bot. */
export function CodeLogin() {
  const [username, setUsername] = useState('');
  const [code, setCode] = useState('');
  const flow = useCodeLogin();
  const delivered = flow.challenge?.delivered === true;

  const request = (e: FormEvent) => {
    e.preventDefault();
    setCode('');
    void flow.request(username);
  };

  const verify = (e?: FormEvent) => {
    e?.preventDefault();
    void flow.verify(code);
  };

  const onCodeChange = (raw: string) => {
    const digits = onlyDigits(raw);
    setCode(digits);
    if (digits.length === CODE_LENGTH && !flow.verifying) void flow.verify(digits);
  };

  if (delivered) {
    return (
      <form className={s.form} onSubmit={verify} data-testid="login-code-verify-form">
        <Alert kind="info">Бот отправил код в Telegram. Он действует 5 минут.</Alert>
        {/* the refusal (wrong or expired code) is the code's: said at the field */}
        <Field label="Код из Telegram" htmlFor="login-code" hint="6 цифр" error={flow.error} errorTestId="login-code-error">
          <input
            id="login-code"
            className={`${inputClass} ${s.codeInput}`}
            value={code}
            onChange={(e) => onCodeChange(e.target.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={CODE_LENGTH}
            autoFocus
            placeholder="••••••"
            data-testid="login-code-input"
          />
        </Field>
        <Button type="submit" block loading={flow.verifying} disabled={code.length !== CODE_LENGTH} data-testid="login-code-submit">
          Войти
        </Button>
        <Button variant="ghost" size="small" onClick={flow.reset} data-testid="login-code-back">
          Изменить имя пользователя
        </Button>
      </form>
    );
  }

  return (
    <form className={s.form} onSubmit={request} data-testid="login-code-form">
      <Field
        label="Имя пользователя в Telegram"
        htmlFor="login-username"
        hint="Например, @my_shop"
        error={flow.error}
        errorTestId="login-code-error"
      >
        <input
          id="login-username"
          className={inputClass}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          placeholder="@username"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          data-testid="login-code-username"
        />
      </Field>
      {flow.challenge && !flow.challenge.delivered && (
        <Alert kind="warning" testId="login-code-not-delivered">
          Бот пока не может вам написать. Откройте{' '}
          <a href={flow.challenge.bot_link} target="_blank" rel="noopener noreferrer" data-testid="login-code-open-bot">
            бота в Telegram
          </a>
          , нажмите «Старт» и запросите код ещё раз.
        </Alert>
      )}
      <Button type="submit" variant="secondary" block loading={flow.requesting} data-testid="login-code-request">
        {flow.challenge && !flow.challenge.delivered ? 'Запросить код ещё раз' : 'Получить код'}
      </Button>
    </form>
  );
}
