"""Payments fixtures: the YooKassa sandbox served over real HTTP on a loopback port, with our
webhook function mounted behind it as a Function URL would call it, all on in-process moto."""
from __future__ import annotations

import base64
import json
import threading
import uuid

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from infra.sandboxes.yookassa import SandboxConfig, YooKassaSandbox
from photoshoot.payments import gateway
from photoshoot.settings import get_settings, reset_settings_cache

REFUND_ITEM = "Возврат: фотосессии Photoshoot"  # what the dashboard's refund receipt says

SHOP_ID = "100500"
SECRET_KEY = "test_unit_sandbox_key"


YOOKASSA_IP = "185.71.76.10"  # inside YooKassa's published ranges
SELLER_PRICE = 79900  # the seeded "seller" package: 10 photoshoots


def stored_order(order_id: str):
    from photoshoot.models import Order

    return Order.get(order_id, consistent_read=True)


def deliver_notification(shop, event: str, obj: dict) -> dict:
    """A YooKassa notification through the webhook as its Function URL calls it; the
    answer's body (the webhook always answers 200 to YooKassa's own address)."""
    from functions.yookassa_webhook import handle

    answer = handle(function_url_event(shop.yookassa.notification(event, obj), YOOKASSA_IP))
    assert answer["statusCode"] == 200, answer
    return json.loads(answer["body"])


def function_url_event(body: bytes | str, source_ip: str, headers: dict | None = None) -> dict:
    """A Lambda Function URL event (payload 2.0) as AWS builds it."""
    raw = body.encode() if isinstance(body, str) else body
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "",
        "headers": {"content-type": "application/json", **(headers or {})},
        "requestContext": {"http": {"method": "POST", "path": "/", "protocol": "HTTP/1.1",
                                    "sourceIp": source_ip, "userAgent": "YooKassa"},
                           "requestId": str(uuid.uuid4())},
        "body": base64.b64encode(raw).decode(), "isBase64Encoded": True,
    }


