"""A local YooKassa: the subset of API v3 the ``yookassa`` SDK calls, a checkout page, and
notifications in YooKassa's exact format sent to our webhook.

Mounted by the local stack at ``/sandbox/yookassa`` (``infra/local/routes.py``):

- ``POST /v3/payments``, ``GET /v3/payments/{id}``, ``POST /v3/refunds``,
  ``GET /v3/refunds/{id}``, ``GET /v3/refunds`` (the list: ``created_at.gte|gt|lte|lt``,
  ``payment_id``, ``status``, ``limit`` 1–100 (10 by default) and ``cursor``; newest first,
  ``next_cursor`` while more remain; a malformed filter is 400 ``invalid_request`` naming
  it, as the API answers) — Basic auth with the configured shop id and secret key,
  ``Idempotence-Key`` required on POST and honoured (same key and body → the same object;
  same key, other body → 400), YooKassa's error envelope ``{type: "error", code, …}``.
  When receipts are on (``YOOKASSA_RECEIPTS_ENABLED``) a payment without a valid 54-FZ
  receipt is refused, as a shop with receipts enabled is.
- ``GET /checkout/{id}`` — a Russian checkout page with Pay and Decline; their forms post to
  ``/checkout/{id}/pay`` and ``/checkout/{id}/decline``, which settle the payment, send the
  notification (``payment.succeeded`` / ``payment.canceled`` with
  ``cancellation_details {party: yoo_money, reason}``) to ``PUBLIC_BASE_URL/webhooks/yookassa``
  and redirect the browser to the payment's ``return_url``. ``?notify=0`` "loses" the
  notification (for the sweep tests).
- Test hooks under ``/test/``: the notifications sent so far, re-sending one, losing the
  next notifications (``POST /test/notifications/lose {"count": n}``: recorded as sent,
  never delivered — a refund's, say, for the refund sweep), making the next API calls fail
  with 5xx (retry tests).

State is in memory; the process is the sandbox.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Callable
from urllib.parse import urlsplit

import requests
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from infra.sandboxes.routing import RoutedSandbox

CANCELLATION_REASONS = {
    "insufficient_funds": "Недостаточно средств на карте",
    "card_expired": "Истёк срок действия карты",
    "3d_secure_failed": "Не пройдена проверка 3-D Secure",
    "general_decline": "Отказ банка без объяснения причин",
    "fraud_suspected": "Подозрение в мошенничестве",
    "expired_on_confirmation": "Покупатель не оплатил вовремя",
}
VAT_CODES = set(range(1, 13))
REFUND_STATUSES = {"pending", "succeeded", "canceled"}
CREATED_AT_FILTERS = ("created_at.gte", "created_at.gt", "created_at.lte", "created_at.lt")
LIST_LIMIT_MAX = 100
LIST_LIMIT_DEFAULT = 10
PAYMENT_SUBJECTS = {"commodity", "excise", "job", "service", "gambling_bet", "gambling_prize",
                    "lottery", "lottery_prize", "intellectual_activity", "payment",
                    "agent_commission", "property_right", "non_operating_gain",
                    "insurance_premium", "sales_tax", "resort_fee", "composite", "another"}
PAYMENT_MODES = {"full_prepayment", "partial_prepayment", "advance", "full_payment",
                 "partial_payment", "credit", "credit_payment"}
_AMOUNT = re.compile(r"^\d{1,10}(\.\d{1,2})?$")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _object_id() -> str:
    raw = uuid.uuid4().hex
    return f"{raw[:8]}-000f-5000-{'89ab'[int(raw[8], 16) % 4]}{raw[9:12]}-{raw[12:24]}"


def _cents(value: str) -> int:
    return int(Decimal(value) * 100)


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class ApiError(Exception):
    def __init__(self, status: int, code: str, description: str, parameter: str | None = None):
        super().__init__(description)
        self.status, self.code, self.description, self.parameter = (status, code, description,
                                                                    parameter)

    def response(self) -> Response:
        body = {"type": "error", "id": str(uuid.uuid4()), "code": self.code,
                "description": self.description}
        if self.parameter:
            body["parameter"] = self.parameter
        return _json(body, self.status)


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")


@dataclass
class SentNotification:
    event: str
    object_id: str
    body: dict
    status: int | None = None  # HTTP status of the webhook's last answer
    attempts: int = 0
    lost: bool = False  # sent, never delivered (test hook)


@dataclass
class SandboxConfig:
    shop_id: str
    secret_key: str
    webhook_url: str
    receipts_required: bool
    deliver: str = "async"  # async | sync (sync: notification sent before the redirect)


def _config_from_settings() -> SandboxConfig:
    from photoshoot.settings import get_settings  # noqa: PLC0415

    settings = get_settings()
    return SandboxConfig(shop_id=settings.yookassa_shop_id,
                         secret_key=settings.yookassa_secret_key,
                         webhook_url=f"{settings.public_base_url.rstrip('/')}/webhooks/yookassa",
                         receipts_required=settings.receipts_enabled)


@dataclass
class YooKassaSandbox(RoutedSandbox):
    api_error = ApiError

    config_factory: Callable[[], SandboxConfig] = _config_from_settings
    payments: dict[str, dict] = field(default_factory=dict)
    refunds: dict[str, dict] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], tuple[str, int, dict]] = field(default_factory=dict)
    notifications: list[SentNotification] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    lose_next: int = 0  # notifications to lose on the way (test hook)
    api_calls: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.RLock()
        self._config: SandboxConfig | None = None
        self._threads: list[threading.Thread] = []
        self.url_map = Map([
            Rule("/v3/payments", methods=["POST"], endpoint="create_payment"),
            Rule("/v3/payments/<payment_id>", methods=["GET"], endpoint="get_payment"),
            Rule("/v3/refunds", methods=["POST"], endpoint="create_refund"),
            Rule("/v3/refunds", methods=["GET"], endpoint="list_refunds"),
            Rule("/v3/refunds/<refund_id>", methods=["GET"], endpoint="get_refund"),
            Rule("/checkout/<payment_id>", methods=["GET"], endpoint="checkout_page"),
            Rule("/checkout/<payment_id>/pay", methods=["POST"], endpoint="pay"),
            Rule("/checkout/<payment_id>/decline", methods=["POST"], endpoint="decline"),
            Rule("/test/notifications", methods=["GET"], endpoint="list_notifications"),
            Rule("/test/notifications/lose", methods=["POST"], endpoint="lose_notifications"),
            Rule("/test/payments/<payment_id>/notify", methods=["POST"], endpoint="renotify"),
            Rule("/test/faults", methods=["POST"], endpoint="faults"),
        ], strict_slashes=False)

    @property
    def config(self) -> SandboxConfig:
        if self._config is None:
            self._config = self.config_factory()
        return self._config

    # --- API ---------------------------------------------------------------------------------
    def _authenticate(self, request: Request) -> None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        try:
            shop_id, _, key = base64.b64decode(token).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            shop_id, key = "", ""
        if scheme != "Basic" or shop_id != self.config.shop_id or key != self.config.secret_key:
            raise ApiError(401, "invalid_credentials",
                           "Login or password is incorrect. Check the shopId and secret key.")

    def _api_call(self, request: Request) -> None:
        self._authenticate(request)
        with self._lock:
            self.api_calls.append({"method": request.method, "path": request.path,
                                   "idempotence_key": request.headers.get("Idempotence-Key")})
            if self.fail_next:
                status = self.fail_next.pop(0)
                raise ApiError(status, "internal_server_error", "Injected failure")

    def _idempotent(self, request: Request,
                    create: Callable[[dict], tuple[dict, str | None]]) -> Response:
        """Run ``create`` once per (path, key); it returns the object and the notification
        event to send for it, which is sent after the lock is released."""
        self._api_call(request)
        key = request.headers.get("Idempotence-Key", "")
        if not key or len(key) > 64:
            raise ApiError(400, "invalid_request", "Idempotence-Key header is required "
                           "(at most 64 characters)", "Idempotence-Key")
        try:
            body = json.loads(request.get_data() or b"{}")
        except ValueError:
            raise ApiError(400, "invalid_request", "Request body is not JSON") from None
        if not isinstance(body, dict):
            raise ApiError(400, "invalid_request", "Request body must be a JSON object")
        fingerprint = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        scope = (request.path, key)
        with self._lock:
            seen = self.idempotency.get(scope)
            if seen:
                if seen[0] != fingerprint:
                    raise ApiError(400, "invalid_request", "Idempotence key duplicated with "
                                   "another request body", "Idempotence-Key")
                return _json(seen[2], seen[1])
            created, event = create(body)
            self.idempotency[scope] = (fingerprint, 200, created)
        if event:
            self._notify(event, created)
        return _json(created)

    def create_payment(self, request: Request) -> Response:
        return self._idempotent(request, lambda body: self._new_payment(request, body))

    def _new_payment(self, request: Request, body: dict) -> dict:
        amount = _amount(body.get("amount"), "amount")
        confirmation = body.get("confirmation") or {}
        if confirmation.get("type") != "redirect" or not _is_url(confirmation.get("return_url")):
            raise ApiError(400, "invalid_request", "confirmation.return_url is required for "
                           "a redirect confirmation", "confirmation.return_url")
        description = body.get("description")
        if description is not None and (not isinstance(description, str)
                                        or len(description) > 128):
            raise ApiError(400, "invalid_request", "description must be at most 128 characters",
                           "description")
        metadata = body.get("metadata") or {}
        if not isinstance(metadata, dict) or len(metadata) > 16 or any(
                len(str(k)) > 32 or len(str(v)) > 512 for k, v in metadata.items()):
            raise ApiError(400, "invalid_request", "metadata: at most 16 keys, keys ≤ 32 and "
                           "values ≤ 512 characters", "metadata")
        receipt = body.get("receipt")
        if receipt is not None or self.config.receipts_required:
            _check_receipt(receipt, amount)
        payment_id = _object_id()
        base = request.host_url.rstrip("/") + request.script_root
        payment = {
            "id": payment_id,
            "status": "pending",
            "amount": amount,
            "description": description,
            "recipient": {"account_id": self.config.shop_id, "gateway_id": "100700"},
            "created_at": _now(),
            "confirmation": {"type": "redirect", "return_url": confirmation["return_url"],
                             "confirmation_url": f"{base}/checkout/{payment_id}"},
            "test": True,
            "paid": False,
            "refundable": False,
            "metadata": metadata,
        }
        if description is None:
            payment.pop("description")
        if receipt is not None:
            payment["receipt_registration"] = "pending"
        with self._lock:
            self.payments[payment_id] = payment
        return payment, None

    def get_payment(self, request: Request, payment_id: str) -> Response:
        self._api_call(request)
        with self._lock:
            payment = self.payments.get(payment_id)
            if payment is None:
                raise ApiError(404, "not_found", "Payment doesn't exist or access denied")
            return _json(payment)

    def create_refund(self, request: Request) -> Response:
        return self._idempotent(request, self._new_refund)

    def _new_refund(self, body: dict) -> dict:
        amount = _amount(body.get("amount"), "amount")
        with self._lock:
            payment = self.payments.get(str(body.get("payment_id") or ""))
            if payment is None:
                raise ApiError(404, "not_found", "Payment doesn't exist or access denied")
            if payment["status"] != "succeeded":
                raise ApiError(400, "invalid_request", "Payment is not succeeded and cannot "
                               "be refunded", "payment_id")
            refunded = _cents(payment.get("refunded_amount", {}).get("value", "0"))
            if (amount["currency"] != payment["amount"]["currency"]
                    or refunded + _cents(amount["value"]) > _cents(payment["amount"]["value"])):
                raise ApiError(400, "invalid_request", "Refund amount exceeds the payment "
                               "amount", "amount")
            # A shop that sends receipts must send a refund receipt for a payment that had one.
            receipt = body.get("receipt")
            if receipt is not None or (self.config.receipts_required
                                       and "receipt_registration" in payment):
                _check_receipt(receipt, amount)
            refund = {"id": _object_id(), "payment_id": payment["id"], "status": "succeeded",
                      "created_at": _now(), "amount": amount}
            if receipt is not None:
                refund["receipt_registration"] = "succeeded"
            if body.get("description"):
                refund["description"] = str(body["description"])[:250]
            self.refunds[refund["id"]] = refund
            total = refunded + _cents(amount["value"])
            payment["refunded_amount"] = {"value": _money(total),
                                          "currency": amount["currency"]}
            payment["refundable"] = total < _cents(payment["amount"]["value"])
        return refund, "refund.succeeded"

    def get_refund(self, request: Request, refund_id: str) -> Response:
        self._api_call(request)
        with self._lock:
            refund = self.refunds.get(refund_id)
            if refund is None:
                raise ApiError(404, "not_found", "Refund doesn't exist or access denied")
            return _json(refund)

    def list_refunds(self, request: Request) -> Response:
        """The shop's refunds, newest first, ``limit`` at a time; ``next_cursor`` names where
        the next page starts and is given back with the same filters."""
        self._api_call(request)
        args = request.args
        bounds = {name: _list_time(args[name], name) for name in CREATED_AT_FILTERS
                  if name in args}
        status = args.get("status")
        if status is not None and status not in REFUND_STATUSES:
            raise ApiError(400, "invalid_request", "status is invalid", "status")
        payment_id = args.get("payment_id")
        limit = _list_limit(args.get("limit"))
        with self._lock:
            # Creation order breaks ties between refunds made in the same millisecond.
            ranked = sorted(enumerate(self.refunds.values()),
                            key=lambda pair: (_list_time(pair[1]["created_at"], "created_at"),
                                              pair[0]), reverse=True)
            chosen = [json.loads(json.dumps(refund)) for _, refund in ranked
                      if _within(refund, bounds) and (status is None
                                                      or refund["status"] == status)
                      and (payment_id is None or refund["payment_id"] == payment_id)]
        start = _cursor_position(args.get("cursor"), chosen)
        page = chosen[start:start + limit]
        body: dict[str, Any] = {"type": "list", "items": page}
        if start + limit < len(chosen):
            body["next_cursor"] = _cursor_after(page[-1])
        return _json(body)

    # --- checkout ----------------------------------------------------------------------------
    def _payment_or_404(self, payment_id: str) -> dict:
        payment = self.payments.get(payment_id)
        if payment is None:
            raise NotFound()
        return payment

    def checkout_page(self, request: Request, payment_id: str) -> Response:
        with self._lock:
            payment = dict(self._payment_or_404(payment_id))
        notify = "?notify=0" if request.args.get("notify") == "0" else ""
        amount = payment["amount"]
        value = f"{Decimal(amount['value']):,.2f}".replace(",", " ").replace(".", ",")
        reasons = "".join(f'<option value="{code}">{html.escape(text)}</option>'
                          for code, text in CANCELLATION_REASONS.items())
        settled = payment["status"] != "pending"
        state = ("" if not settled else
                 f'<p class="done" data-testid="sandbox-status">Платёж уже обработан: '
                 f'{html.escape(payment["status"])}.</p>')
        page = f"""<!doctype html>
