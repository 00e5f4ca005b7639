import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../../shared/errors';
import { Alert, Button, Field, inputClass } from '../../../shared/ui';
import { useLoginWithWidgetMutation, useSandboxWidgetPayloadMutation } from '../authApi';
import s from './login.module.css';

export const SANDBOX_DEFAULTS = { id: '777000001', first_name: 'Тестовый продавец', username: 'test_seller' };

/**
 * Local stack only: the sandbox signs a Login Widget payload for a test user, which we then
 * send to /api/auth/telegram exactly as the real widget's callback would.
 */
export function SandboxLogin() {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(SANDBOX_DEFAULTS);
  const [getPayload, payloadState] = useSandboxWidgetPayloadMutation();
  const [login, loginState] = useLoginWithWidgetMutation();
  const busy = payloadState.isLoading || loginState.isLoading;
  const error = payloadState.error ?? loginState.error;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const payload = await getPayload({
        id: Number(form.id),
        first_name: form.first_name.trim(),
        username: form.username.trim().replace(/^@/, ''),
      }).unwrap();
      await login(payload).unwrap();
    } catch {
      /* shown below */
    }
  };

  if (!open) {
    return (
      <Button variant="telegram" block onClick={() => setOpen(true)} data-testid="login-sandbox-open">
        Войти через Telegram (песочница)
      </Button>
    );
  }

  return (
    <form className={s.form} onSubmit={submit} data-testid="login-sandbox-form">
      <Field label="Telegram ID тестового пользователя" htmlFor="sandbox-id">
        <input
          id="sandbox-id"
          className={inputClass}
          inputMode="numeric"
          value={form.id}
          onChange={(e) => setForm({ ...form, id: e.target.value.replace(/\D/g, '') })}
          data-testid="login-sandbox-id"
          required
        />
      </Field>
      <Field label="Имя" htmlFor="sandbox-name">
        <input
          id="sandbox-name"
          className={inputClass}
          value={form.first_name}
          onChange={(e) => setForm({ ...form, first_name: e.target.value })}
          data-testid="login-sandbox-name"
          required
        />
      </Field>
      <Field label="Имя пользователя" htmlFor="sandbox-username">
        <input
          id="sandbox-username"
          className={inputClass}
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          data-testid="login-sandbox-username"
        />
      </Field>
      {error && <Alert>{errorMessage(error)}</Alert>}
      <Button type="submit" variant="telegram" block loading={busy} data-testid="login-sandbox-submit">
        Войти как тестовый пользователь
      </Button>
    </form>
  );
}
