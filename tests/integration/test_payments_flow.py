"""Buying a package over real HTTP on the local stack: API → YooKassa sandbox checkout →
real-format notification → webhook Lambda (Function URL event) → credited exactly once.

A stack of its own: the webhook must accept the sandbox's loopback address (as
``.env.example`` does), and the sweep runs every second with its usual 5-minute re-check age
for orders (the sweep test back-dates an order instead of waiting) and a 1-second one for
refunds (the sandbox makes a refund's creation time; the notification still races it)."""
from __future__ import annotations

import http.client
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import boto3
import pytest
import requests

from infra.local import launcher
from photoshoot.payments import gateway
from tests.integration.conftest import start_local_stack
from tests.unit.payments.test_gateway_contract import GatewayContract

pytestmark = pytest.mark.integration

SHOP = ("100500", "test_local_sandbox_key")  # the local defaults of settings / .env.example
LOOPBACK_ALLOWED = ("185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.156.11/32,"
                    "77.75.156.35/32,77.75.154.128/25,2a02:5180::/32,127.0.0.1/32,::1/128")


@pytest.fixture(scope="module")
def stack():
    stack = start_local_stack({"YOOKASSA_ALLOWED_IPS": LOOPBACK_ALLOWED,
                               "YOOKASSA_SHOP_ID": SHOP[0], "YOOKASSA_SECRET_KEY": SHOP[1],
                               "YOOKASSA_RECEIPTS_ENABLED": "true",
                               "PAYMENTS_RECHECK_AFTER_S": "300",
                               "PAYMENTS_REFUND_RECHECK_AFTER_S": "1"})
    yield stack
    launcher.stop(stack)
    stack.log_path.unlink(missing_ok=True)


