"""The refund sweep: a refund whose ``refund.succeeded`` notification was lost for good still
takes the photoshoots back — through the notification's own path, so every refund is applied
and counted once whether the notification, the sweep or both at the same instant get there."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

import pytest
from ulid import ULID

from photoshoot.analytics import counters
from photoshoot.billing import BalanceChange, apply_balance_change, balance_of, ledger_of
from photoshoot.models import Order, StatCounter
from photoshoot.models.base import utc_now_iso
from photoshoot.payments import gateway, settlement
from photoshoot.payments.refund_sweep import sweep_refunds
from photoshoot.settings import reset_settings_cache
from tests.unit.payments.conftest import (SELLER_PRICE, deliver_notification, make_user,
                                          stored_order)

PRICE = SELLER_PRICE  # the "seller" package: 10 photoshoots


def _later(minutes: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(minutes=minutes)


def _refund_stats() -> dict[str, int]:
    return {item.metric: int(item.value) for item in StatCounter.query(counters.today())
            if item.metric.endswith(("#payment_refund", "#refunded"))}


def _lost_refund(shop, payment_id: str, kopecks: int) -> dict:
    """A refund made in the dashboard whose notification never reaches us."""
    shop.yookassa.sandbox.lose_next = 1
    refund = shop.yookassa.refund(payment_id, kopecks)
    assert shop.yookassa.sandbox.notifications[-1].lost
    return refund


def _paid_order(shop, user_id: str) -> tuple[str, str]:
    """A paid «seller» order of a new user (10 photoshoots credited)."""
    order_id = shop.buy(make_user(user_id))["order_id"]
    payment_id = stored_order(order_id).payment_id
    shop.yookassa.pay(payment_id)
    assert stored_order(order_id).status == "paid" and balance_of(user_id) == 10
    return order_id, payment_id


def _payment_fetches(shop) -> int:
    return sum(1 for call in shop.yookassa.sandbox.api_calls
               if call["method"] == "GET" and call["path"].startswith("/v3/payments/"))


def _list_calls(shop) -> int:
    return sum(1 for call in shop.yookassa.sandbox.api_calls
               if call["method"] == "GET" and call["path"] == "/v3/refunds")


@pytest.fixture
def settings_env(monkeypatch):
    def apply(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, str(value))
        reset_settings_cache()

    yield apply
    reset_settings_cache()


def test_a_refund_whose_notification_was_lost_is_taken_back_by_one_run(shop, paid):
    order_id, payment_id = paid
    refund = _lost_refund(shop, payment_id, PRICE)
    assert stored_order(order_id).status == "paid" and balance_of("1001") == 10

    assert sweep_refunds(now=_later(5)) == {"refunded": 1}

    order = stored_order(order_id)
    assert order.status == "refunded" and order.refund_shortfall == 0
    assert balance_of("1001") == 0
    assert [(e.entry_id, int(e.delta)) for e in ledger_of("1001")] == [
        (f"purchase#{order_id}", 10), (f"purchase_refund#{order_id}", -10)]
    assert order.counted_refunded_kopecks == PRICE
    assert order.counted_refund_ids == {refund["id"]}
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}
    assert ("1001", {"type": "balance", "balance": 0}) in shop.pushes


def test_a_second_run_and_a_late_notification_change_nothing(shop, paid):
    order_id, payment_id = paid
    refund = _lost_refund(shop, payment_id, PRICE)
    assert sweep_refunds(now=_later(5)) == {"refunded": 1}
    before = (stored_order(order_id).attribute_values, balance_of("1001"),
              len(ledger_of("1001")), _refund_stats())
    fetches = _payment_fetches(shop)

    # the order shows the refund applied: not even the payment is fetched again
    assert sweep_refunds(now=_later(10)) == {"already_applied": 1}
    assert _payment_fetches(shop) == fetches
    assert deliver_notification(shop, "refund.succeeded", refund)["outcome"] == "duplicate"
    assert sweep_refunds(now=_later(15)) == {"already_applied": 1}

    after = (stored_order(order_id).attribute_values, balance_of("1001"),
             len(ledger_of("1001")), _refund_stats())
    assert after == before


def test_a_notified_refund_is_not_applied_again_by_the_sweep(shop, paid):
    order_id, payment_id = paid
    shop.yookassa.refund(payment_id, PRICE)  # notified: applied by the webhook
    assert stored_order(order_id).status == "refunded"
    assert sweep_refunds(now=_later(5)) == {"already_applied": 1}
    assert balance_of("1001") == 0 and len(ledger_of("1001")) == 2
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}


def test_fresh_refunds_are_left_to_their_notification_and_old_ones_out_of_the_window(
        shop, paid, settings_env):
    order_id, payment_id = paid
    _lost_refund(shop, payment_id, PRICE)
    assert sweep_refunds() == {}  # younger than PAYMENTS_REFUND_RECHECK_AFTER_S
    settings_env(PAYMENTS_REFUND_WINDOW_S=3600)
    assert sweep_refunds(now=_later(61)) == {}  # created more than the window ago
    assert stored_order(order_id).status == "paid" and balance_of("1001") == 10
    assert sweep_refunds(now=_later(59)) == {"refunded": 1}


def test_a_sweep_and_the_notification_at_the_same_instant_take_back_once(
        shop, paid, monkeypatch):
    """Two sweeps and two deliveries of the notification read the payment at the same
    instant, then race through the refund: one takes the photoshoots back, the others find
    it done; every kopeck is counted once."""
    order_id, payment_id = paid
    refund = _lost_refund(shop, payment_id, PRICE)
    barrier = threading.Barrier(4, timeout=10)
    fetch = gateway.fetch_payment

    def fetch_together(wanted: str):
        payment = fetch(wanted)
        barrier.wait()  # all four hold the same payment state, then go on at once
        return payment

    monkeypatch.setattr(gateway, "fetch_payment", fetch_together)
    outcomes: list[str] = []
    failures: list[BaseException] = []

    def run(work):
        try:
            outcomes.append(work())
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    def sweep() -> str:
        (outcome,) = sweep_refunds(now=_later(5))
        return outcome

    def notify() -> str:
        return deliver_notification(shop, "refund.succeeded", refund)["outcome"]

    threads = [threading.Thread(target=run, args=(work,)) for work in (sweep, notify) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not failures and not barrier.broken
    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "refunded"]
    order = stored_order(order_id)
    assert order.status == "refunded" and balance_of("1001") == 0
    assert [(e.entry_id, int(e.delta)) for e in ledger_of("1001")] == [
        (f"purchase#{order_id}", 10), (f"purchase_refund#{order_id}", -10)]
    assert order.counted_refunded_kopecks == PRICE
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}


def test_a_lost_partial_refund_is_flagged_and_counted_and_its_completion_takes_back(
        shop, paid):
    order_id, payment_id = paid
    _lost_refund(shop, payment_id, 30000)
    assert sweep_refunds(now=_later(5)) == {"flagged": 1}
    order = stored_order(order_id)
    assert order.status == "paid" and order.flags == {"partial_refund"}
    assert balance_of("1001") == 10  # a partial refund takes nothing back: a person decides
    assert _refund_stats() == {"direct#refunded": 30000}
    assert sweep_refunds(now=_later(6)) == {"already_applied": 1}

    _lost_refund(shop, payment_id, PRICE - 30000)  # completes the amount
    assert sweep_refunds(now=_later(10)) == {"refunded": 1, "already_applied": 1}
    order = stored_order(order_id)
    assert order.status == "refunded" and balance_of("1001") == 0
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}
    assert sweep_refunds(now=_later(15)) == {"already_applied": 2}


def test_photoshoots_already_spent_are_a_shortfall_as_for_the_notification(shop, paid):
    order_id, payment_id = paid
    apply_balance_change(BalanceChange("1001", "charge#spent", -6, "charge", "spent"))
    _lost_refund(shop, payment_id, PRICE)
    assert sweep_refunds(now=_later(5)) == {"refunded": 1}
    order = stored_order(order_id)
    assert order.status == "refunded" and order.refund_shortfall == 6
    assert "refund_shortfall" in order.flags and balance_of("1001") == 0


def test_a_refund_of_an_order_unknown_to_us_is_skipped_with_a_log(shop, caplog):
    from photoshoot.observability import logger

    stranger = gateway.create_payment(gateway.PaymentRequest(
        order_id=str(ULID()), user_id="1001", amount_kopecks=PRICE, currency="RUB",
        description="Another integration of the same shop", return_url="https://x.ru/",
        receipt_item="Что-то другое", customer_email="buyer@example.ru"))
    shop.yookassa.pay(stranger.payment_id, notify=False)
    refund = _lost_refund(shop, stranger.payment_id, PRICE)
    caplog.clear()

    assert sweep_refunds(now=_later(5)) == {"unknown_order": 1}

    lines = [json.loads(logger.registered_formatter.format(record))
             for record in caplog.records]
    skipped = [line for line in lines if line.get("refund_id") == refund["id"]]
    assert skipped and skipped[0]["payment_id"] == stranger.payment_id
    assert "unknown" in skipped[0]["message"] and skipped[0]["level"] == "WARNING"


def test_a_refund_naming_a_stars_order_is_skipped_with_a_log(shop, caplog):
    """A YooKassa payment whose metadata names a Telegram Stars order: nothing of the Stars
    order is YooKassa's to take back, flag or count."""
    from photoshoot.observability import logger

    make_user("1001", balance=10)
    stars_order = Order(str(ULID()), user_id="1001", package_id="seller", photoshoots=10,
                        amount_kopecks=0, amount_stars=500, currency="XTR", provider="stars",
                        status="paid", payment_id="stars-charge-1", source="bot",
                        created_at=utc_now_iso())
    stars_order.save()
    payment = gateway.create_payment(gateway.PaymentRequest(
        order_id=stars_order.order_id, user_id="1001", amount_kopecks=PRICE, currency="RUB",
        description="Not the Stars order's payment", return_url="https://x.ru/",
        receipt_item="Фотосессии", customer_email="buyer@example.ru"))
    shop.yookassa.pay(payment.payment_id, notify=False)
    refund = _lost_refund(shop, payment.payment_id, PRICE)
    before = stored_order(stars_order.order_id).attribute_values
    caplog.clear()

    assert sweep_refunds(now=_later(5)) == {"not_yookassa": 1}

    assert stored_order(stars_order.order_id).attribute_values == before  # not even flagged
    assert balance_of("1001") == 10 and _refund_stats() == {}
    lines = [json.loads(logger.registered_formatter.format(record))
             for record in caplog.records]
    skipped = [line for line in lines if line.get("refund_id") == refund["id"]]
    assert skipped and skipped[0]["order_id"] == stars_order.order_id
    assert skipped[0]["provider"] == "stars" and skipped[0]["level"] == "WARNING"


