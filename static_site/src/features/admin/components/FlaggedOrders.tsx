import { useState } from 'react';
import { errorMessage } from '../../../shared/errors';
import { countPhotoshoots, formatDateTime, formatOrderAmount, formatRubles } from '../../../shared/format';
import { Alert, Badge, Button, Card, Spinner } from '../../../shared/ui';
import { useGetFlaggedOrdersQuery } from '../adminApi';
import type { FlaggedOrder } from '../types';
import s from './admin.module.css';

const PROVIDERS: Record<string, string> = { yookassa: 'ЮKassa', stars: 'Telegram Stars' };
const STATUSES: Record<string, string> = {
  pending: 'ожидает оплаты',
  paid: 'оплачен',
  cancelled: 'отменён',
  refunded: 'возвращён',
  expired: 'истёк',
};

function OrderCard({ order }: { order: FlaggedOrder }) {
  return (
    <Card className={s.flaggedOrder} data-testid={`flagged-order-${order.order_id}`}>
      <div className={s.flaggedFlags}>
        {order.flags.map((f) => (
          <Badge key={f.code} hot title={f.code} data-testid="flagged-order-flag">
            {f.label}
            {f.label !== f.code && <span className={s.flagCode}> ({f.code})</span>}
          </Badge>
        ))}
      </div>
      <dl className={s.flaggedFacts}>
        <dt>Заказ</dt>
        <dd>{order.order_id}</dd>
        <dt>Пользователь</dt>
        <dd>{order.user_id}</dd>
        <dt>Оплата</dt>
        <dd>
          {PROVIDERS[order.provider] ?? order.provider}, {formatOrderAmount(order)}, {countPhotoshoots(order.photoshoots)}
        </dd>
        {order.refunded_kopecks ? (
          <>
            <dt>Возвращено</dt>
            <dd data-testid="flagged-order-refunded">{formatRubles(order.refunded_kopecks)}</dd>
          </>
        ) : null}
        <dt>Статус</dt>
        <dd>{STATUSES[order.status] ?? order.status}</dd>
        <dt>Платёж</dt>
        <dd>{order.payment_id ?? '—'}</dd>
        <dt>Создан</dt>
        <dd>{formatDateTime(order.created_at)}</dd>
        <dt>Изменён</dt>
        <dd>{formatDateTime(order.updated_at) || '—'}</dd>
      </dl>
    </Card>
  );
}

/** «Заказы на проверке»: orders with a review flag (amount mismatch, refund shortfall …). */
export function FlaggedOrders() {
  const [cursor, setCursor] = useState<string | null>(null);
  const { data, error, isLoading, isFetching } = useGetFlaggedOrdersQuery(cursor);
  if (isLoading) return <Spinner />;
  if (error) return <Alert>{errorMessage(error)}</Alert>;
  const items = data?.items ?? [];
  const more = data?.next_cursor ?? null;
  return (
    <section className={s.stack} data-testid="flagged-orders">
      <h2 className={s.h3}>Заказы на проверке</h2>
      {items.length === 0 && !more && (
        <p className={s.empty} data-testid="flagged-orders-empty">
          Заказов на проверке нет
        </p>
      )}
      {items.length === 0 && more && <p className={s.muted}>Среди просмотренных заказов отмеченных нет.</p>}
      {items.map((order) => (
        <OrderCard key={order.order_id} order={order} />
      ))}
      {more && (
        <Button variant="ghost" loading={isFetching} onClick={() => setCursor(more)} data-testid="flagged-orders-more">
          Показать ещё
        </Button>
      )}
    </section>
  );
}
