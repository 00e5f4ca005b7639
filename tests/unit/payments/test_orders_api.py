"""POST /api/payments, GET /api/orders, GET /api/orders/{id}."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from photoshoot.models import Order
from tests.unit.payments.conftest import make_user


def test_buying_a_package_creates_a_pending_order_and_a_yookassa_payment(shop):
    token = make_user("1001", email="buyer@example.ru")
    answer = shop.buy(token, "seller")
    order = Order.get(answer["order_id"])
    assert order.status == "pending" and order.user_id == "1001"
    assert order.amount_kopecks == 79900 and isinstance(order.amount_kopecks, int)
    assert order.photoshoots == 10 and order.currency == "RUB"
    payment = shop.yookassa.payment(order.payment_id)
    assert answer["confirmation_url"] == payment["confirmation"]["confirmation_url"]
    assert payment["amount"] == {"value": "799.00", "currency": "RUB"}
    assert payment["metadata"]["order_id"] == order.order_id
    assert payment["metadata"]["user_id"] == "1001"
    assert len(payment["description"]) <= 128
    return_url = urlsplit(payment["confirmation"]["return_url"])
    assert return_url.path == "/payment/result"
    assert parse_qs(return_url.query) == {"order": [order.order_id]}


def test_payment_carries_a_54fz_receipt_to_the_buyers_email(shop):
    token = make_user("1001", email="buyer@example.ru")
    order = Order.get(shop.buy(token, "start")["order_id"])
    key = next(c["idempotence_key"] for c in shop.yookassa.sandbox.api_calls
               if c["method"] == "POST")
    assert order.order_id in key
    sent = shop.yookassa.sandbox.payments[order.payment_id]
    assert sent["receipt_registration"] == "pending"


def test_receipt_fields_are_configurable(shop, monkeypatch):
    from photoshoot.payments.gateway import PaymentRequest, payment_params
    from photoshoot.settings import reset_settings_cache

    monkeypatch.setenv("YOOKASSA_VAT_CODE", "6")
    monkeypatch.setenv("YOOKASSA_PAYMENT_SUBJECT", "job")
    reset_settings_cache()
    params = payment_params(PaymentRequest("o1", "1", 29900, "RUB", "d", "http://x/r", "item",
                                           "a@b.ru"))
    item = params["receipt"]["items"][0]
    assert params["receipt"]["customer"] == {"email": "a@b.ru"}
    assert item["vat_code"] == 6 and item["payment_subject"] == "job"
    assert item["payment_mode"] == "full_payment" and item["quantity"] == "1.00"
    assert item["amount"] == params["amount"] == {"value": "299.00", "currency": "RUB"}


def test_a_user_without_email_is_asked_for_one_when_receipts_are_on(shop):
    token = make_user("1002", email=None)
    answer = shop.api.post("/api/payments", body={"package_id": "seller"}, token=token)
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "email_required"
    assert "e-mail" in answer.json["error"]["message"]
    assert list(Order.scan()) == []


def test_without_receipts_no_email_is_needed_and_no_receipt_is_sent(shop, monkeypatch):
    from photoshoot.settings import reset_settings_cache

    monkeypatch.setenv("YOOKASSA_RECEIPTS_ENABLED", "false")
    reset_settings_cache()
    shop.yookassa.config(receipts_required=False)
    token = make_user("1002", email=None)
    order = Order.get(shop.buy(token)["order_id"])
    assert "receipt_registration" not in shop.yookassa.sandbox.payments[order.payment_id]


def test_unknown_package_is_404(shop):
    token = make_user()
    answer = shop.api.post("/api/payments", body={"package_id": "nope"}, token=token)
    assert answer.status_code == 404


def test_payments_need_a_session(shop):
    answer = shop.api.post("/api/payments", body={"package_id": "seller"})
    assert answer.status_code in (401, 403)


def test_provider_down_is_502_and_the_order_is_closed(shop):
    token = make_user()
    shop.yookassa.sandbox.fail_next[:] = [500] * 5
    answer = shop.api.post("/api/payments", body={"package_id": "seller"}, token=token)
    assert answer.status_code == 502
    assert answer.json["error"]["code"] == "payment_provider_error"
    [order] = list(Order.scan())
    assert order.status == "cancelled" and order.cancellation_reason


def test_orders_are_listed_newest_first_and_scoped_to_the_owner(shop):
    mine, theirs = make_user("1001"), make_user("2002")
    first = shop.buy(mine, "start")["order_id"]
    second = shop.buy(mine, "seller")["order_id"]
    other = shop.buy(theirs, "shop")["order_id"]
    listed = shop.api.get("/api/orders", token=mine).json["items"]
    assert [o["order_id"] for o in listed] == [second, first]
    one = shop.api.get(f"/api/orders/{second}", token=mine)
    assert one.status_code == 200
    assert one.json == {"order_id": second, "package_id": "seller", "package_title": "Продавец",
                        "photoshoots": 10, "amount_kopecks": 79900, "amount_stars": None,
                        "currency": "RUB",
                        "status": "pending", "cancellation_reason": None,
                        "created_at": one.json["created_at"], "paid_at": None}
    assert shop.api.get(f"/api/orders/{other}", token=mine).status_code == 404
    assert shop.api.get("/api/orders/unknown", token=mine).status_code == 404