def test_refunds_over_several_pages_are_all_applied(shop, settings_env):
    settings_env(PAYMENTS_REFUND_PAGE_SIZE=2)
    users = [str(3001 + n) for n in range(5)]
    orders = [_paid_order(shop, user_id) for user_id in users]
    for _, payment_id in orders:
        _lost_refund(shop, payment_id, PRICE)
    lists = _list_calls(shop)

    assert sweep_refunds(now=_later(5)) == {"refunded": 5}

    assert _list_calls(shop) - lists == 3  # 2 + 2 + 1, following next_cursor
    assert {stored_order(order_id).status for order_id, _ in orders} == {"refunded"}
    assert {balance_of(user_id) for user_id in users} == {0}
    assert sweep_refunds(now=_later(10)) == {"already_applied": 5}


def test_a_run_reads_at_most_the_allowed_pages_and_the_next_runs_catch_up(
        shop, settings_env):
    settings_env(PAYMENTS_REFUND_PAGE_SIZE=2, PAYMENTS_REFUND_MAX_PAGES=2)
    users = [str(3001 + n) for n in range(5)]
    orders = [_paid_order(shop, user_id) for user_id in users]
    for _, payment_id in orders:
        _lost_refund(shop, payment_id, PRICE)

    # newest first: the oldest refund is beyond the second page
    assert sweep_refunds(now=_later(5)) == {"refunded": 4, "truncated": 1}
    assert stored_order(orders[0][0]).status == "paid" and balance_of(users[0]) == 10
    assert {stored_order(order_id).status for order_id, _ in orders[1:]} == {"refunded"}

    settings_env(PAYMENTS_REFUND_PAGE_SIZE=2, PAYMENTS_REFUND_MAX_PAGES=3)
    assert sweep_refunds(now=_later(10)) == {"already_applied": 4, "refunded": 1}
    assert stored_order(orders[0][0]).status == "refunded" and balance_of(users[0]) == 0


