"""POST /webhooks/yookassa: authenticated by source IP, acts only on what the API says,
credits exactly once."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import boto3
import pytest

from functions.yookassa_webhook import handle
from photoshoot.billing import balance_of, ledger_of
from photoshoot.analytics import counters
from photoshoot.models import Order, StatCounter, User
from tests.unit.payments.conftest import function_url_event, make_user

YOOKASSA_IP = "185.71.76.10"


def _order(order_id: str) -> Order:
    return Order.get(order_id, consistent_read=True)


def _deliver(shop, event: str, obj: dict, ip: str = YOOKASSA_IP, headers=None) -> dict:
    result = handle(function_url_event(shop.yookassa.notification(event, obj), ip, headers))
    result["json"] = json.loads(result["body"])
    return result


def _paid_order(shop, user_id="1001", package="seller", balance=0, notify=False):
    token = make_user(user_id, balance=balance)
    order_id = shop.buy(token, package)["order_id"]
    payment_id = _order(order_id).payment_id
    shop.yookassa.pay(payment_id, notify=notify)
    return order_id, payment_id


def test_checkout_notification_credits_the_package(shop):
    order_id, payment_id = _paid_order(shop, notify=True)  # the sandbox posts to the webhook
    assert shop.yookassa.site.webhook_answers == [200]
    order = _order(order_id)
    assert order.status == "paid" and order.paid_at
    assert balance_of("1001") == 10
    assert [(e.entry_id, e.delta) for e in ledger_of("1001")] == [(f"purchase#{order_id}", 10)]


def test_duplicate_webhook_credits_once(shop):
    order_id, payment_id = _paid_order(shop)
    payment = shop.yookassa.payment(payment_id)
    answers = [_deliver(shop, "payment.succeeded", payment) for _ in range(3)]
    assert [a["statusCode"] for a in answers] == [200, 200, 200]
    assert [a["json"]["outcome"] for a in answers] == ["credited", "duplicate", "duplicate"]
    assert balance_of("1001") == 10


def test_fifty_concurrent_duplicate_notifications_credit_once(shop):
    order_id, payment_id = _paid_order(shop)
    payment = shop.yookassa.payment(payment_id)
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda _: _deliver(shop, "payment.succeeded", payment),
                                range(50)))
    assert {a["statusCode"] for a in answers} == {200}
    outcomes = [a["json"]["outcome"] for a in answers]
    assert outcomes.count("credited") == 1 and outcomes.count("duplicate") == 49
    assert balance_of("1001") == 10
    assert len(ledger_of("1001")) == 1
    assert len([m for _, m in shop.pushes if m["type"] == "order.paid"]) == 1


@pytest.mark.parametrize("ip", ["10.0.0.1", "185.71.76.200", "2001:db8::1", "", "garbage"])
def test_notification_from_outside_the_allowlist_is_refused_and_credits_nothing(shop, ip):
    order_id, payment_id = _paid_order(shop)
    answer = _deliver(shop, "payment.succeeded", shop.yookassa.payment(payment_id), ip=ip)
    assert answer["statusCode"] == 403
    assert _order(order_id).status == "pending"
    assert balance_of("1001") == 0


def test_yookassa_ipv6_range_is_allowed(shop):
    order_id, payment_id = _paid_order(shop)
    answer = _deliver(shop, "payment.succeeded", shop.yookassa.payment(payment_id),
                      ip="2a02:5180:0:1509::12")
    assert answer["statusCode"] == 200 and balance_of("1001") == 10


def test_forwarded_for_never_names_the_sender(shop):
    """A Function URL passes on only the leftmost X-Forwarded-For entry — the one the
    client wrote, even behind CloudFront — so a forger's header must not open the door."""
    order_id, payment_id = _paid_order(shop)
    payment = shop.yookassa.payment(payment_id)
    for forwarded in (YOOKASSA_IP, f"203.0.113.5, {YOOKASSA_IP}"):
        answer = _deliver(shop, "payment.succeeded", payment, ip="203.0.113.5",
                          headers={"x-forwarded-for": forwarded})
        assert answer["statusCode"] == 403
    assert _order(order_id).status == "pending" and balance_of("1001") == 0


