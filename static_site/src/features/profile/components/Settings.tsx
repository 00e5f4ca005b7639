import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { errorMessage } from '../../../shared/errors';
import type { User } from '../../../shared/types';
import { Alert, Button, Field, inputClass } from '../../../shared/ui';
import { useLogoutMutation, useUpdateMeMutation } from '../../auth/authApi';
import { isValidEmail } from '../../payments/usePurchase';
import s from './profile.module.css';

export function Settings({ user }: { user: User }) {
  const [email, setEmail] = useState(user.email ?? '');
  const [notifications, setNotifications] = useState(user.email_notifications);
  const [update, updateState] = useUpdateMeMutation();
  const [logout, logoutState] = useLogoutMutation();
  const [localError, setLocalError] = useState<string | null>(null);
  const navigate = useNavigate();

  useEffect(() => {
    setEmail(user.email ?? '');
    setNotifications(user.email_notifications);
  }, [user.email, user.email_notifications]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setLocalError(null);
    if (email && !isValidEmail(email)) {
      setLocalError('Проверьте адрес почты');
      return;
    }
    try {
      await update({ email: email.trim() || null, email_notifications: notifications }).unwrap();
    } catch {
      /* shown */
    }
  };

  const doLogout = async () => {
    try {
      await logout().unwrap();
    } catch {
      /* the token is cleared locally either way */
    }
    navigate('/', { replace: true });
  };

  return (
    <div className={s.settings} data-testid="settings">
      <div className={s.account} data-testid="settings-telegram">
        <span aria-hidden style={{ fontSize: 20 }}>
          ✈
        </span>
        <div className={s.itemText}>
          <span className={s.itemTitle}>Telegram</span>
          <span className={s.itemMeta}>
            {user.username ? `@${user.username}` : user.first_name} · ID {user.telegram_id}
          </span>
        </div>
      </div>
      <form onSubmit={save} className={s.settings} noValidate>
        <Field
          label="Электронная почта"
          htmlFor="settings-email"
          hint="Для чеков и уведомлений о готовых фотосессиях"
          error={localError}
          errorTestId="settings-email-error"
        >
          <input
            id="settings-email"
            type="email"
            className={inputClass}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="you@example.ru"
            autoComplete="email"
            data-testid="settings-email"
          />
        </Field>
        <label className={s.toggleRow}>
          <span>Уведомления на почту</span>
          <span className={s.switch}>
            <input
              type="checkbox"
              role="switch"
              checked={notifications}
              onChange={(e) => setNotifications(e.target.checked)}
              data-testid="settings-email-notifications"
            />
            <span className={s.track} />
          </span>
        </label>
        {!localError && updateState.isError && <Alert>{errorMessage(updateState.error)}</Alert>}
        {updateState.isSuccess && !localError && (
          <Alert kind="success" testId="settings-saved">
            Настройки сохранены
          </Alert>
        )}
        <Button type="submit" loading={updateState.isLoading} data-testid="settings-save">
          Сохранить
        </Button>
      </form>
      <Button variant="danger" onClick={doLogout} loading={logoutState.isLoading} data-testid="logout">
        Выйти
      </Button>
    </div>
  );
}
