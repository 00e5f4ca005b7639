"""Review flags: why a person must look at an order (amount mismatch, refund shortfall,
partial refund, a payment refunded before it was credited, a second Stars charge …).

Flags accumulate. Each is added to the order's string set ``review_flags`` with DynamoDB's
``ADD`` — atomic, no read-modify-write — so a flag written later (a late partial refund, a
mismatching redelivery) or at the same instant never replaces one a person still has to act
on, such as ``refund_shortfall``. Readers use ``Order.flags``, which also reads the single
``review_flag`` of orders flagged before the set existed.

Light on imports: the bot webhook (Stars) uses it too.
"""
from __future__ import annotations

from photoshoot.models import Order
from photoshoot.models.base import utc_now_iso

# A payment refunded before its order was credited: the order must never be credited after
# (the buyer has the money back). The credit's transaction is conditional on its absence.
REFUNDED_BEFORE_CREDIT = "refunded_before_credit"
# The buyer's account is gone (removed by hand): nobody to credit or debit; the money waits
# for a person, and the sweep stops re-checking the order.
USER_MISSING = "user_missing"

# Every flag the code raises, with what an admin reads for it (admin page «Заказы на
# проверке»). A flag missing here is still listed, under its raw code.
FLAG_LABELS: dict[str, str] = {
    "amount_mismatch": "Сумма платежа не совпадает с заказом",
    "user_mismatch": "Платёж другого пользователя",
    "payment_id_mismatch": "Другой платёж для этого заказа",
    "partial_refund": "Частичный возврат",
    "refund_shortfall": "Возврат больше неизрасходованных фотосессий",
    REFUNDED_BEFORE_CREDIT: "Возврат до зачисления",
    USER_MISSING: "Покупателя больше нет: оплату некому зачислить",
    "second_charge": "Повторная оплата звёздами",
}


def flag_label(flag: str) -> str:
    """What an admin reads for ``flag``: its label, or the raw code for an unknown one."""
    return FLAG_LABELS.get(flag, flag)


def add_flag(flag: str):
    """The update action that adds ``flag``, for a write that carries it (the refund's
    transaction flags ``refund_shortfall`` in the same write that records it)."""
    return Order.review_flags.add({flag})


def flag_for_review(order: Order, flag: str, condition=None) -> None:
    """Add ``flag`` to the order's flags; those it has keep. ``order`` is refreshed with
    what is stored, so its ``flags`` show every flag after the call. With ``condition`` the
    flag is added only while it holds (``UpdateError`` otherwise)."""
    order.update(actions=[add_flag(flag), Order.updated_at.set(utc_now_iso())],
                 condition=condition)