def test_a_refund_that_fails_does_not_hold_up_the_others(shop, monkeypatch, caplog):
    from photoshoot.observability import logger

    orders = [_paid_order(shop, user_id) for user_id in ("3001", "3002")]
    refunds = [_lost_refund(shop, payment_id, PRICE) for _, payment_id in orders]
    broken = refunds[1]["id"]  # the newest: listed first
    refund_order = settlement.refund_order

    def refund_or_fail(refund, payment):
        if refund.refund_id == broken:
            raise RuntimeError("a bug that fails this refund every time")
        return refund_order(refund, payment)

    monkeypatch.setattr(settlement, "refund_order", refund_or_fail)
    caplog.clear()

    assert sweep_refunds(now=_later(5)) == {"error": 1, "refunded": 1}

    assert stored_order(orders[0][0]).status == "refunded" and balance_of("3001") == 0
    assert stored_order(orders[1][0]).status == "paid" and balance_of("3002") == 10
    errors = [json.loads(logger.registered_formatter.format(record))
              for record in caplog.records if record.levelname == "ERROR"]
    assert [line["refund_id"] for line in errors] == [broken]  # the sweep's alarm counts it
    monkeypatch.setattr(settlement, "refund_order", refund_order)
    assert sweep_refunds(now=_later(10)) == {"already_applied": 1, "refunded": 1}
    assert balance_of("3002") == 0