def test_behind_cloudfront_the_sender_is_the_viewer_address_of_our_distribution(
        shop, monkeypatch):
    from photoshoot.settings import reset_settings_cache

    order_id, payment_id = _paid_order(shop)
    payment = shop.yookassa.payment(payment_id)
    cloudfront_ip = "130.176.0.1"
    viewer = {"cloudfront-viewer-address": f"{YOOKASSA_IP}:41234"}
    # No origin secret configured: the header is anyone's to send.
    assert _deliver(shop, "payment.succeeded", payment, ip=cloudfront_ip,
                    headers={**viewer, "x-origin-verify": ""})["statusCode"] == 403
    monkeypatch.setenv("CLOUDFRONT_ORIGIN_SECRET", "s3cret-origin")
    reset_settings_cache()
    # Straight to the Function URL without our distribution's secret, or with a wrong one.
    for secret in (None, "guess"):
        headers = {**viewer, **({"x-origin-verify": secret} if secret else {})}
        assert _deliver(shop, "payment.succeeded", payment, ip="203.0.113.5",
                        headers=headers)["statusCode"] == 403
    # Through the distribution, from a viewer outside the ranges.
    assert _deliver(shop, "payment.succeeded", payment, ip=cloudfront_ip,
                    headers={"x-origin-verify": "s3cret-origin",
                             "cloudfront-viewer-address": "203.0.113.5:443"}
                    )["statusCode"] == 403
    assert _order(order_id).status == "pending" and balance_of("1001") == 0
    # Through the distribution, from YooKassa (IPv6 too).
    for address in (f"{YOOKASSA_IP}:41234", "2a02:5180:0:1509::12:41234"):
        answer = _deliver(shop, "payment.succeeded", payment, ip=cloudfront_ip,
                          headers={"x-origin-verify": "s3cret-origin",
                                   "cloudfront-viewer-address": address})
        assert answer["statusCode"] == 200
    assert balance_of("1001") == 10


def test_forged_succeeded_for_a_pending_payment_credits_nothing(shop):
    token = make_user("1001")
    order_id = shop.buy(token)["order_id"]
    payment = shop.yookassa.payment(_order(order_id).payment_id)
    forged = {**payment, "status": "succeeded", "paid": True}
    answer = _deliver(shop, "payment.succeeded", forged)
    assert answer["statusCode"] == 200 and answer["json"]["outcome"] == "pending"
    assert _order(order_id).status == "pending"
    assert balance_of("1001") == 0


def test_forged_notification_for_an_unknown_payment_changes_nothing(shop):
    make_user("1001")
    answer = _deliver(shop, "payment.succeeded",
                      {"id": "2c5f0a3e-000f-5000-8000-000000000000", "status": "succeeded",
                       "metadata": {"order_id": "x", "user_id": "1001"}})
    assert answer["statusCode"] == 200 and answer["json"]["outcome"] == "unknown_order"
    assert balance_of("1001") == 0


@pytest.mark.parametrize("event, object_id", [
    ("payment.succeeded", "яяяяяяяяяя"), ("payment.succeeded", "../../v3/refunds"),
    ("refund.succeeded", "2C5F0A3E-000F-5000-8000-00000000000"),
    ("payment.canceled", "2c5f0a3e-000f-5000-8000-000000000000/x"),
])
def test_a_notification_naming_no_yookassa_id_is_unknown_without_asking_the_api(
        shop, monkeypatch, event, object_id):
    from photoshoot.payments import gateway

    asked = []
    monkeypatch.setattr(gateway, "_with_retries", lambda *a, **kw: asked.append(a))
    make_user("1001")

    answer = _deliver(shop, event, {"id": object_id, "status": "succeeded"})

    assert answer["statusCode"] == 200 and answer["json"]["outcome"] == "unknown_order"
    assert asked == [] and balance_of("1001") == 0


def test_amount_mismatch_credits_nothing_and_flags_the_order(shop):
    order_id, payment_id = _paid_order(shop)
    # The shop changed the price between payment and notification (or the order was
    # tampered with): the paid amount no longer equals the order.
    _order(order_id).update(actions=[Order.amount_kopecks.set(199900)])
    answer = _deliver(shop, "payment.succeeded", shop.yookassa.payment(payment_id))
    assert answer["statusCode"] == 200 and answer["json"]["outcome"] == "mismatch"
    order = _order(order_id)
    assert order.status == "pending" and order.flags == {"amount_mismatch"}
    assert balance_of("1001") == 0


def test_a_payment_of_another_order_is_not_credited_to_this_one(shop):
    order_id, payment_id = _paid_order(shop)
    _order(order_id).update(actions=[Order.payment_id.set("another-payment")])
    answer = _deliver(shop, "payment.succeeded", shop.yookassa.payment(payment_id))
    assert answer["json"]["outcome"] == "mismatch"
    assert balance_of("1001") == 0


