"""The YooKassa adapter: the only module that talks to the payment API, through the official
``yookassa`` SDK (imported lazily: it pulls ``requests`` and costs ~200 ms of cold start).

- The SDK is pointed at ``settings.yookassa_api_base`` with its own
  ``Configuration.configure(..., api_url=...)``: the real API in production, the local
  sandbox (``infra/sandboxes/yookassa.py``) on a laptop; no other code differs.
- Every state-changing call carries an ``Idempotence-Key`` derived from the order, so a
  retried call (5xx, timeout, 202 "try again") can never create a second payment or refund.
- The SDK's transport has no request timeout and turns a connection error into an
  ``AttributeError``; :class:`_TimedApiClient` keeps the SDK's request objects, validation,
  auth and response models and replaces only the HTTP call (timeout + typed errors).
- Callers get plain immutable snapshots (:class:`PaymentState`, :class:`RefundState`) in
  integer kopecks; failures are :class:`~photoshoot.errors.PaymentProviderError`.
"""
from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, TypeVar

from photoshoot.errors import PaymentProviderError
from photoshoot.observability import logger
from photoshoot.settings import get_settings

T = TypeVar("T")

IDEMPOTENCE_KEY_MAX = 64
DESCRIPTION_MAX = 128


class PaymentNotFound(PaymentProviderError):
    """The API does not know this payment or refund (e.g. a forged notification)."""
    status = 404
    code = "payment_not_found"
    message = "Платёж не найден."


class _Transient(Exception):
    """A failure a retry with the same Idempotence-Key may fix (5xx, 202, 429, network)."""


@dataclass(frozen=True)
class PaymentState:
    """What the API says about a payment — the only thing the webhook acts on."""
    payment_id: str
    status: str  # pending | waiting_for_capture | succeeded | canceled
    paid: bool
    amount_kopecks: int
    currency: str
    metadata: dict = field(default_factory=dict)
    confirmation_url: str | None = None
    cancellation_party: str | None = None
    cancellation_reason: str | None = None
    refunded_kopecks: int = 0


@dataclass(frozen=True)
class RefundState:
    refund_id: str
    payment_id: str
    status: str  # pending | succeeded | canceled
    amount_kopecks: int
    currency: str


def kopecks_to_value(kopecks: int) -> str:
    """``79900`` → ``"799.00"`` (the API's decimal string; never a float)."""
    if kopecks < 0:
        raise ValueError("negative amount")
    rubles, rest = divmod(int(kopecks), 100)
    return f"{rubles}.{rest:02d}"


def value_to_kopecks(value: Any) -> int:
    """``"799.00"`` / ``Decimal('799.00')`` → ``79900``; refuses fractions of a kopeck."""
    amount = Decimal(str(value)) * 100
    if amount != amount.to_integral_value():
        raise ValueError(f"amount {value!r} has fractions of a kopeck")
    return int(amount)


def payment_idempotence_key(order_id: str) -> str:
    key = f"photoshoot-order-{order_id}"
    assert len(key) <= IDEMPOTENCE_KEY_MAX
    return key


def refund_idempotence_key(order_id: str) -> str:
    key = f"photoshoot-refund-{order_id}"
    assert len(key) <= IDEMPOTENCE_KEY_MAX
    return key