def test_an_unreachable_api_decides_nothing(shop, paid):
    order_id, payment_id = paid
    _lost_refund(shop, payment_id, PRICE)
    shop.yookassa.sandbox.fail_next[:] = [500] * 3  # every attempt of the listing
    assert sweep_refunds(now=_later(5)) == {"provider_error": 1}
    assert stored_order(order_id).status == "paid" and balance_of("1001") == 10
    shop.yookassa.sandbox.fail_next[:] = [500] * 3  # the payment's fetch, this time
    assert sweep_refunds(now=_later(6)) == {"provider_error": 1}
    assert stored_order(order_id).status == "paid" and balance_of("1001") == 10
    assert sweep_refunds(now=_later(7)) == {"refunded": 1}


def test_the_scheduled_function_sweeps_refunds_too(shop, paid, settings_env):
    import app

    order_id, payment_id = paid
    _lost_refund(shop, payment_id, PRICE)
    settings_env(PAYMENTS_REFUND_RECHECK_AFTER_S=0)
    result = app.app.handler_map["payments_sweep"](
        {"version": "0", "id": "e1", "detail-type": "Scheduled Event", "source": "aws.events",
         "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "eu-central-1",
         "resources": [], "detail": {}}, None)
    assert result == {"orders": {}, "refunds": {"refunded": 1}}
    assert stored_order(order_id).status == "refunded" and balance_of("1001") == 0


def test_a_broken_refund_listing_never_holds_up_the_pending_orders(shop, monkeypatch,
                                                                   settings_env):
    import app

    order_id = shop.buy(make_user("1001"))["order_id"]
    shop.yookassa.pay(stored_order(order_id).payment_id, notify=False)  # lost notification

    def broken(*args, **kwargs):
        raise ValueError("an answer the SDK cannot read")

    monkeypatch.setattr(gateway, "list_refunds", broken)
    settings_env(PAYMENTS_RECHECK_AFTER_S=0)
    result = app.app.handler_map["payments_sweep"](
        {"version": "0", "id": "e2", "detail-type": "Scheduled Event", "source": "aws.events",
         "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "eu-central-1",
         "resources": [], "detail": {}}, None)
    assert result == {"orders": {"credited": 1}, "refunds": {"error": 1}}
    assert stored_order(order_id).status == "paid" and balance_of("1001") == 10


class _SlowApi:
    """The sweep's clock, moved on by YooKassa itself: every payment fetch takes
    ``seconds`` (a slow API), nothing else takes time."""

    def __init__(self, monkeypatch, seconds: float):
        from photoshoot.payments import refund_sweep

        self.now = 0.0
        fetch = gateway.fetch_payment

        def slow_fetch(payment_id: str):
            self.now += seconds
            return fetch(payment_id)

        monkeypatch.setattr(gateway, "fetch_payment", slow_fetch)
        monkeypatch.setattr(refund_sweep.time, "monotonic", lambda: self.now)


def _foreign_refund(shop, user_id: str = "1001") -> dict:
    """A refund another integration of the same shop made (its payment names an order that
    is not ours), its notification lost like any."""
    stranger = gateway.create_payment(gateway.PaymentRequest(
        order_id=str(ULID()), user_id=user_id, amount_kopecks=PRICE, currency="RUB",
        description="Another integration of the same shop", return_url="https://x.ru/",
        receipt_item="Что-то другое", customer_email="buyer@example.ru"))
    shop.yookassa.pay(stranger.payment_id, notify=False)
    return _lost_refund(shop, stranger.payment_id, PRICE)


