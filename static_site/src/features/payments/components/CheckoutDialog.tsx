import { useState, type FormEvent } from 'react';
import { countPhotoshoots, formatRubles } from '../../../shared/format';
import type { Package } from '../../../shared/types';
import { Alert, Button, Dialog, Field, inputClass } from '../../../shared/ui';
import { pricePerPhotoshootLabel } from '../../packages/pricing';

interface Props {
  pkg: Package;
  needEmail: boolean;
  busy: boolean;
  redirecting: boolean;
  error: string | null;
  /** What is wrong with the typed e-mail (tied to the field). */
  emailError?: string | null;
  defaultEmail?: string | null;
  onConfirm: () => void;
  onEmail: (email: string) => void;
  onClose: () => void;
}

export function CheckoutDialog({ pkg, needEmail, busy, redirecting, error, emailError, defaultEmail, onConfirm, onEmail, onClose }: Props) {
  const [email, setEmail] = useState(defaultEmail ?? '');
  const submitEmail = (e: FormEvent) => {
    e.preventDefault();
    onEmail(email);
  };

  return (
    <Dialog title="Подтверждение заказа" onClose={onClose} testId="checkout-dialog">
      <div style={{ display: 'grid', gap: 16 }}>
        <div style={{ display: 'grid', gap: 4 }}>
          <strong style={{ fontSize: 18 }}>Пакет «{pkg.title}»</strong>
          <span className="muted">
            {countPhotoshoots(pkg.photoshoots)} по {pkg.images_per_photoshoot} фото · {pricePerPhotoshootLabel(pkg)}
          </span>
          <span style={{ fontSize: 30, fontWeight: 800, letterSpacing: '-0.03em' }} data-testid="checkout-total">
            {formatRubles(pkg.price_kopecks)}
          </span>
        </div>
        {needEmail ? (
          <form onSubmit={submitEmail} noValidate style={{ display: 'grid', gap: 12 }} data-testid="checkout-email-form">
            <Alert kind="info">Укажите почту — по закону мы отправим на неё электронный чек.</Alert>
            <Field label="Электронная почта" htmlFor="checkout-email" error={emailError} errorTestId="checkout-email-error">
              <input
                id="checkout-email"
                type="email"
                className={inputClass}
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoComplete="email"
                autoFocus
                placeholder="you@example.ru"
                data-testid="checkout-email-input"
              />
            </Field>
            {error && <Alert>{error}</Alert>}
            <Button type="submit" variant="primary" block loading={busy} data-testid="checkout-email-submit">
              Сохранить и перейти к оплате
            </Button>
          </form>
        ) : (
          <>
            <p className="muted" style={{ fontSize: 14 }}>
              Оплата картой или ЮMoney на защищённой странице ЮKassa. Фотосессии зачислятся сразу после оплаты.
            </p>
            {error && <Alert>{error}</Alert>}
            <Button variant="primary" block loading={busy || redirecting} onClick={onConfirm} data-testid="checkout-confirm">
              {redirecting ? 'Переходим к оплате…' : `Оплатить ${formatRubles(pkg.price_kopecks)}`}
            </Button>
          </>
        )}
      </div>
    </Dialog>
  );
}
