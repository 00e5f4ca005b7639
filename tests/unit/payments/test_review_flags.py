"""An order's review flags accumulate: a flag raised later — or at the same instant — never
replaces one a person still has to act on (a refund shortfall above all), and everything that
reads flags sees every one, old single-flag orders included."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from photoshoot.billing import BalanceChange, apply_balance_change, balance_of
from photoshoot.models import Order
from photoshoot.payments import gateway, settlement
from photoshoot.payments.sweep import sweep_pending_orders
from tests.unit.payments.conftest import (SELLER_PRICE, deliver_notification, make_user,
                                          stored_order)
from tests.unit.payments.test_sweep import _later

PRICE = SELLER_PRICE


def _order(order_id: str) -> Order:
    return stored_order(order_id)


def _deliver(shop, event: str, obj: dict) -> dict:
    return deliver_notification(shop, event, obj)


def _spend(user_id: str, count: int) -> None:
    for i in range(count):
        apply_balance_change(BalanceChange(user_id, f"charge#g{i}", -1, "charge", f"g{i}",
                                           spent_delta=1))


@pytest.fixture
def silent_refunds(shop):
    """Refunds whose notifications the test delivers itself, when it chooses."""
    shop.yookassa.sandbox._notify = lambda event, obj: None  # shadows the sandbox's method
    yield
    del shop.yookassa.sandbox._notify


def test_a_late_partial_refund_flag_keeps_the_refund_shortfall(shop, paid, silent_refunds,
                                                               monkeypatch):
    """A partial refund's notification read the order while it was still paid; the completing
    refund then took back what was left and flagged the shortfall; the partial one's flag
    lands last. The person must still learn that 7 photoshoots were already spent."""
    order_id, payment_id = paid
    _spend("1001", 7)
    partial = shop.yookassa.refund(payment_id, 10000)
    payment_then = gateway.fetch_payment(payment_id)  # what the partial one's webhook saw
    read_before = _order(order_id)  # … and the order as it read it: paid, no flag
    completing = shop.yookassa.refund(payment_id, PRICE - 10000)
    assert _deliver(shop, "refund.succeeded", completing)["outcome"] == "refunded"
    assert _order(order_id).flags == {"refund_shortfall"}

    monkeypatch.setattr(settlement, "find_order", lambda payment: read_before)
    outcome = settlement.refund_order(gateway.fetch_refund(partial["id"]), payment_then)

    assert outcome == settlement.FLAGGED
    order = _order(order_id)
    assert order.flags == {"refund_shortfall", "partial_refund"}
    assert order.status == "refunded" and order.refund_shortfall == 7


def test_a_flag_raised_while_the_refund_commits_survives_beside_the_shortfall(
        shop, paid, silent_refunds):
    """The refund's transaction (which flags the shortfall) and another flag written at the
    same instant: both stay, whichever commits first."""
    order_id, payment_id = paid
    _spend("1001", 7)
    refund = shop.yookassa.refund(payment_id, PRICE)
    stale = _order(order_id)
    start = threading.Barrier(2)

    def refund_now():
        start.wait()
        return _deliver(shop, "refund.succeeded", refund)["outcome"]

    def flag_now():
        start.wait()
        settlement.flag_order(stale, "user_mismatch")

    with ThreadPoolExecutor(max_workers=2) as pool:
        refunded, flagged = pool.submit(refund_now), pool.submit(flag_now)
        assert refunded.result() == "refunded"
        flagged.result()
    assert _order(order_id).flags == {"refund_shortfall", "user_mismatch"}


def test_flags_written_concurrently_from_stale_reads_all_survive(paid):
    """Every writer read the order before any of them wrote (the worst interleaving): with
    a replacing write only the last would be left."""
    order_id, _ = paid
    names = [f"flag_{n}" for n in range(8)]
    copies = [_order(order_id) for _ in names]
    start = threading.Barrier(len(names))

    def flag(n: int) -> None:
        start.wait()
        settlement.flag_order(copies[n], names[n])

    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        list(pool.map(flag, range(len(names))))
    assert _order(order_id).flags == set(names)
    # the same flag again is one flag, and the order's status is untouched
    settlement.flag_order(_order(order_id), names[0])
    order = _order(order_id)
    assert order.flags == set(names) and order.status == "paid"


def test_an_old_single_flag_is_still_read_and_kept_beside_new_ones(paid):
    order_id, _ = paid
    Order(order_id).update(actions=[Order.review_flag.set("amount_mismatch")])  # flagged before
    assert _order(order_id).flags == {"amount_mismatch"}
    settlement.flag_order(_order(order_id), "partial_refund")
    assert _order(order_id).flags == {"amount_mismatch", "partial_refund"}


def test_the_sweep_leaves_flagged_pending_orders_to_a_person_old_and_new(shop):
    """Both would credit if re-checked: the one flagged now and the one flagged before the
    flags were kept as a set."""
    token = make_user("1001")
    # two packages: a repeat of one package would answer its pending order again
    orders = [shop.buy(token, package)["order_id"] for package in ("seller", "start")]
    for order_id in orders:
        shop.yookassa.pay(_order(order_id).payment_id, notify=False)
    settlement.flag_order(_order(orders[0]), "amount_mismatch")
    Order(orders[1]).update(actions=[Order.review_flag.set("amount_mismatch")])
    assert sweep_pending_orders(now=_later(5)) == {"flagged": 2}
    assert {_order(order_id).status for order_id in orders} == {"pending"}
    assert balance_of("1001") == 0


def test_a_refund_shortfall_is_logged_as_an_error_for_the_webhook_alarm(
        shop, paid, silent_refunds, caplog):
    """template.yaml's WebhookLoggedErrors counts the webhook's log lines whose level is
    ERROR: that alarm is how a person hears of a shortfall."""
    from photoshoot.observability import logger

    order_id, payment_id = paid
    _spend("1001", 7)
    refund = shop.yookassa.refund(payment_id, PRICE)
    caplog.clear()
    assert _deliver(shop, "refund.succeeded", refund)["outcome"] == "refunded"
    # each record as the Lambda writes it: the JSON line the metric filter reads
    lines = [json.loads(logger.registered_formatter.format(record))
             for record in caplog.records if getattr(record, "flag", None)]
    shortfalls = [line for line in lines if line["flag"] == "refund_shortfall"]
    assert shortfalls and all(line["level"] == "ERROR" for line in shortfalls)
    assert shortfalls[0]["order_id"] == order_id and shortfalls[0]["shortfall"] == 7
