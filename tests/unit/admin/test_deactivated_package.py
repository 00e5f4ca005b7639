"""Taking a package off sale stops new checkouts only: an order placed before still credits
what it bought when its payment arrives."""
from __future__ import annotations

import json

from functions.yookassa_webhook import handle
from photoshoot.auth.sessions import issue_token
from photoshoot.billing import balance_of
from photoshoot.models import Order, User
from photoshoot.models.base import utc_now_iso
from tests.unit.payments.conftest import (  # noqa: F401 - fixtures used by name
    bot_messages, function_url_event, make_user, pushes, shop, yookassa)

YOOKASSA_IP = "185.71.76.10"


def _admin_token() -> str:
    User("9001", telegram_id=9001, is_admin=True, created_at=utc_now_iso()).save()
    return issue_token("9001", 0)


def _deactivate(api, admin: str, package_id: str) -> None:
    listed = api.get("/api/admin/packages", token=admin).json["items"]
    version = next(p["version"] for p in listed if p["package_id"] == package_id)
    answer = api.request("PUT", f"/api/admin/packages/{package_id}",
                         body={"active": False, "version": version}, token=admin)
    assert answer.status_code == 200, answer.json


def test_checkout_of_a_deactivated_package_is_refused_in_russian(shop):
    buyer = make_user("1001")
    _deactivate(shop.api, _admin_token(), "seller")
    answer = shop.api.post("/api/payments", body={"package_id": "seller"}, token=buyer)
    assert answer.status_code == 404, answer.json
    assert answer.json["error"]["message"] == "Этот пакет больше не продаётся. Выберите другой."
    assert not list(Order.scan())


def test_a_pending_order_of_a_deactivated_package_still_credits_when_paid(shop):
    buyer = make_user("1001")
    order_id = shop.buy(buyer, "seller")["order_id"]
    _deactivate(shop.api, _admin_token(), "seller")
    payment_id = Order.get(order_id, consistent_read=True).payment_id
    shop.yookassa.pay(payment_id, notify=False)
    event = function_url_event(shop.yookassa.notification(
        "payment.succeeded", shop.yookassa.payment(payment_id)), YOOKASSA_IP)
    answer = handle(event)
    assert answer["statusCode"] == 200 and json.loads(answer["body"])["outcome"] == "credited"
    assert Order.get(order_id, consistent_read=True).status == "paid"
    assert balance_of("1001") == 10
