import { countPhotoshoots, formatDateTime, formatOrderAmount } from '../../../shared/format';
import type { OrderStatus } from '../../../shared/types';
import { emptyClass, Spinner } from '../../../shared/ui';
import { useGetOrdersQuery } from '../paymentsApi';
import s from '../../profile/components/profile.module.css';

export const ORDER_STATUS_TEXT: Record<OrderStatus, string> = {
  pending: 'Ожидает оплаты',
  paid: 'Оплачен',
  cancelled: 'Отменён',
  refunded: 'Возврат',
  expired: 'Истёк',
};

export function OrderHistory() {
  const { data: orders, isLoading } = useGetOrdersQuery();
  if (isLoading) return <Spinner />;
  if (!orders?.length) return <p className={emptyClass}>Покупок пока нет</p>;
  return (
    <ul className={s.list} data-testid="order-history">
      {orders.map((order) => (
        <li key={order.order_id} className={s.item} data-testid={`order-${order.order_id}`}>
          <div className={s.itemText}>
            <span className={s.itemTitle}>
              {order.package_title} · {countPhotoshoots(order.photoshoots)}
            </span>
            <span className={s.itemMeta}>
              {formatDateTime(order.paid_at ?? order.created_at)} · {formatOrderAmount(order)}
            </span>
            {order.cancellation_reason && <span className={s.itemMeta}>{order.cancellation_reason}</span>}
          </div>
          <span className={s.status} data-status={order.status}>
            {ORDER_STATUS_TEXT[order.status] ?? order.status}
          </span>
        </li>
      ))}
    </ul>
  );
}
