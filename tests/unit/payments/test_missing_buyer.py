"""A buyer whose account is gone (removed by hand) while their payment is under way: the
order is flagged for a person, the webhook answers 200, and the sweep goes on with everyone
else's orders."""
from __future__ import annotations

import json

from functions.yookassa_webhook import handle
from photoshoot.billing import balance_of
from photoshoot.models import Order, User
from photoshoot.payments.sweep import sweep_pending_orders
from tests.unit.payments.conftest import function_url_event, make_user
from tests.unit.payments.test_sweep import _later

YOOKASSA_IP = "185.71.76.10"


def _order(order_id: str) -> Order:
    return Order.get(order_id, consistent_read=True)


def _deliver(shop, event: str, obj: dict) -> tuple[int, str | None]:
    answer = handle(function_url_event(shop.yookassa.notification(event, obj), YOOKASSA_IP))
    return answer["statusCode"], json.loads(answer["body"]).get("outcome")


def _bought_and_paid(shop, user_id: str) -> tuple[str, str]:
    order_id = shop.buy(make_user(user_id), "seller")["order_id"]
    payment_id = _order(order_id).payment_id
    shop.yookassa.pay(payment_id, notify=False)
    return order_id, payment_id


def test_a_payment_of_a_removed_buyer_is_flagged_and_answered(shop):
    order_id, payment_id = _bought_and_paid(shop, "1001")
    User("1001").delete()

    answer = _deliver(shop, "payment.succeeded", shop.yookassa.payment(payment_id))

    assert answer == (200, "flagged")
    order = _order(order_id)
    assert order.status == "pending" and order.flags == {"user_missing"}


def test_a_removed_buyer_never_holds_up_the_sweep_for_everyone_else(shop):
    gone, _ = _bought_and_paid(shop, "1001")  # the oldest order: re-checked first
    other, _ = _bought_and_paid(shop, "2002")
    User("1001").delete()

    assert sweep_pending_orders(now=_later(5)) == {"flagged": 1, "credited": 1}

    assert _order(other).status == "paid" and balance_of("2002") == 10
    assert _order(gone).flags == {"user_missing"}
    assert sweep_pending_orders(now=_later(10)) == {"flagged": 1}  # left to a person


def test_a_refund_for_a_removed_buyer_is_flagged_and_answered(shop, paid):
    order_id, payment_id = paid
    User("1001").delete()

    refund = shop.yookassa.refund(payment_id, 79900)  # notifies the webhook
    assert shop.yookassa.site.webhook_answers[-1] == 200
    assert _deliver(shop, "refund.succeeded", refund) == (200, "flagged")
    order = _order(order_id)
    assert order.status == "paid" and order.flags == {"user_missing"}