<html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ЮKassa (песочница) — оплата</title>
<style>
body {{font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0;}}
main {{max-width: 26rem; margin: 3rem auto; background: #fff; border-radius: 16px;
      padding: 2rem; box-shadow: 0 4px 24px rgba(0,0,0,.08);}}
.sum {{font-size: 2rem; font-weight: 700; margin: .5rem 0 1rem;}}
.note {{color: #666; font-size: .9rem;}}
button {{width: 100%; padding: .9rem; border: 0; border-radius: 10px; font-size: 1rem;
        cursor: pointer; margin-top: .75rem;}}
#pay {{background: #0070f0; color: #fff;}}
#decline {{background: #eee; color: #222;}}
select {{width: 100%; padding: .6rem; margin-top: .75rem;}}
</style></head>
<body><main>
<p class="note">Тестовая оплата · ЮKassa (песочница) · магазин {html.escape(self.config.shop_id)}</p>
<h1>Оплата заказа</h1>
<p>{html.escape(payment.get("description") or "")}</p>
<div class="sum" data-testid="sandbox-amount">{value} ₽</div>
{state}
<form method="post" action="{payment_id}/pay{notify}">
  <button id="pay" type="submit" data-testid="sandbox-pay" {"disabled" if settled else ""}>
    Оплатить {value} ₽</button>
</form>
<form method="post" action="{payment_id}/decline{notify}">
  <select name="reason" aria-label="Причина отказа">{reasons}</select>
  <button id="decline" type="submit" data-testid="sandbox-decline"
    {"disabled" if settled else ""}>Отклонить платёж</button>
</form>
<p class="note">Деньги не списываются: это локальная песочница.</p>
</main></body></html>"""
        # Relative form actions resolve against /checkout/ — the page URL has no trailing
        # slash, so "id/pay" becomes /checkout/id/pay.
        return Response(page, content_type="text/html; charset=utf-8")

    def pay(self, request: Request, payment_id: str) -> Response:
        with self._lock:
            payment = self._payment_or_404(payment_id)
            if payment["status"] == "pending":
                payment.update({
                    "status": "succeeded", "paid": True, "captured_at": _now(),
                    "income_amount": {"value": _money(int(_cents(payment["amount"]["value"])
                                                          * 0.965)),
                                      "currency": payment["amount"]["currency"]},
                    "refundable": True,
                    "refunded_amount": {"value": "0.00",
                                        "currency": payment["amount"]["currency"]},
                    "payment_method": {"type": "bank_card", "id": payment_id, "saved": False,
                                       "title": "Bank card *4444",
                                       "card": {"first6": "555555", "last4": "4444",
                                                "expiry_month": "12", "expiry_year": "2030",
                                                "card_type": "MasterCard",
                                                "issuer_country": "RU"}},
                    "authorization_details": {"rrn": "603668680243", "auth_code": "000000"},
                })
                if "receipt_registration" in payment:
                    payment["receipt_registration"] = "succeeded"
                changed = True
            else:
                changed = False
            snapshot = json.loads(json.dumps(payment))
        if changed and request.args.get("notify") != "0":
            self._notify("payment.succeeded", snapshot)
        return _redirect(snapshot["confirmation"]["return_url"])

    def decline(self, request: Request, payment_id: str) -> Response:
        reason = request.form.get("reason") or request.args.get("reason") or "insufficient_funds"
        if reason not in CANCELLATION_REASONS:
            reason = "general_decline"
        with self._lock:
            payment = self._payment_or_404(payment_id)
            changed = payment["status"] == "pending"
            if changed:
                payment.update({"status": "canceled", "paid": False, "refundable": False,
                                "cancellation_details": {"party": "yoo_money",
                                                         "reason": reason}})
                if "receipt_registration" in payment:
                    payment["receipt_registration"] = "canceled"
            snapshot = json.loads(json.dumps(payment))
        if changed and request.args.get("notify") != "0":
            self._notify("payment.canceled", snapshot)
        return _redirect(snapshot["confirmation"]["return_url"])

    # --- notifications -----------------------------------------------------------------------
    def _notify(self, event: str, obj: dict) -> SentNotification:
        sent = SentNotification(event=event, object_id=obj["id"],
                                body={"type": "notification", "event": event, "object": obj})
        with self._lock:
            self.notifications.append(sent)
            if self.lose_next > 0:
                self.lose_next -= 1
                sent.lost = True
        if sent.lost:
            return sent
        if self.config.deliver == "sync":
            self._deliver(sent)
        else:
            thread = threading.Thread(target=self._deliver, args=(sent,), daemon=True,
                                      name=f"yookassa-notify-{event}")
            self._threads.append(thread)
            thread.start()
        return sent

    def _deliver(self, sent: SentNotification, attempts: int = 5) -> None:
        """POST the notification; like YooKassa, retry until the webhook answers 200 (here a
        few times with a short backoff instead of 24 h)."""
        for attempt in range(1, attempts + 1):
            sent.attempts = attempt
            try:
                answer = requests.post(self.config.webhook_url, json=sent.body, timeout=10)
                sent.status = answer.status_code
                if answer.status_code == 200:
                    return
            except requests.RequestException:
                sent.status = None
            time.sleep(0.2 * attempt)

    def wait_for_deliveries(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))

    # --- test hooks --------------------------------------------------------------------------
    def list_notifications(self, request: Request) -> Response:
        with self._lock:
            items = [{"event": n.event, "object_id": n.object_id, "status": n.status,
                      "attempts": n.attempts, "lost": n.lost} for n in self.notifications]
        return _json({"items": items})

    def lose_notifications(self, request: Request) -> Response:
        """The next ``count`` notifications are lost on the way: every redelivery of them
        failed (the sweeps' tests)."""
        body = json.loads(request.get_data() or b"{}")
        with self._lock:
            self.lose_next = max(0, int(body.get("count", 1)))
        return _json({"lose_next": self.lose_next})

    def renotify(self, request: Request, payment_id: str) -> Response:
        """Send the payment's notification again (or a given event) — replays and duplicates."""
        with self._lock:
            payment = json.loads(json.dumps(self._payment_or_404(payment_id)))
        default = {"succeeded": "payment.succeeded", "canceled": "payment.canceled"}.get(
            payment["status"], "payment.waiting_for_capture")
        event = request.args.get("event") or default
        self._notify(event, payment)
        return _json({"event": event, "object_id": payment_id})

    def faults(self, request: Request) -> Response:
        body = json.loads(request.get_data() or b"{}")
        with self._lock:
            self.fail_next[:] = [int(body.get("status", 500))] * int(body.get("fail_next", 0))
        return _json({"fail_next": len(self.fail_next)})


def _list_time(value: str, parameter: str) -> datetime:
    """An ISO 8601 date-time with its offset (``2026-01-01T10:00:00.000Z``), as list filters
    take them; anything else is the API's 400."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ApiError(400, "invalid_request", f"{parameter} is not an ISO 8601 date-time",
                       parameter) from None
    if moment.tzinfo is None:
        raise ApiError(400, "invalid_request", f"{parameter} needs a time zone", parameter)
    return moment


def _within(refund: dict, bounds: dict[str, datetime]) -> bool:
    created = _list_time(refund["created_at"], "created_at")
    checks = {"created_at.gte": created.__ge__, "created_at.gt": created.__gt__,
              "created_at.lte": created.__le__, "created_at.lt": created.__lt__}
    return all(checks[name](moment) for name, moment in bounds.items())


def _list_limit(value: str | None) -> int:
    if value is None:
        return LIST_LIMIT_DEFAULT
    if not value.isdigit() or not 1 <= int(value) <= LIST_LIMIT_MAX:
        raise ApiError(400, "invalid_request", f"limit must be 1 to {LIST_LIMIT_MAX}", "limit")
    return int(value)


def _cursor_after(item: dict) -> str:
    return base64.urlsafe_b64encode(item["id"].encode()).decode().rstrip("=")


def _cursor_position(cursor: str | None, items: list[dict]) -> int:
    """Where the page after ``cursor`` starts in ``items``; a cursor that names no item of
    this list (made up, or given with other filters) is the API's 400."""
    if cursor is None:
        return 0
    try:
        last_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        last_id = ""
    for position, item in enumerate(items):
        if item["id"] == last_id:
            return position + 1
    raise ApiError(400, "invalid_request", "cursor is invalid", "cursor")


def _redirect(url: str) -> Response:
    return Response("", status=303, headers={"Location": url})


def _is_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _amount(value: Any, parameter: str) -> dict:
    if not isinstance(value, dict):
        raise ApiError(400, "invalid_request", f"{parameter} is required", parameter)
    raw, currency = value.get("value"), value.get("currency")
    if not isinstance(raw, (str, int, float)) or not _AMOUNT.match(str(raw)):
        raise ApiError(400, "invalid_request", f"{parameter}.value is invalid",
                       f"{parameter}.value")
    try:
        cents = _cents(str(raw))
    except InvalidOperation:
        raise ApiError(400, "invalid_request", f"{parameter}.value is invalid",
                       f"{parameter}.value") from None
    if cents <= 0:
        raise ApiError(400, "invalid_request", f"{parameter}.value must be positive",
                       f"{parameter}.value")
    if currency != "RUB":
        raise ApiError(400, "invalid_request", "Only RUB is enabled for this test shop",
                       f"{parameter}.currency")
    return {"value": _money(cents), "currency": currency}


def _check_receipt(receipt: Any, amount: dict) -> None:
    def bad(parameter: str, description: str):
        raise ApiError(400, "invalid_request", description, parameter)

    if not isinstance(receipt, dict):
        bad("receipt", "Receipt is missing or illegal: this shop sends 54-FZ receipts")
    customer = receipt.get("customer") or {}
    if not (customer.get("email") or customer.get("phone")):
        bad("receipt.customer", "Receipt customer needs an email or a phone")
    items = receipt.get("items")
    if not isinstance(items, list) or not items or len(items) > 100:
        bad("receipt.items", "Receipt needs 1 to 100 items")
    total = 0
    for index, item in enumerate(items):
        prefix = f"receipt.items[{index}]"
        if not isinstance(item, dict) or not item.get("description"):
            bad(f"{prefix}.description", "Item description is required")
        if len(str(item["description"])) > 128:
            bad(f"{prefix}.description", "Item description must be at most 128 characters")
        try:
            quantity = Decimal(str(item.get("quantity")))
        except InvalidOperation:
            bad(f"{prefix}.quantity", "Item quantity is invalid")
        item_amount = _amount(item.get("amount"), f"{prefix}.amount")
        if item.get("vat_code") not in VAT_CODES:
            bad(f"{prefix}.vat_code", "Item vat_code is invalid")
        if item.get("payment_subject") not in PAYMENT_SUBJECTS:
            bad(f"{prefix}.payment_subject", "Item payment_subject is invalid")
        if item.get("payment_mode") not in PAYMENT_MODES:
            bad(f"{prefix}.payment_mode", "Item payment_mode is invalid")
        total += int(_cents(item_amount["value"]) * quantity)
    if total != _cents(amount["value"]):
        bad("receipt.items", "The sum of receipt items differs from the payment amount")


# The WSGI app the local stack mounts (``SANDBOXES["yookassa"] = "infra.sandboxes.yookassa:app"``).
app = YooKassaSandbox()
