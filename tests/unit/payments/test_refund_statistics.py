"""The refunded-money figure follows what the payment's refunds add up to at YooKassa: a
refund whose notification was lost is counted by the next one (the completing refund at the
latest), and every kopeck exactly once, however notifications are redelivered, delayed or
delivered at the same time."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from functions.yookassa_webhook import handle
from photoshoot.analytics import counters
from photoshoot.billing import balance_of
from photoshoot.models import Order, StatCounter
from photoshoot.payments import settlement
from tests.unit.payments.conftest import function_url_event

YOOKASSA_IP = "185.71.76.10"
PRICE = 79900  # the "seller" package


def _deliver(shop, refund: dict) -> str:
    answer = handle(function_url_event(shop.yookassa.notification("refund.succeeded", refund),
                                       YOOKASSA_IP))
    assert answer["statusCode"] == 200, answer
    return json.loads(answer["body"])["outcome"]


def _refund_stats() -> dict[str, int]:
    return {item.metric: int(item.value) for item in StatCounter.query(counters.today())
            if item.metric.endswith(("#payment_refund", "#refunded"))}


def _order(order_id: str) -> Order:
    return Order.get(order_id, consistent_read=True)


@pytest.fixture
def lose_notifications(shop):
    """Refunds made inside this context send no notification (lost on the way)."""
    sandbox = shop.yookassa.sandbox

    class Lost:
        def __enter__(self):
            sandbox._notify = lambda event, obj: None  # shadows the method on this sandbox

        def __exit__(self, *exc):
            del sandbox._notify

    return Lost()


def test_the_completing_refund_counts_a_partial_one_whose_notification_was_lost(
        shop, paid, lose_notifications):
    order_id, payment_id = paid
    with lose_notifications:
        lost = shop.yookassa.refund(payment_id, 30000)
    completing = shop.yookassa.refund(payment_id, PRICE - 30000)  # notified
    assert _order(order_id).status == "refunded" and balance_of("1001") == 0
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}
    # the lost one arriving at last, and redeliveries of both, change nothing
    for refund in (lost, completing, lost):
        assert _deliver(shop, refund) == "duplicate"
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}
    assert _order(order_id).counted_refunded_kopecks == PRICE


def test_a_later_partial_refund_counts_an_earlier_lost_one(shop, paid, lose_notifications):
    order_id, payment_id = paid
    with lose_notifications:
        first = shop.yookassa.refund(payment_id, 10000)
    second = shop.yookassa.refund(payment_id, 20000)
    assert _refund_stats() == {"direct#refunded": 30000}
    assert _deliver(shop, first) == "flagged" and _deliver(shop, second) == "flagged"
    assert _refund_stats() == {"direct#refunded": 30000}
    order = _order(order_id)
    assert order.status == "paid" and order.flags == {"partial_refund"}


def test_concurrent_partial_and_completing_notifications_count_every_kopeck_once(
        shop, paid, lose_notifications):
    order_id, payment_id = paid
    with lose_notifications:
        refunds = [shop.yookassa.refund(payment_id, amount)
                   for amount in (10000, 25000, PRICE - 35000)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(lambda n: _deliver(shop, refunds[n % 3]), range(30)))
    assert outcomes.count("refunded") == 1
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}
    assert _order(order_id).status == "refunded" and balance_of("1001") == 0


def test_a_count_lost_after_the_refund_was_applied_is_made_by_the_redelivery(
        shop, paid, monkeypatch, lose_notifications):
    order_id, payment_id = paid
    with lose_notifications:
        refund = shop.yookassa.refund(payment_id, PRICE)
    real = counters.add_guarded

    def down(*args, **kwargs):
        raise RuntimeError("DynamoDB is down")

    monkeypatch.setattr(counters, "add_guarded", down)
    body = shop.yookassa.notification("refund.succeeded", refund)
    assert handle(function_url_event(body, YOOKASSA_IP))["statusCode"] == 500  # redeliver
    assert _order(order_id).status == "refunded" and balance_of("1001") == 0
    assert _refund_stats() == {"direct#payment_refund": 1}
    monkeypatch.setattr(counters, "add_guarded", real)
    for _ in range(2):
        assert _deliver(shop, refund) == "duplicate"
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}


def test_a_partial_refund_counted_before_totals_were_kept_is_not_counted_again(
        shop, paid, lose_notifications):
    """An order whose partial refund was counted by the code before (refund id only, no
    total): the completing refund counts the rest — the earlier amount comes from the API."""
    order_id, payment_id = paid
    with lose_notifications:
        earlier = shop.yookassa.refund(payment_id, 10000)
    StatCounter(counters.today(), "direct#refunded", value=10000).save()  # counted back then
    Order(order_id).update(actions=[Order.counted_refund_ids.add({earlier["id"]}),
                                    Order.review_flag.set("partial_refund")])
    shop.yookassa.refund(payment_id, PRICE - 10000)
    assert _order(order_id).status == "refunded"
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}


def test_an_order_refunded_before_totals_were_kept_is_not_counted_again(
        shop, paid, lose_notifications):
    """Refunded in full by the code before (which counted the money then): a late
    redelivery must not count it a second time."""
    order_id, payment_id = paid
    with lose_notifications:
        refund = shop.yookassa.refund(payment_id, PRICE)
    StatCounter(counters.today(), "direct#refunded", value=PRICE).save()
    StatCounter(counters.today(), "direct#payment_refund", value=1).save()
    Order(order_id).update(actions=[Order.status.set("refunded")])
    assert _deliver(shop, refund) == "duplicate"
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}


def _spy(monkeypatch, module, name: str) -> list:
    """Record the results of ``module.name`` while still calling it."""
    results = []
    real = getattr(module, name)

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        results.append(result)
        return result

    monkeypatch.setattr(module, name, spy)
    return results


def test_a_full_refund_counts_its_money_in_one_claim(shop, paid, monkeypatch):
    """The count after the transition reads the order as the transition left it: its first
    claim does not fail on a stale copy (a wasted transaction and read on every refund)."""
    _, payment_id = paid
    claims = _spy(monkeypatch, counters, "add_guarded")
    shop.yookassa.refund(payment_id, PRICE)
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}
    assert claims == [True]


def test_a_legacy_order_fetches_its_earlier_refunds_once(shop, paid, monkeypatch,
                                                         lose_notifications):
    order_id, payment_id = paid
    with lose_notifications:
        earlier = shop.yookassa.refund(payment_id, 10000)
    StatCounter(counters.today(), "direct#refunded", value=10000).save()  # counted back then
    Order(order_id).update(actions=[Order.counted_refund_ids.add({earlier["id"]})])
    fetched = _spy(monkeypatch, settlement, "fetch_refund")
    claims = _spy(monkeypatch, counters, "add_guarded")
    shop.yookassa.refund(payment_id, PRICE - 10000)
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}
    assert [r.refund_id for r in fetched] == [earlier["id"]] and claims == [True]


def test_a_legacy_order_whose_earlier_refund_cannot_be_fetched_is_still_refunded(
        shop, paid, monkeypatch, lose_notifications):
    """Statistics never block money: the API failing to name an earlier refund's amount
    leaves the refund's own amount counted (as before totals were kept), the credits taken."""
    order_id, payment_id = paid
    with lose_notifications:
        earlier = shop.yookassa.refund(payment_id, 10000)
    StatCounter(counters.today(), "direct#refunded", value=10000).save()  # counted back then
    Order(order_id).update(actions=[Order.counted_refund_ids.add({earlier["id"]})])

    def unknown(refund_id):
        raise RuntimeError(f"refund {refund_id} not found")

    monkeypatch.setattr(settlement, "fetch_refund", unknown)
    shop.yookassa.refund(payment_id, PRICE - 10000)
    assert Order.get(order_id).status == "refunded" and balance_of("1001") == 0
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}


def test_a_refund_whose_count_fails_still_pushes_the_balance(shop, paid, monkeypatch,
                                                             lose_notifications):
    """The 5xx of a failed count makes the next delivery a duplicate, which pushes nothing:
    the push of the balance the refund changed must not wait for the count."""
    _, payment_id = paid
    with lose_notifications:
        refund = shop.yookassa.refund(payment_id, PRICE)

    def down(*args, **kwargs):
        raise RuntimeError("DynamoDB is down")

    real = counters.add_guarded
    monkeypatch.setattr(counters, "add_guarded", down)
    shop.pushes.clear()  # the purchase's own
    body = shop.yookassa.notification("refund.succeeded", refund)
    assert handle(function_url_event(body, YOOKASSA_IP))["statusCode"] == 500
    monkeypatch.setattr(counters, "add_guarded", real)
    assert _deliver(shop, refund) == "duplicate"
    assert [m["balance"] for user, m in shop.pushes
            if user == "1001" and m["type"] == "balance"] == [0]
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}