def test_cancelled_payment_cancels_the_order_and_never_credits(shop):
    token = make_user("1001")
    order_id = shop.buy(token)["order_id"]
    payment_id = _order(order_id).payment_id
    shop.yookassa.decline(payment_id, reason="card_expired")  # notifies the webhook
    order = _order(order_id)
    assert order.status == "cancelled"
    assert order.cancellation_reason == ("Срок действия карты истёк. Оплатите другой картой.")
    got = shop.api.get(f"/api/orders/{order_id}", token=token).json
    assert got["status"] == "cancelled" and "карты" in got["cancellation_reason"]
    # A forged "succeeded" afterwards: the API still says canceled.
    payment = shop.yookassa.payment(payment_id)
    answer = _deliver(shop, "payment.succeeded", {**payment, "status": "succeeded"})
    assert answer["statusCode"] == 200
    assert _order(order_id).status == "cancelled" and balance_of("1001") == 0


def test_out_of_order_cancel_after_paid_changes_nothing(shop):
    order_id, payment_id = _paid_order(shop, notify=True)
    payment = shop.yookassa.payment(payment_id)
    answer = _deliver(shop, "payment.canceled", {**payment, "status": "canceled"})
    assert answer["statusCode"] == 200
    assert _order(order_id).status == "paid" and balance_of("1001") == 10


def test_refund_takes_the_credits_back_once(shop):
    order_id, payment_id = _paid_order(shop, notify=True)
    assert balance_of("1001") == 10
    refund = shop.yookassa.refund(payment_id, 79900)  # the sandbox notifies refund.succeeded
    order = _order(order_id)
    assert order.status == "refunded" and order.refunded_at and order.refund_shortfall == 0
    assert balance_of("1001") == 0
    for _ in range(3):  # redeliveries
        assert _deliver(shop, "refund.succeeded", refund)["json"]["outcome"] == "duplicate"
    assert balance_of("1001") == 0
    assert sorted((e.entry_id, e.delta) for e in ledger_of("1001")) == [
        (f"purchase#{order_id}", 10), (f"purchase_refund#{order_id}", -10)]
    assert ("1001", {"type": "balance", "balance": 0}) in shop.pushes
    # the admin statistics see the money come back once, on the day of the refund
    day = counters.today()
    refunds = {item.metric: int(item.value) for item in StatCounter.query(day)
               if item.metric.endswith(("#payment_refund", "#refunded"))}
    assert refunds == {"direct#payment_refund": 1, "direct#refunded": 79900}


def test_a_partial_refund_keeps_the_credits_and_asks_a_person(shop):
    """100 ₽ back from a 799 ₽ order is a goodwill gesture, not the order undone: nothing is
    taken back automatically; the refund completing the amount takes everything back once."""
    def refund_stats():
        return {item.metric: int(item.value) for item in StatCounter.query(counters.today())
                if item.metric.endswith(("#payment_refund", "#refunded"))}

    order_id, payment_id = _paid_order(shop, notify=True)
    partial = shop.yookassa.refund(payment_id, 10000)  # the sandbox notifies refund.succeeded
    order = _order(order_id)
    assert order.status == "paid" and order.flags == {"partial_refund"}
    assert balance_of("1001") == 10
    # the money that left shows in net revenue at once, counted once however redelivered
    assert _deliver(shop, "refund.succeeded", partial)["json"]["outcome"] == "flagged"
    assert refund_stats() == {"direct#refunded": 10000}

    rest = shop.yookassa.refund(payment_id, 69900)
    assert _order(order_id).status == "refunded" and balance_of("1001") == 0
    assert _deliver(shop, "refund.succeeded", rest)["json"]["outcome"] == "duplicate"
    assert refund_stats() == {"direct#refunded": 79900, "direct#payment_refund": 1}
    assert sorted((e.entry_id, e.delta) for e in ledger_of("1001")) == [
        (f"purchase#{order_id}", 10), (f"purchase_refund#{order_id}", -10)]


def test_a_payment_refunded_before_it_was_credited_is_never_credited(shop):
    """The success notification was lost and support refunded the buyer from the dashboard:
    the refund finds the order unpaid; neither the redelivered success nor the sweep may
    credit it afterwards (the buyer has the money back)."""
    from photoshoot.payments.sweep import sweep_pending_orders

    order_id, payment_id = _paid_order(shop)  # paid, notification lost
    refund = shop.yookassa.refund(payment_id, 79900)
    assert _deliver(shop, "refund.succeeded", refund)["json"]["outcome"] == "flagged"
    payment = shop.yookassa.payment(payment_id)
    assert _deliver(shop, "payment.succeeded", payment)["statusCode"] == 200
    sweep_pending_orders(now=datetime.now(timezone.utc) + timedelta(hours=2))

    order = _order(order_id)
    assert order.status != "paid" and order.flags == {"refunded_before_credit"}
    assert balance_of("1001") == 0 and ledger_of("1001") == []