class _Site:
    """``/sandbox/yookassa/*`` → the sandbox; ``/webhooks/yookassa`` → our webhook Lambda."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.webhook_answers: list[int] = []

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/sandbox/yookassa"):
            mounted = dict(environ, SCRIPT_NAME="/sandbox/yookassa",
                           PATH_INFO=path[len("/sandbox/yookassa"):])
            return self.sandbox(mounted, start_response)
        if path == "/webhooks/yookassa":
            from functions.yookassa_webhook import handle

            request = Request(environ)
            result = handle(function_url_event(request.get_data(), request.remote_addr))
            self.webhook_answers.append(result["statusCode"])
            return Response(result["body"], status=result["statusCode"],
                            headers=result["headers"])(environ, start_response)
        return Response("not found", status=404)(environ, start_response)


class YooKassaHarness:
    def __init__(self, sandbox: YooKassaSandbox, site: _Site, base_url: str):
        self.sandbox, self.site, self.base_url = sandbox, site, base_url
        self.api = f"{base_url}/sandbox/yookassa/v3"

    def config(self, **changes) -> None:
        for name, value in changes.items():
            setattr(self.sandbox.config, name, value)

    def payment(self, payment_id: str) -> dict:
        answer = requests.get(f"{self.api}/payments/{payment_id}", auth=(SHOP_ID, SECRET_KEY),
                              timeout=5)
        answer.raise_for_status()
        return answer.json()

    def pay(self, payment_id: str, notify: bool = True) -> requests.Response:
        return requests.post(f"{self.base_url}/sandbox/yookassa/checkout/{payment_id}/pay"
                             + ("" if notify else "?notify=0"), allow_redirects=False,
                             timeout=10)

    def decline(self, payment_id: str, reason: str = "insufficient_funds",
                notify: bool = True) -> requests.Response:
        return requests.post(f"{self.base_url}/sandbox/yookassa/checkout/{payment_id}/decline"
                             + ("" if notify else "?notify=0"), data={"reason": reason},
                             allow_redirects=False, timeout=10)

    def refund(self, payment_id: str, kopecks: int, key: str | None = None) -> dict:
        """A refund as the dashboard makes it: with the 54-FZ refund receipt it owes."""
        amount = {"value": f"{kopecks // 100}.{kopecks % 100:02d}", "currency": "RUB"}
        answer = requests.post(f"{self.api}/refunds", auth=(SHOP_ID, SECRET_KEY),
                               headers={"Idempotence-Key": key or str(uuid.uuid4())},
                               json={"payment_id": payment_id, "amount": amount,
                                     "receipt": gateway.receipt("buyer@example.ru",
                                                                REFUND_ITEM, amount)},
                               timeout=10)
        answer.raise_for_status()
        return answer.json()

    def notification(self, event: str, obj: dict) -> bytes:
        return json.dumps({"type": "notification", "event": event, "object": obj}).encode()


@pytest.fixture
def yookassa(aws, monkeypatch):
    """The sandbox on a loopback port; settings point the SDK and the webhook at it."""
    sandbox = YooKassaSandbox(config_factory=lambda: SandboxConfig(
        shop_id=SHOP_ID, secret_key=SECRET_KEY, webhook_url="", receipts_required=True,
        deliver="sync"))
    site = _Site(sandbox)
    server = make_server("127.0.0.1", 0, site, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    sandbox.config.webhook_url = f"{base_url}/webhooks/yookassa"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("PUBLIC_BASE_URL", base_url)
    monkeypatch.setenv("YOOKASSA_API_BASE", f"{base_url}/sandbox/yookassa/v3")
    monkeypatch.setenv("YOOKASSA_SHOP_ID", SHOP_ID)
    monkeypatch.setenv("YOOKASSA_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("YOOKASSA_ALLOWED_IPS",
                       "185.71.76.0/27,2a02:5180::/32,127.0.0.1/32,::1/128")
    monkeypatch.setenv("YOOKASSA_RECEIPTS_ENABLED", "true")
    monkeypatch.setenv("YOOKASSA_TIMEOUT_S", "5")
    reset_settings_cache()
    get_settings()
    try:
        yield YooKassaHarness(sandbox, site, base_url)
    finally:
        server.shutdown()
        thread.join(5)
        reset_settings_cache()


@pytest.fixture
def pushes(monkeypatch):
    """WebSocket messages pushed to users (user_id, message)."""
    sent: list[tuple[str, dict]] = []

    def record(user_id, message):
        sent.append((user_id, message))
        return 1

    monkeypatch.setattr("photoshoot.realtime.push_to_user", record)
    return sent


@pytest.fixture
def bot_messages(monkeypatch):
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr("photoshoot.telegram.notifications.notify_user",
                        lambda user_id, text, reply_markup=None: sent.append((user_id, text)))
    return sent


def make_user(user_id: str = "1001", email: str | None = "buyer@example.ru", balance: int = 0,
              email_notifications: bool = False) -> str:
    """A user and a session token for them."""
    from photoshoot.auth.sessions import issue_token
    from photoshoot.models import User
    from photoshoot.models.base import utc_now_iso

    User(user_id, telegram_id=int(user_id), first_name="Анна", email=email,
         email_notifications=email_notifications, balance=balance,
         created_at=utc_now_iso()).save()
    return issue_token(user_id, 0)


@pytest.fixture
def shop(api, yookassa, pushes, bot_messages):
    """Everything a purchase needs: API client, sandbox, recorded pushes and bot messages."""
    class Shop:
        pass

    s = Shop()
    s.api, s.yookassa, s.pushes, s.bot_messages = api, yookassa, pushes, bot_messages

    def buy(token: str, package_id: str = "seller") -> dict:
        answer = api.post("/api/payments", body={"package_id": package_id}, token=token)
        assert answer.status_code == 200, answer.json
        return answer.json

    s.buy = buy
    return s


@pytest.fixture
def paid(shop):
    """User 1001's paid «seller» order (10 photoshoots credited): ``(order_id, payment_id)``."""
    from photoshoot.billing import balance_of
    from photoshoot.models import Order

    token = make_user("1001")
    order_id = shop.buy(token, "seller")["order_id"]
    payment_id = Order.get(order_id, consistent_read=True).payment_id
    shop.yookassa.pay(payment_id)
    assert Order.get(order_id, consistent_read=True).status == "paid"
    assert balance_of("1001") == 10
    return order_id, payment_id
