"""The stale-order sweep: a lost notification still credits; day-old pending orders expire."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from photoshoot.billing import balance_of, ledger_of
from photoshoot.models import Order
from photoshoot.payments.sweep import sweep_pending_orders
from tests.unit.payments.conftest import make_user


def _later(minutes: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(minutes=minutes)


def _order(order_id: str) -> Order:
    return Order.get(order_id, consistent_read=True)


def test_a_lost_notification_is_credited_by_the_sweep(shop):
    token = make_user("1001")
    order_id = shop.buy(token)["order_id"]
    shop.yookassa.pay(_order(order_id).payment_id, notify=False)  # notification lost
    assert shop.yookassa.site.webhook_answers == []
    assert _order(order_id).status == "pending"
    assert sweep_pending_orders(now=_later(5)) == {"credited": 1}
    assert _order(order_id).status == "paid" and balance_of("1001") == 10
    # The next run and a late notification change nothing.
    assert sweep_pending_orders(now=_later(10)) == {}
    assert balance_of("1001") == 10 and len(ledger_of("1001")) == 1


def test_fresh_pending_orders_are_left_alone(shop):
    token = make_user("1001")
    order_id = shop.buy(token)["order_id"]
    shop.yookassa.pay(_order(order_id).payment_id, notify=False)
    assert sweep_pending_orders(now=_later(1)) == {}
    assert _order(order_id).status == "pending"


def test_a_lost_cancellation_cancels_by_the_sweep(shop):
    token = make_user("1001")
    order_id = shop.buy(token)["order_id"]
    shop.yookassa.decline(_order(order_id).payment_id, "insufficient_funds", notify=False)
    assert sweep_pending_orders(now=_later(5)) == {"cancelled": 1}
    order = _order(order_id)
    assert order.status == "cancelled" and "недостаточно средств" in order.cancellation_reason
    assert balance_of("1001") == 0


def test_orders_pending_for_a_day_expire(shop):
    token = make_user("1001")
    order_id = shop.buy(token)["order_id"]
    assert sweep_pending_orders(now=_later(60)) == {"pending": 1}
    assert sweep_pending_orders(now=_later(24 * 60 + 1)) == {"expired": 1}
    order = _order(order_id)
    assert order.status == "expired" and order.cancellation_reason
    got = shop.api.get(f"/api/orders/{order_id}", token=token).json
    assert got["status"] == "expired"


def test_a_payment_that_succeeds_after_expiry_is_still_credited(shop):
    token = make_user("1001")
    order_id = shop.buy(token)["order_id"]
    sweep_pending_orders(now=_later(24 * 60 + 1))
    assert _order(order_id).status == "expired"
    shop.yookassa.pay(_order(order_id).payment_id)  # the notification arrives
    assert _order(order_id).status == "paid" and balance_of("1001") == 10


def test_provider_outage_expires_nothing(shop):
    token = make_user("1001")
    order_id = shop.buy(token)["order_id"]
    shop.yookassa.sandbox.fail_next[:] = [500] * 3
    assert sweep_pending_orders(now=_later(24 * 60 + 1)) == {"provider_error": 1}
    assert _order(order_id).status == "pending"


def test_a_contended_balance_delays_one_order_and_the_run_goes_on(shop, contention):
    first, second = make_user("1001"), make_user("1002")
    orders = [shop.buy(first)["order_id"], shop.buy(second)["order_id"]]
    for order_id in orders:
        shop.yookassa.pay(_order(order_id).payment_id, notify=False)
    contention.hold(5)  # the first crediting: its try and all four retries

    assert sweep_pending_orders(now=_later(5)) == {"busy": 1, "credited": 1}
    assert sweep_pending_orders(now=_later(10)) == {"credited": 1}
    assert balance_of("1001") == 10 and balance_of("1002") == 10


def test_the_scheduled_function_runs_the_sweep(shop, monkeypatch):
    import app
    from photoshoot.settings import reset_settings_cache

    token = make_user("1001")
    order_id = shop.buy(token)["order_id"]
    shop.yookassa.pay(_order(order_id).payment_id, notify=False)
    monkeypatch.setenv("PAYMENTS_RECHECK_AFTER_S", "0")
    reset_settings_cache()
    app.app.handler_map["payments_sweep"](
        {"version": "0", "id": "e1", "detail-type": "Scheduled Event", "source": "aws.events",
         "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "eu-central-1",
         "resources": [], "detail": {}}, None)
    assert _order(order_id).status == "paid"


def test_flagged_orders_are_left_to_a_person(shop):
    token = make_user("1001")
    order_id = shop.buy(token)["order_id"]
    shop.yookassa.pay(_order(order_id).payment_id, notify=False)
    _order(order_id).update(actions=[Order.amount_kopecks.set(1)])
    assert sweep_pending_orders(now=_later(5)) == {"mismatch": 1}
    assert sweep_pending_orders(now=_later(10)) == {"flagged": 1}
    assert _order(order_id).status == "pending" and balance_of("1001") == 0


def test_an_order_that_fails_its_recheck_does_not_hold_up_the_others(shop, monkeypatch):
    """Orders are re-checked oldest first: one failing every run must not keep the orders
    after it from being credited. It is logged at ERROR (the sweep's alarm)."""
    from photoshoot.payments import settlement

    first = shop.buy(make_user("1001"))["order_id"]
    second = shop.buy(make_user("2002"))["order_id"]
    for order_id in (first, second):
        shop.yookassa.pay(_order(order_id).payment_id, notify=False)
    broken_payment = _order(first).payment_id
    settle = settlement.settle_payment

    def settle_or_fail(payment):
        if payment.payment_id == broken_payment:
            raise RuntimeError("a bug that fails this order every time")
        return settle(payment)

    monkeypatch.setattr(settlement, "settle_payment", settle_or_fail)

    assert sweep_pending_orders(now=_later(5)) == {"error": 1, "credited": 1}
    assert _order(first).status == "pending" and _order(second).status == "paid"
    assert balance_of("2002") == 10