def test_refund_never_takes_the_balance_below_zero_and_flags_the_shortfall(shop):
    from photoshoot.billing import BalanceChange, apply_balance_change

    order_id, payment_id = _paid_order(shop, notify=True)
    for i in range(7):  # the user already spent 7 of the 10 photoshoots
        apply_balance_change(BalanceChange("1001", f"charge#g{i}", -1, "charge", f"g{i}",
                                           spent_delta=1))
    shop.yookassa.refund(payment_id, 79900)
    order = _order(order_id)
    assert order.status == "refunded"
    assert order.refund_shortfall == 7 and order.flags == {"refund_shortfall"}
    assert balance_of("1001") == 0


def test_malformed_notification_is_400(shop):
    result = handle(function_url_event(b"not json", YOOKASSA_IP))
    assert result["statusCode"] == 400
    result = handle(function_url_event(json.dumps({"type": "x"}), YOOKASSA_IP))
    assert result["statusCode"] == 400


def test_api_unreachable_answers_5xx_so_yookassa_redelivers(shop):
    order_id, payment_id = _paid_order(shop)
    payment = shop.yookassa.payment(payment_id)
    shop.yookassa.sandbox.fail_next[:] = [500] * 3
    answer = _deliver(shop, "payment.succeeded", payment)
    assert answer["statusCode"] == 502
    assert _order(order_id).status == "pending"
    assert _deliver(shop, "payment.succeeded", payment)["statusCode"] == 200
    assert balance_of("1001") == 10


def test_balance_contention_answers_5xx_so_yookassa_redelivers(shop, contention):
    """DynamoDB cancelling the crediting transaction for contention through every retry is
    not "credited before": the answer is a 5xx and the redelivery credits, once."""
    order_id, payment_id = _paid_order(shop)
    payment = shop.yookassa.payment(payment_id)
    contention.hold(5)

    answer = _deliver(shop, "payment.succeeded", payment)

    assert answer["statusCode"] == 503 and contention.cancelled == 5
    assert _order(order_id).status == "pending" and balance_of("1001") == 0
    again = _deliver(shop, "payment.succeeded", payment)
    assert again["statusCode"] == 200 and again["json"]["outcome"] == "credited"
    assert balance_of("1001") == 10
    assert [e.entry_id for e in ledger_of("1001")] == [f"purchase#{order_id}"]


def test_user_is_told_by_websocket_bot_and_email(shop, monkeypatch):
    from photoshoot.settings import reset_settings_cache

    monkeypatch.setenv("EMAIL_ENABLED", "true")
    reset_settings_cache()
    ses = boto3.client("ses", region_name="eu-central-1")
    ses.verify_email_identity(EmailAddress="no-reply@photoshoot.local")
    token = make_user("1001", email="buyer@example.ru", balance=1, email_notifications=True)
    order_id = shop.buy(token)["order_id"]
    shop.yookassa.pay(_order(order_id).payment_id)
    assert ("1001", {"type": "order.paid", "order_id": order_id, "photoshoots": 10,
                     "balance": 11}) in shop.pushes
    assert ("1001", {"type": "balance", "balance": 11}) in shop.pushes
    [(user_id, text)] = shop.bot_messages
    assert user_id == "1001" and "10 фотосессий" in text and "11 фотосессий" in text
    from moto.backends import get_backend

    sent = get_backend("ses")["123456789012"]["eu-central-1"].sent_messages
    assert [m.destinations["ToAddresses"] for m in sent] == [["buyer@example.ru"]]


def test_a_failing_notification_channel_never_fails_the_webhook(shop, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("telegram is down")

    monkeypatch.setattr("photoshoot.telegram.notifications.notify_user", broken)
    monkeypatch.setattr("photoshoot.realtime.push_to_user", broken)
    order_id, payment_id = _paid_order(shop)
    answer = _deliver(shop, "payment.succeeded", shop.yookassa.payment(payment_id))
    assert answer["statusCode"] == 200 and answer["json"]["outcome"] == "credited"
    assert balance_of("1001") == 10
    assert User.get("1001").balance == 10
