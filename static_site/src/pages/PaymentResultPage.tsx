import { useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAppSelector } from '../app/hooks';
import { selectBalance } from '../features/auth/authSlice';
import { Confetti } from '../features/payments/components/Confetti';
import { failureText } from '../features/payments/paymentsSlice';
import { usePaymentResult } from '../features/payments/usePaymentResult';
import { countPhotoshoots, formatRubles } from '../shared/format';
import { Alert, Button, ButtonLink, Card, Spinner, useFocusWhenLost } from '../shared/ui';

function ResultIcon({ kind }: { kind: 'success' | 'failure' }) {
  const success = kind === 'success';
  return (
    <svg width="72" height="72" viewBox="0 0 72 72" aria-hidden>
      <defs>
        <linearGradient id="result-g" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#6b4eff" />
          <stop offset="1" stopColor="#ff7a59" />
        </linearGradient>
      </defs>
      {/* the failure's pale disc is the theme's --danger-soft (#fdecec when light) */}
      <circle cx="36" cy="36" r="34" style={{ fill: success ? 'url(#result-g)' : 'var(--danger-soft)' }} />
      {success ? (
        <path d="M22 37l9 9 19-20" fill="none" stroke="#fff" strokeWidth="6" strokeLinecap="round" strokeLinejoin="round" />
      ) : (
        <path d="M26 26l20 20M46 26L26 46" fill="none" stroke="#d93a3a" strokeWidth="6" strokeLinecap="round" />
      )}
    </svg>
  );
}

export default function PaymentResultPage() {
  const [params] = useSearchParams();
  const orderId = params.get('order') ?? params.get('order_id');
  const result = usePaymentResult(orderId);
  const balance = useAppSelector(selectBalance);
  // «Проверяем оплату…» gives way to the answer: its heading takes the focus (and is read)
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusWhenLost(heading, result.outcome);

  if (!orderId || result.notFound) {
    return (
      <div className="container page" style={{ maxWidth: 560 }}>
        <h1 className="page-title" style={{ fontSize: 28, marginBottom: 16 }}>
          Заказ не найден
        </h1>
        <Alert kind="warning" testId="payment-unknown">
          Не нашли такой заказ. Проверьте историю покупок в профиле.
        </Alert>
        <div style={{ marginTop: 16 }}>
          <ButtonLink to="/profile" variant="secondary">
            Открыть профиль
          </ButtonLink>
        </div>
      </div>
    );
  }

  return (
    <div className="container page" style={{ maxWidth: 560 }}>
      <Card>
        <div style={{ display: 'grid', gap: 16, textAlign: 'center', justifyItems: 'center', padding: '12px 0' }}>
          {result.outcome === 'pending' && (
            <div data-testid="payment-pending" style={{ display: 'grid', gap: 12, justifyItems: 'center' }}>
              <Spinner label="Ждём подтверждения оплаты" />
              <h1 ref={heading} tabIndex={-1} className="page-title" style={{ fontSize: 28 }}>
                Проверяем оплату…
              </h1>
              <p className="muted">Обычно это занимает несколько секунд. Страница обновится сама.</p>
              {result.error && <Alert>{result.error}</Alert>}
            </div>
          )}

          {result.outcome === 'paid' && (
            <div data-testid="payment-success" style={{ display: 'grid', gap: 12, justifyItems: 'center' }}>
              <Confetti />
              <ResultIcon kind="success" />
              <h1 ref={heading} tabIndex={-1} className="page-title" style={{ fontSize: 30 }}>
                Оплата прошла!
              </h1>
              <p style={{ fontSize: 18 }} data-testid="payment-credited">
                Зачислено: <b>{countPhotoshoots(result.credited)}</b>
              </p>
              {(result.balance ?? balance) !== null && (
                <p className="muted" data-testid="payment-balance">
                  Теперь на балансе {countPhotoshoots((result.balance ?? balance) as number)}
                </p>
              )}
              <ButtonLink to="/generate" variant="primary" data-testid="payment-start-generation">
                Начать генерацию
              </ButtonLink>
              {result.redirecting && (
                <p className="muted" style={{ fontSize: 14 }} data-testid="payment-redirect">
                  Перейдём к созданию фотосессии через {result.secondsLeft}&nbsp;с{' '}
                  <Button variant="ghost" size="small" onClick={result.stay} data-testid="payment-stay">
                    Остаться
                  </Button>
                </p>
              )}
            </div>
          )}

          {result.outcome === 'failed' && result.order && (
            <div data-testid="payment-failed" data-status={result.order.status} style={{ display: 'grid', gap: 12, justifyItems: 'center' }}>
              <ResultIcon kind="failure" />
              <h1 ref={heading} tabIndex={-1} className="page-title" style={{ fontSize: 28 }}>
                {result.order.status === 'refunded' ? 'Платёж возвращён' : 'Оплата не прошла'}
              </h1>
              <p data-testid="payment-failure-reason">{failureText(result.order)}</p>
              <p className="muted">
                Заказ «{result.order.package_title}» на {formatRubles(result.order.amount_kopecks)}
              </p>
              <ButtonLink to="/packages" variant="primary" data-testid="payment-retry">
                Попробовать снова
              </ButtonLink>
            </div>
          )}
        </div>
      </Card>
    </div>
  );
}
