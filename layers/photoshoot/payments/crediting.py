"""Crediting a paid order: the one transaction shared by YooKassa and Telegram Stars.

The order moves to paid and the balance grows by its photoshoots in the same transaction as
the ledger entry ``purchase#<order>``, so a replayed, duplicated or concurrent payment
credits exactly once. An order flagged ``refunded_before_credit`` is never credited: the flag
and the credit are both conditional writes of the order item, so whichever of a refund and
a credit racing each other lands first decides, and the other sees it. Light on imports: the
bot webhook uses it too.
"""
from __future__ import annotations

from photoshoot.billing import BalanceChange, TransactionConflict, apply_balance_change
from photoshoot.models import Order
from photoshoot.models.base import utc_now_iso
from photoshoot.payments.review import REFUNDED_BEFORE_CREDIT


def credit_order_once(order: Order, *, payable: tuple[str, ...], payment_id: str,
                      note: str) -> bool:
    """True if the order was credited now; False if it was credited before or left the
    ``payable`` statuses between the caller's read and the transaction."""
    now = utc_now_iso()

    def mark_paid(transaction) -> None:
        transaction.update(
            Order(order.order_id),
            actions=[Order.status.set("paid"), Order.paid_at.set(now),
                     Order.updated_at.set(now), Order.payment_id.set(payment_id),
                     Order.cancellation_reason.remove(), Order.cancellation_code.remove()],
            condition=(Order.status.is_in(*payable) & (Order.user_id == order.user_id)
                       & ~Order.review_flags.contains(REFUNDED_BEFORE_CREDIT)))

    change = BalanceChange(order.user_id, f"purchase#{order.order_id}",
                           int(order.photoshoots), "purchase", order.order_id, note=note,
                           extra=(mark_paid,))
    try:
        return apply_balance_change(change)
    except TransactionConflict:
        return False