class Shop:
    def __init__(self, stack):
        self.stack = stack
        self.base = stack.base_url
        self.api = f"{stack.base_url}/sandbox/yookassa/v3"
        self.dynamodb = boto3.client("dynamodb", endpoint_url=stack.moto_url,
                                     region_name="eu-central-1", aws_access_key_id="local",
                                     aws_secret_access_key="local")
        self.prefix = stack.env.get("TABLE_PREFIX", "photoshoot-")

    # --- people and their money -------------------------------------------------------------
    def new_user(self, email: str | None = "buyer@example.ru") -> tuple[str, str]:
        from photoshoot.auth.sessions import issue_token

        user_id = str(800000000 + uuid.uuid4().int % 100000000)
        item = {"user_id": {"S": user_id}, "telegram_id": {"N": user_id},
                "balance": {"N": "0"}, "spent": {"N": "0"}, "token_version": {"N": "0"},
                "is_admin": {"BOOL": False}, "email_notifications": {"BOOL": False},
                "created_at": {"S": "2026-01-01T00:00:00.000Z"}}
        if email:
            item["email"] = {"S": email}
        self.dynamodb.put_item(TableName=f"{self.prefix}users", Item=item)
        return user_id, issue_token(user_id, 0)

    def balance(self, user_id: str) -> int:
        item = self.dynamodb.get_item(TableName=f"{self.prefix}users", ConsistentRead=True,
                                      Key={"user_id": {"S": user_id}})["Item"]
        return int(item["balance"]["N"])

    def ledger(self, user_id: str) -> list[tuple[str, int]]:
        items = self.dynamodb.query(
            TableName=f"{self.prefix}ledger", ConsistentRead=True,
            KeyConditionExpression="user_id = :u",
            ExpressionAttributeValues={":u": {"S": user_id}})["Items"]
        return sorted((i["entry_id"]["S"], int(i["delta"]["N"])) for i in items)

    def order_item(self, order_id: str) -> dict:
        return self.dynamodb.get_item(TableName=f"{self.prefix}orders", ConsistentRead=True,
                                      Key={"order_id": {"S": order_id}})["Item"]

    def set_order(self, order_id: str, **values: dict) -> None:
        names = {f"#{k}": k for k in values}
        self.dynamodb.update_item(
            TableName=f"{self.prefix}orders", Key={"order_id": {"S": order_id}},
            UpdateExpression="SET " + ", ".join(f"#{k} = :{k}" for k in values),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={f":{k}": v for k, v in values.items()})

    # --- the API ------------------------------------------------------------------------------
    def buy(self, token: str, package_id: str = "seller") -> dict:
        answer = requests.post(f"{self.base}/api/payments", json={"package_id": package_id},
                               headers={"Authorization": f"Bearer {token}"}, timeout=20)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def order(self, token: str, order_id: str) -> dict:
        answer = requests.get(f"{self.base}/api/orders/{order_id}",
                              headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def wait_for_status(self, token: str, order_id: str, status: str,
                        timeout: float = 15) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            order = self.order(token, order_id)
            if order["status"] == status or time.monotonic() > deadline:
                return order
            time.sleep(0.2)

    # --- the sandbox --------------------------------------------------------------------------
    def payment_id(self, order_id: str) -> str:
        return self.order_item(order_id)["payment_id"]["S"]

    def payment(self, payment_id: str) -> dict:
        answer = requests.get(f"{self.api}/payments/{payment_id}", auth=SHOP, timeout=10)
        answer.raise_for_status()
        return answer.json()

    def checkout(self, confirmation_url: str, action: str, notify: bool = True,
                 **form) -> requests.Response:
        return requests.post(f"{confirmation_url}/{action}" + ("" if notify else "?notify=0"),
                             data=form, allow_redirects=False, timeout=20)

    def notify(self, event: str, obj: dict, source_ip: str | None = None) -> int:
        """POST a notification exactly as YooKassa would; optionally from another local
        address (127.0.0.2 is loopback but outside the allowlist)."""
        body = json.dumps({"type": "notification", "event": event, "object": obj})
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(
            "127.0.0.1", parts.port, timeout=20,
            source_address=(source_ip, 0) if source_ip else None)
        try:
            connection.request("POST", "/webhooks/yookassa", body=body,
                               headers={"Content-Type": "application/json"})
            return connection.getresponse().status
        finally:
            connection.close()


@pytest.fixture
def shop(stack):
    return Shop(stack)


def test_purchase_goes_from_checkout_to_credit_over_http(shop):
    user_id, token = shop.new_user()
    started = shop.buy(token, "seller")
    page = requests.get(started["confirmation_url"], timeout=10)
    assert page.status_code == 200 and "Оплатить" in page.text and "799,00" in page.text
    paid = shop.checkout(started["confirmation_url"], "pay")
    assert paid.status_code == 303
    location = urlsplit(paid.headers["Location"])
    assert location.path == "/payment/result" and location.query == f"order={started['order_id']}"
    order = shop.wait_for_status(token, started["order_id"], "paid")
    assert order["status"] == "paid" and order["paid_at"] and order["photoshoots"] == 10
    assert shop.balance(user_id) == 10
    assert shop.ledger(user_id) == [(f"purchase#{started['order_id']}", 10)]
    history = requests.get(f"{shop.base}/api/orders",
                           headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    assert [o["order_id"] for o in history["items"]] == [started["order_id"]]


def test_fifty_concurrent_duplicate_notifications_credit_once(shop):
    user_id, token = shop.new_user()
    started = shop.buy(token, "start")
    shop.checkout(started["confirmation_url"], "pay", notify=False)
    payment = shop.payment(shop.payment_id(started["order_id"]))
    assert payment["status"] == "succeeded"
    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(lambda _: shop.notify("payment.succeeded", payment),
                                 range(50)))
    assert statuses == [200] * 50
    assert shop.order(token, started["order_id"])["status"] == "paid"
    assert shop.balance(user_id) == 3
    assert shop.ledger(user_id) == [(f"purchase#{started['order_id']}", 3)]


def test_notification_from_outside_the_allowlist_is_refused_and_credits_nothing(shop):
    user_id, token = shop.new_user()
    started = shop.buy(token)
    shop.checkout(started["confirmation_url"], "pay", notify=False)
    payment = shop.payment(shop.payment_id(started["order_id"]))
    assert shop.notify("payment.succeeded", payment, source_ip="127.0.0.2") == 403
    assert shop.order(token, started["order_id"])["status"] == "pending"
    assert shop.balance(user_id) == 0 and shop.ledger(user_id) == []


def test_forged_succeeded_for_a_pending_payment_credits_nothing(shop):
    user_id, token = shop.new_user()
    started = shop.buy(token)
    payment = shop.payment(shop.payment_id(started["order_id"]))
    assert payment["status"] == "pending"
    forged = {**payment, "status": "succeeded", "paid": True}
    assert shop.notify("payment.succeeded", forged) == 200
    assert shop.order(token, started["order_id"])["status"] == "pending"
    assert shop.balance(user_id) == 0


def test_amount_mismatch_credits_nothing(shop):
    user_id, token = shop.new_user()
    started = shop.buy(token, "seller")
    shop.set_order(started["order_id"], amount_kopecks={"N": "199900"})
    shop.checkout(started["confirmation_url"], "pay")  # the sandbox notifies 799.00
    deadline = time.monotonic() + 10
    while "review_flags" not in shop.order_item(started["order_id"]):
        assert time.monotonic() < deadline, "the notification was not processed"
        time.sleep(0.2)
    assert shop.order_item(started["order_id"])["review_flags"]["SS"] == ["amount_mismatch"]
    assert shop.order(token, started["order_id"])["status"] == "pending"
    assert shop.balance(user_id) == 0


def test_a_lost_notification_is_credited_by_the_sweep(shop):
    user_id, token = shop.new_user()
    started = shop.buy(token)
    shop.checkout(started["confirmation_url"], "pay", notify=False)
    time.sleep(2)  # several sweep runs: the order is too fresh to be re-checked
    assert shop.order(token, started["order_id"])["status"] == "pending"
    ten_minutes_ago = (datetime.now(timezone.utc) - timedelta(minutes=10)).isoformat(
        timespec="milliseconds").replace("+00:00", "Z")
    shop.set_order(started["order_id"], created_at={"S": ten_minutes_ago})
    order = shop.wait_for_status(token, started["order_id"], "paid")
    assert order["status"] == "paid"
    assert shop.balance(user_id) == 10


def test_a_removed_buyer_never_holds_up_the_sweep_for_everyone_else(shop):
    """The sweep re-checks the oldest order first: a paid order whose buyer's account was
    removed by hand is flagged for a person, and the orders after it are still credited."""
    gone_id, gone_token = shop.new_user()
    other_id, other_token = shop.new_user()
    gone = shop.buy(gone_token)["order_id"]
    other = shop.buy(other_token)["order_id"]
    for order_id, minutes in ((gone, 11), (other, 10)):
        shop.checkout(f"{shop.base}/sandbox/yookassa/checkout/{shop.payment_id(order_id)}",
                      "pay", notify=False)
        back_dated = (datetime.now(timezone.utc) - timedelta(minutes=minutes)).isoformat(
            timespec="milliseconds").replace("+00:00", "Z")
        shop.set_order(order_id, created_at={"S": back_dated})
    shop.dynamodb.delete_item(TableName=f"{shop.prefix}users",
                              Key={"user_id": {"S": gone_id}})

    assert shop.wait_for_status(other_token, other, "paid")["status"] == "paid"
    assert shop.balance(other_id) == 10
    assert shop.order_item(gone)["review_flags"]["SS"] == ["user_missing"]
    assert shop.order_item(gone)["status"]["S"] == "pending"


def test_a_cancelled_payment_never_credits(shop):
    user_id, token = shop.new_user()
    started = shop.buy(token)
    declined = shop.checkout(started["confirmation_url"], "decline", reason="card_expired")
    assert declined.status_code == 303
    order = shop.wait_for_status(token, started["order_id"], "cancelled")
    assert order["status"] == "cancelled"
    assert order["cancellation_reason"] == "Срок действия карты истёк. Оплатите другой картой."
    payment = shop.payment(shop.payment_id(started["order_id"]))
    assert payment["cancellation_details"] == {"party": "yoo_money", "reason": "card_expired"}
    assert shop.notify("payment.succeeded", {**payment, "status": "succeeded"}) == 200
    assert shop.checkout(started["confirmation_url"], "pay").status_code == 303  # too late
    assert shop.order(token, started["order_id"])["status"] == "cancelled"
    assert shop.balance(user_id) == 0 and shop.ledger(user_id) == []


def test_a_refund_takes_the_credits_back_once(shop):
    user_id, token = shop.new_user()
    started = shop.buy(token)
    shop.checkout(started["confirmation_url"], "pay")
    shop.wait_for_status(token, started["order_id"], "paid")
    assert shop.balance(user_id) == 10
    refund = requests.post(f"{shop.api}/refunds", auth=SHOP,
                           headers={"Idempotence-Key": f"test-refund-{started['order_id']}"},
                           json={"payment_id": shop.payment_id(started["order_id"]),
                                 "amount": {"value": "799.00", "currency": "RUB"},
                                 # the paid order had a receipt, so its refund has one
                                 "receipt": gateway.receipt(
                                     "buyer@example.ru", "Возврат: фотосессии Photoshoot",
                                     {"value": "799.00", "currency": "RUB"})},
                           timeout=10).json()
    assert refund["status"] == "succeeded"
    order = shop.wait_for_status(token, started["order_id"], "refunded")
    assert order["status"] == "refunded"
    for _ in range(3):
        assert shop.notify("refund.succeeded", refund) == 200
    assert shop.balance(user_id) == 0
    assert shop.ledger(user_id) == [(f"purchase#{started['order_id']}", 10),
                                    (f"purchase_refund#{started['order_id']}", -10)]


def test_a_refund_whose_notification_was_lost_is_taken_back_by_the_sweep(shop):
    user_id, token = shop.new_user()
    started = shop.buy(token)
    shop.checkout(started["confirmation_url"], "pay")
    shop.wait_for_status(token, started["order_id"], "paid")
    assert shop.balance(user_id) == 10
    lose = requests.post(f"{shop.base}/sandbox/yookassa/test/notifications/lose",
                         json={"count": 1}, timeout=10)
    assert lose.status_code == 200
    amount = {"value": "799.00", "currency": "RUB"}
    refund = requests.post(f"{shop.api}/refunds", auth=SHOP,
                           headers={"Idempotence-Key": f"lost-refund-{started['order_id']}"},
                           json={"payment_id": shop.payment_id(started["order_id"]),
                                 "amount": amount,
                                 "receipt": gateway.receipt(
                                     "buyer@example.ru", "Возврат: фотосессии Photoshoot",
                                     amount)},
                           timeout=10).json()
    sent = requests.get(f"{shop.base}/sandbox/yookassa/test/notifications", timeout=10).json()
    assert [n["lost"] for n in sent["items"] if n["object_id"] == refund["id"]] == [True]

    order = shop.wait_for_status(token, started["order_id"], "refunded")
    assert order["status"] == "refunded"
    time.sleep(2)  # more sweep runs, then the notification arriving at last: nothing changes
    assert shop.notify("refund.succeeded", refund) == 200
    assert shop.balance(user_id) == 0
    assert shop.ledger(user_id) == [(f"purchase#{started['order_id']}", 10),
                                    (f"purchase_refund#{started['order_id']}", -10)]
    item = shop.order_item(started["order_id"])
    assert item["counted_refunded_kopecks"]["N"] == "79900"
    assert item["counted_refund_ids"]["SS"] == [refund["id"]]


class TestGatewayAgainstLocalStack(GatewayContract):
    """The adapter's contract, against the sandbox the local stack serves."""

    @pytest.fixture
    def sandbox_url(self, stack, monkeypatch):
        from photoshoot.settings import reset_settings_cache

        monkeypatch.setenv("YOOKASSA_API_BASE", f"{stack.base_url}/sandbox/yookassa/v3")
        monkeypatch.setenv("YOOKASSA_SHOP_ID", SHOP[0])
        monkeypatch.setenv("YOOKASSA_SECRET_KEY", SHOP[1])
        reset_settings_cache()
        yield f"{stack.base_url}/sandbox/yookassa"
        reset_settings_cache()