# --- SDK plumbing ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _sdk():
    """Import the SDK once, on first use, and build its subclasses with our transport."""
    import requests  # noqa: PLC0415 - heavy, only where a payment call happens
    from yookassa import Configuration, Payment, Refund  # noqa: PLC0415
    from yookassa.client import ApiClient  # noqa: PLC0415
    from yookassa.domain.common import RequestObject  # noqa: PLC0415

    class TimedApiClient(ApiClient):
        """The SDK's client with a request timeout and errors we can classify."""

        def request(self, method="", path="", query_params=None, headers=None, body=None):
            if isinstance(body, RequestObject):
                body.validate()
                body = dict(body)
            request_headers = self.prepare_request_headers(headers)
            settings = get_settings()
            try:
                response = requests.request(
                    str(method).upper(), self.endpoint + path, params=query_params,
                    headers=request_headers, json=body, verify=self.configuration.verify,
                    timeout=(min(3.05, settings.yookassa_timeout_s), settings.yookassa_timeout_s))
            except requests.RequestException as error:
                raise _Transient(type(error).__name__) from None
            status = response.status_code
            if status == 200:
                return response.json()
            if status >= 500 or status in (202, 429):
                raise _Transient(f"HTTP {status}")
            error_code = _error_code(response)
            if status == 404:
                raise PaymentNotFound(details={"provider_code": error_code})
            logger.error("yookassa refused the request",
                         extra={"http_status": status, "provider_code": error_code,
                                "path": path})
            raise PaymentProviderError(details={"provider_code": error_code})

    class TimedPayment(Payment):
        def __init__(self):  # noqa: D401 - same as Payment, with our client
            self.client = TimedApiClient()

    class TimedRefund(Refund):
        def __init__(self):
            self.client = TimedApiClient()

    return Configuration, TimedPayment, TimedRefund


def _error_code(response) -> str:
    try:
        return str(response.json().get("code") or "")
    except ValueError:
        return ""


def _configured():
    configuration, payment, refund = _sdk()
    settings = get_settings()
    # No SDK logger: it would log request headers, including the Basic auth secret.
    configuration.configure(settings.yookassa_shop_id, settings.yookassa_secret_key,
                            api_url=settings.yookassa_api_base.rstrip("/"))
    return payment, refund


def _with_retries(operation: str, call: Callable[[], T]) -> T:
    """Run ``call``; transient failures are retried (the caller's Idempotence-Key is the same
    on every attempt, so the API applies the operation once)."""
    attempts = max(1, get_settings().yookassa_attempts)
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except _Transient as error:
            logger.warning("yookassa call failed", extra={"operation": operation,
                                                          "attempt": attempt,
                                                          "reason": str(error)})
            if attempt == attempts:
                raise PaymentProviderError() from None
            time.sleep(min(2.0, 0.2 * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2))
        except ValueError as error:  # the SDK's own validation of our request
            raise PaymentProviderError(details={"reason": str(error)}) from None
    raise PaymentProviderError()


# --- snapshots ------------------------------------------------------------------------------
def _payment_state(response) -> PaymentState:
    cancellation = getattr(response, "cancellation_details", None)
    confirmation = getattr(response, "confirmation", None)
    refunded = getattr(response, "refunded_amount", None)
    return PaymentState(
        payment_id=str(response.id),
        status=str(response.status),
        paid=bool(response.paid),
        amount_kopecks=value_to_kopecks(response.amount.value),
        currency=str(response.amount.currency),
        metadata=dict(response.metadata or {}),
        confirmation_url=getattr(confirmation, "confirmation_url", None),
        cancellation_party=getattr(cancellation, "party", None),
        cancellation_reason=getattr(cancellation, "reason", None),
        refunded_kopecks=value_to_kopecks(refunded.value) if refunded else 0,
    )


def _refund_state(response) -> RefundState:
    return RefundState(refund_id=str(response.id), payment_id=str(response.payment_id),
                       status=str(response.status),
                       amount_kopecks=value_to_kopecks(response.amount.value),
                       currency=str(response.amount.currency))


# --- operations -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PaymentRequest:
    order_id: str
    user_id: str
    amount_kopecks: int
    currency: str
    description: str
    return_url: str
    receipt_item: str  # what the receipt line says
    customer_email: str | None = None  # a receipt is sent only when this is set


def payment_params(request: PaymentRequest) -> dict:
    """The body of ``POST /v3/payments`` for an order (with a 54-FZ receipt if asked)."""
    amount = {"value": kopecks_to_value(request.amount_kopecks), "currency": request.currency}
    params: dict[str, Any] = {
        "amount": amount,
        "capture": True,
        "confirmation": {"type": "redirect", "return_url": request.return_url,
                         "locale": "ru_RU"},
        "description": request.description[:DESCRIPTION_MAX],
        "metadata": {"order_id": request.order_id, "user_id": request.user_id},
    }
    if request.customer_email:
        params["receipt"] = receipt(request.customer_email, request.receipt_item, amount)
    return params


