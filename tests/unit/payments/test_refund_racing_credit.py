"""A refund racing a credit: whichever lands on the order first decides, and the other sees
it. Never both the money back and the photoshoots kept."""
from __future__ import annotations

import pytest

from photoshoot.billing import balance_of, ledger_of
from photoshoot.models import Order
from photoshoot.payments import gateway, settlement
from tests.unit.payments.conftest import (SELLER_PRICE, deliver_notification, make_user,
                                          stored_order)

PRICE = SELLER_PRICE


def _order(order_id: str) -> Order:
    return stored_order(order_id)


def _deliver(shop, event: str, obj: dict) -> str:
    return deliver_notification(shop, event, obj)["outcome"]


@pytest.fixture
def silent_refunds(shop):
    """Refunds whose notifications the test delivers itself, when it chooses."""
    shop.yookassa.sandbox._notify = lambda event, obj: None  # shadows the sandbox's method
    yield
    del shop.yookassa.sandbox._notify


@pytest.fixture
def paid_uncredited(shop):
    """User 1001 paid for «seller», the success notification not delivered yet."""
    token = make_user("1001")
    order_id = shop.buy(token, "seller")["order_id"]
    payment_id = _order(order_id).payment_id
    shop.yookassa.pay(payment_id, notify=False)
    return order_id, payment_id


def test_a_credit_read_before_the_refund_never_lands_after_it(shop, paid_uncredited,
                                                              silent_refunds):
    """The webhook (or the sweep) fetched the payment — succeeded, nothing refunded — and
    the full refund was made and handled before its credit committed."""
    order_id, payment_id = paid_uncredited
    before_refund = gateway.fetch_payment(payment_id)
    refund = shop.yookassa.refund(payment_id, PRICE)
    assert _deliver(shop, "refund.succeeded", refund) == "flagged"

    assert settlement.settle_payment(before_refund) == settlement.DUPLICATE

    order = _order(order_id)
    assert order.status == "pending" and order.flags == {"refunded_before_credit"}
    assert balance_of("1001") == 0 and ledger_of("1001") == []


def test_a_refund_that_read_the_order_before_its_credit_takes_the_credit_back(
        shop, paid_uncredited, silent_refunds, monkeypatch):
    """The refund's handler read the order still pending; the credit committed before the
    handler wrote: the order is paid now, so the refund undoes it like any paid order's."""
    order_id, payment_id = paid_uncredited
    read_before_credit = _order(order_id)
    assert _deliver(shop, "payment.succeeded", shop.yookassa.payment(payment_id)) == "credited"
    assert balance_of("1001") == 10
    refund = shop.yookassa.refund(payment_id, PRICE)
    monkeypatch.setattr(settlement, "find_order", lambda payment: read_before_credit)

    assert _deliver(shop, "refund.succeeded", refund) == "refunded"

    order = _order(order_id)
    assert order.status == "refunded" and "refunded_before_credit" not in order.flags
    assert balance_of("1001") == 0
    assert sorted((e.entry_id, e.delta) for e in ledger_of("1001")) == [
        (f"purchase#{order_id}", 10), (f"purchase_refund#{order_id}", -10)]