def test_newer_refunds_of_other_integrations_never_starve_a_refund_of_ours(
        shop, paid, monkeypatch):
    """Refunds whose payment no order of ours names cost an API call each, every run; listed
    newest first, enough of them newer than ours used up every run's time before ours was
    reached, for as long as they stayed in the window — the photoshoots were never taken
    back."""
    order_id, payment_id = paid
    _lost_refund(shop, payment_id, PRICE)
    for _ in range(5):
        _foreign_refund(shop)
    _SlowApi(monkeypatch, seconds=10)  # three fetches fill the 30 s budget

    outcomes = sweep_refunds(now=_later(5))

    assert outcomes["refunded"] == 1 and outcomes["deferred"] >= 1
    assert stored_order(order_id).status == "refunded" and balance_of("1001") == 0


def test_a_refund_found_to_be_not_ours_is_not_fetched_again_by_the_next_runs(shop, paid):
    """Every run re-fetched the payment of each refund of another integration for the three
    days the refund stays in the window (≈ 860 runs): thousands of calls a day on the shop's
    own credentials, which checkout shares. A payment that names no order of ours never will:
    the sweep remembers it."""
    for _ in range(3):
        _foreign_refund(shop)
    fetches = _payment_fetches(shop)
    assert sweep_refunds(now=_later(5)) == {"unknown_order": 3}
    assert _payment_fetches(shop) - fetches == 3

    fetches = _payment_fetches(shop)
    assert sweep_refunds(now=_later(10)) == {"not_ours": 3}
    assert _payment_fetches(shop) == fetches


def test_a_completing_refund_counted_as_partial_is_still_taken_back(shop, paid, monkeypatch):
    """The completing refund's notification read the payment before its refunded total
    caught up, so it was flagged and counted as one more partial refund: the order stays
    paid with both refunds in ``counted_refund_ids``. Going by the order alone, both looked
    applied and no run ever took the photoshoots back; the listed refunds of the payment add
    up to more than the order counted, which gives it away."""
    import dataclasses

    order_id, payment_id = paid
    shop.yookassa.refund(payment_id, 20000)  # notified: a partial refund, flagged, counted
    assert stored_order(order_id).counted_refunded_kopecks == 20000
    fetch = gateway.fetch_payment
    monkeypatch.setattr(gateway, "fetch_payment", lambda wanted: dataclasses.replace(
        fetch(wanted), refunded_kopecks=20000))  # the total before the completing refund
    shop.yookassa.refund(payment_id, PRICE - 20000)  # completes the amount
    monkeypatch.setattr(gateway, "fetch_payment", fetch)
    order = stored_order(order_id)
    assert order.status == "paid" and len(order.counted_refund_ids) == 2
    assert balance_of("1001") == 10

    assert sweep_refunds(now=_later(5)) == {"already_applied": 1, "refunded": 1}

    order = stored_order(order_id)
    assert order.status == "refunded" and balance_of("1001") == 0
    assert order.counted_refunded_kopecks == PRICE
    assert _refund_stats() == {"direct#refunded": PRICE, "direct#payment_refund": 1}
    assert sweep_refunds(now=_later(10)) == {"already_applied": 2}


def test_a_refund_of_an_order_known_only_by_the_payments_metadata_keeps_it_uncredited(
        shop):
    """The payment's creation answer was lost (no payment id on the order, nothing in the
    payment index), the payment succeeded and was refunded, both notifications lost: the
    refund comes after the indexed ones, finds the order by the payment's metadata and
    flags it so that no credit can follow — and the pending sweep then credits nothing."""
    from photoshoot.payments.sweep import sweep_pending_orders

    order_id = shop.buy(make_user("1001"))["order_id"]
    payment_id = stored_order(order_id).payment_id
    stored_order(order_id).update(actions=[Order.payment_id.remove()])
    shop.yookassa.pay(payment_id, notify=False)
    _lost_refund(shop, payment_id, PRICE)

    assert sweep_refunds(now=_later(5)) == {"flagged": 1}

    order = stored_order(order_id)
    assert order.status == "pending" and "refunded_before_credit" in order.flags
    sweep_pending_orders(now=_later(5))
    assert stored_order(order_id).status == "pending" and balance_of("1001") == 0
    assert ledger_of("1001") == [] and _refund_stats() == {}