def receipt(customer_email: str, item: str, amount: dict) -> dict:
    """A 54-FZ receipt of one line for ``amount`` (a payment's, or a refund's)."""
    settings = get_settings()
    return {
        "customer": {"email": customer_email},
        "items": [{
            "description": item[:DESCRIPTION_MAX],
            "quantity": "1.00",
            "amount": amount,
            "vat_code": settings.receipt_vat_code,
            "payment_subject": settings.receipt_payment_subject,
            "payment_mode": "full_payment",
        }],
    }


def create_payment(request: PaymentRequest) -> PaymentState:
    payment, _ = _configured()
    params = payment_params(request)
    key = payment_idempotence_key(request.order_id)
    return _with_retries("payment.create",
                         lambda: _payment_state(payment.create(params, key)))


# YooKassa's payment and refund ids: 36 characters, hex groups like a UUID. Anything else
# (a forged notification, a typo) is unknown without three retried API calls to learn it.
_OBJECT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_object_id(value: object) -> bool:
    return isinstance(value, str) and _OBJECT_ID.fullmatch(value) is not None


def fetch_payment(payment_id: str) -> PaymentState:
    payment, _ = _configured()
    if not is_object_id(payment_id):
        raise PaymentNotFound()
    return _with_retries("payment.get", lambda: _payment_state(payment.find_one(payment_id)))


def fetch_refund(refund_id: str) -> RefundState:
    _, refund = _configured()
    if not is_object_id(refund_id):
        raise PaymentNotFound()
    return _with_retries("refund.get", lambda: _refund_state(refund.find_one(refund_id)))


# The API's page size bounds (``limit``: 1 to 100).
LIST_LIMIT_MAX = 100


@dataclass(frozen=True)
class RefundPage:
    refunds: tuple[RefundState, ...]
    next_cursor: str | None  # None: the end of the list


def list_refunds(created_from: str, created_before: str, *, limit: int = LIST_LIMIT_MAX,
                 cursor: str | None = None, status: str = "succeeded") -> RefundPage:
    """One page of the shop's refunds created in ``[created_from, created_before)`` (ISO
    8601 UTC), newest first. Pass ``next_cursor`` back, with the same bounds, for the next
    page; a read, so retries need no Idempotence-Key."""
    _, refund = _configured()
    params: dict[str, Any] = {"created_at.gte": created_from, "created_at.lt": created_before,
                              "status": status, "limit": max(1, min(LIST_LIMIT_MAX, limit))}
    if cursor:
        params["cursor"] = cursor

    def page() -> RefundPage:
        response = refund.list(params)
        return RefundPage(refunds=tuple(_refund_state(item) for item in response.items or ()),
                          next_cursor=response.next_cursor or None)

    return _with_retries("refund.list", page)


def create_refund(order_id: str, payment_id: str, amount_kopecks: int,
                  currency: str = "RUB", description: str | None = None,
                  customer_email: str | None = None,
                  receipt_item: str | None = None) -> RefundState:
    """Refund (part of) a payment, once per order. A payment that had a 54-FZ receipt needs
    a refund receipt too: pass the buyer's e-mail and the line the payment's receipt had."""
    _, refund = _configured()
    amount = {"value": kopecks_to_value(amount_kopecks), "currency": currency}
    params: dict[str, Any] = {"payment_id": payment_id, "amount": amount}
    if description:
        params["description"] = description[:250]
    if customer_email:
        params["receipt"] = receipt(customer_email, receipt_item or description or "Возврат",
                                    amount)
    key = refund_idempotence_key(order_id)
    return _with_retries("refund.create", lambda: _refund_state(refund.create(params, key)))
