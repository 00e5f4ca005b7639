"""Web checkout: one pending order — and one YooKassa payment — per person and package at a
time, however many clicks, tabs or scripts ask for it.

A recent pending order of the same package is answered again (its stored confirmation URL)
instead of creating another. Requests that arrive together cannot see each other's order in
the index yet, so a new order's id is not random but a *checkout slot*: a ULID derived from
(user, package, 15-minute window, n). Every concurrent request tries the same id with a
conditional put; one wins and creates the payment, the others read that order and wait for
its confirmation URL. A slot whose order is paid, cancelled, or priced or sized differently
(the admin edited the package meanwhile) is skipped for the next n, so a second purchase in
the same window is race-safe too.

The payment's Idempotence-Key is derived from the order id (``gateway``), so whoever calls
``create_payment`` for an order — the winner, or a later request taking over from a winner
that died before storing the URL — gets the same YooKassa payment.

Only new orders count against ``payments_per_10_min``: the winner counts after taking its
slot and, over the limit, deletes the order before any payment exists.
"""
from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta, timezone

from pynamodb.exceptions import DeleteError, PutError, UpdateError
from ulid import ULID

from photoshoot import analytics, ratelimit
from photoshoot.errors import PaymentProviderError, RateLimited
from photoshoot.models import Order
from photoshoot.models.base import utc_now_iso
from photoshoot.observability import logger
from photoshoot.payments import gateway
from photoshoot.payments.reasons import cancellation_text
from photoshoot.settings import get_settings

PROVIDER = "yookassa"
REUSE_WINDOW_S = 15 * 60
RATE_WINDOW_S = 10 * 60
# More slots than the rate limit lets one person fill in a window; past them a request is
# refused like any other over the limit.
MAX_SLOTS = 32
POLL_S = 0.1
# Longest a request waits for another request's payment before creating it itself (same
# Idempotence-Key, so the same payment): inside API Gateway's 29 s.
MAX_WAIT_S = 20.0


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def _since(seconds: float) -> str:
    return _iso(datetime.now(timezone.utc) - timedelta(seconds=seconds))


def creation_budget_s() -> float:
    """How long creating one payment may take (every attempt timing out, plus backoff), at
    most ``MAX_WAIT_S``: an order pending without a URL for longer lost the request that was
    creating it, or that request is slow — either way creating it again under the same
    Idempotence-Key yields the same payment."""
    settings = get_settings()
    return min(MAX_WAIT_S, max(1, settings.yookassa_attempts) * (settings.yookassa_timeout_s + 2))


def slot_order_id(user_id: str, package_id: str, window: int, n: int) -> str:
    """The order id every request of this user for this package in this window agrees on.
    Time part = window start, so it still sorts like the random ULIDs around it."""
    digest = hashlib.sha256(f"web:{user_id}:{package_id}:{window}:{n}".encode()).digest()
    return str(ULID.from_bytes((window * REUSE_WINDOW_S * 1000).to_bytes(6, "big")
                               + digest[:10]))


def _same_purchase(order: Order | None, user_id: str, package) -> bool:
    return (order is not None and order.provider == PROVIDER and order.user_id == user_id
            and order.package_id == package.package_id
            and int(order.amount_kopecks) == int(package.price_kopecks)
            and int(order.photoshoots) == int(package.photoshoots)
            and order.created_at >= _since(REUSE_WINDOW_S))


def _payable(order: Order | None, user_id: str, package) -> bool:
    """Answerable again: pending, recent, same price, and its payment page exists."""
    return (_same_purchase(order, user_id, package) and order.status == "pending"
            and bool(order.payment_id) and bool(order.confirmation_url))


def _answer(order: Order) -> dict:
    return {"order_id": order.order_id, "confirmation_url": order.confirmation_url}


def _load(order_id: str) -> Order | None:
    try:
        return Order.get(order_id, consistent_read=True)
    except Order.DoesNotExist:
        return None


def _conditional_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def recent_payable_order(user_id: str, package) -> Order | None:
    """The newest pending order of this package from the last 15 minutes with a payment page
    (the index may lag behind the table: each candidate is re-read consistently)."""
    for order in Order.user_orders_index.query(user_id, Order.created_at >= _since(REUSE_WINDOW_S),
                                               scan_index_forward=False):
        if _payable(order, user_id, package):
            current = _load(order.order_id)
            if _payable(current, user_id, package):
                return current
    return None


def start_checkout(user_id: str, package, email: str | None) -> dict:
    """``{order_id, confirmation_url}`` of this person's pending order of ``package``: the
    recent one, or a new one (with its YooKassa payment) when there is none."""
    recent = recent_payable_order(user_id, package)
    if recent is not None:
        logger.info("pending order answered again", extra={"order_id": recent.order_id})
        return _answer(recent)
    window = int(time.time() // REUSE_WINDOW_S)
    n = vanished = 0
    while n < MAX_SLOTS:
        order_id = slot_order_id(user_id, package.package_id, window, n)
        order = _new_order(order_id, user_id, package)
        try:
            order.save(condition=Order.order_id.does_not_exist())
        except PutError as error:
            if not _conditional_failed(error):
                raise
            outcome = _join(order_id, user_id, package, email)
            if isinstance(outcome, dict):
                return outcome
            if outcome == "vanished" and vanished < 3:
                vanished += 1  # deleted over the limit a moment ago: the slot is free again
            else:
                n += 1  # paid, cancelled, expired or another price: the next slot
            continue
        return _create(order, user_id, email)
    raise RateLimited(_limit_message())


def _new_order(order_id: str, user_id: str, package) -> Order:
    return Order(order_id, user_id=user_id, package_id=package.package_id,
                 package_title=package.title, photoshoots=int(package.photoshoots),
                 amount_kopecks=int(package.price_kopecks), currency="RUB",
                 provider=PROVIDER, status="pending", source="web", created_at=utc_now_iso())


def _limit_message() -> str:
    limit = get_settings().payments_per_10_min
    word = "попытки" if limit % 10 == 1 and limit % 100 != 11 else "попыток"
    return (f"Не больше {limit} {word} оплаты за 10 минут. "
            "Подождите немного и попробуйте снова.")


def _create(order: Order, user_id: str, email: str | None) -> dict:
    """We won the slot: count it, then create the payment."""
    settings = get_settings()
    try:
        ratelimit.hit("payment", user_id, settings.payments_per_10_min, RATE_WINDOW_S,
                      message=_limit_message())
    except RateLimited:
        # No payment exists yet; remove the order so it neither lingers in the history nor
        # blocks the slot. Requests waiting on it see it vanish and try the slot themselves.
        try:
            order.delete(condition=(Order.status == "pending")
                         & Order.payment_id.does_not_exist())
        except DeleteError as error:
            if not _conditional_failed(error):
                raise
        raise
    analytics.record("payment_start", user_id)
    return _create_payment(order, email)


def _payment_request(order: Order, email: str | None) -> gateway.PaymentRequest:
    """Built from the stored order only, so a request taking over sends YooKassa the same
    body under the same Idempotence-Key (a different body would be refused)."""
    settings = get_settings()
    from photoshoot.payments.orders import photoshoots_phrase  # noqa: PLC0415 - cycle

    title = (f"пакет «{order.package_title or order.package_id}», "
             f"{photoshoots_phrase(int(order.photoshoots))}")
    return gateway.PaymentRequest(
        order_id=order.order_id, user_id=order.user_id,
        amount_kopecks=int(order.amount_kopecks), currency=order.currency,
        description=f"Photoshoot: {title}, заказ {order.order_id}",
        return_url=(f"{settings.public_base_url.rstrip('/')}/payment/result"
                    f"?order={order.order_id}"),
        receipt_item=f"Фотосессии Photoshoot: {title}",
        customer_email=email if settings.receipts_enabled else None)


def _create_payment(order: Order, email: str | None) -> dict:
    try:
        payment = gateway.create_payment(_payment_request(order, email))
    except PaymentProviderError:
        # The user never got a confirmation URL, so nothing can be paid for this order —
        # unless a request that took over attached the payment meanwhile (then answer it).
        try:
            order.update(actions=[Order.status.set("cancelled"),
                                  Order.cancellation_code.set("payment_not_created"),
                                  Order.cancellation_reason.set(
                                      cancellation_text("payment_not_created")),
                                  Order.updated_at.set(utc_now_iso())],
                         condition=(Order.status == "pending")
                         & Order.payment_id.does_not_exist())
        except UpdateError as error:
            current = _load(order.order_id) if _conditional_failed(error) else None
            if current is not None and current.status == "pending" and current.confirmation_url:
                return _answer(current)
            raise PaymentProviderError() from None
        raise
    try:
        # Only onto a pending order without another payment: a failed request may have
        # cancelled it meanwhile, and the URL of a cancelled order must not be handed out.
        order.update(actions=[Order.payment_id.set(payment.payment_id),
                              Order.confirmation_url.set(payment.confirmation_url),
                              Order.updated_at.set(utc_now_iso())],
                     condition=(Order.status == "pending")
                     & (Order.payment_id.does_not_exist()
                        | (Order.payment_id == payment.payment_id)))
    except UpdateError as error:
        if not _conditional_failed(error):
            raise
        logger.warning("payment created for a closed order",
                       extra={"order_id": order.order_id, "payment_id": payment.payment_id})
        raise PaymentProviderError() from None
    logger.info("payment created", extra={"order_id": order.order_id,
                                           "payment_id": payment.payment_id,
                                           "amount_kopecks": int(order.amount_kopecks)})
    return {"order_id": order.order_id, "confirmation_url": payment.confirmation_url}


def _join(order_id: str, user_id: str, package, email: str | None) -> dict | str:
    """Another request holds this slot: its answer, once it has one; ``"vanished"`` when
    the order was deleted (over the limit), ``"other"`` when the slot can't be reused.
    Its payment failing while we wait fails this request the same way."""
    deadline = time.monotonic() + creation_budget_s()
    seen_in_flight = False
    while True:
        order = _load(order_id)
        if order is None:
            return "vanished"
        if _payable(order, user_id, package):
            return _answer(order)
        if not _same_purchase(order, user_id, package) or order.status != "pending":
            if seen_in_flight and order.cancellation_code == "payment_not_created":
                raise PaymentProviderError()
            return "other"
        # Pending without a payment page: its request is creating the payment right now,
        # or died doing so (then nobody else will finish it).
        seen_in_flight = True
        if order.created_at < _since(creation_budget_s()) or time.monotonic() >= deadline:
            logger.warning("taking over payment creation", extra={"order_id": order_id})
            return _create_payment(order, email)
        time.sleep(POLL_S)
