"""Telegram Stars orders: packages bought inside the bot (Telegram requires Stars for digital
goods sold in bots; the web sells through YooKassa).

An order is created when the person picks a package (``provider="stars"``, ``currency="XTR"``,
``amount_stars`` = the package's ``stars_price``, ``amount_kopecks = 0`` because no roubles
are paid — kopecks always mean roubles, so revenue totals stay true). The invoice payload is
the order id. ``pre_checkout_query`` is answered from ``check_pre_checkout``; only
``successful_payment`` credits, through ``credit_stars_payment``:

- one transaction (``payments.crediting.credit_order_once``): balance += photoshoots, ledger
  ``purchase#<order_id>`` (``attribute_not_exists``), and the order's conditional move
  pending → paid with ``payment_id`` = ``telegram_payment_charge_id``;
- a repeated or replayed ``successful_payment`` finds the ledger entry (or the order paid
  with the same charge id) and changes nothing;
- a *second* charge for an order that is already paid, or a charge that does not match its
  order, is refunded to the buyer with ``refundStarPayment`` — Stars are never kept for
  nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

from photoshoot import analytics, catalogue
from photoshoot.errors import NotFound, ValidationFailed
from photoshoot.models import Order
from photoshoot.payments.crediting import credit_order_once
from photoshoot.payments.review import flag_for_review
from photoshoot.models.base import utc_now_iso
from photoshoot.observability import logger

PROVIDER = "stars"
CURRENCY = "XTR"
# A late successful_payment still credits an order the payments sweep expired (the person
# paid; Telegram took the Stars), never a cancelled or refunded one.
_PAYABLE = ("pending", "expired")

# Outcomes of credit_stars_payment (also logged).
CREDITED = "credited"
DUPLICATE = "duplicate"
REFUND_SECOND_CHARGE = "second_charge"
REFUND_MISMATCH = "mismatch"
REFUND_UNKNOWN_ORDER = "unknown_order"
REFUND_BUYER_MISSING = "user_missing"  # the account was removed between invoice and payment
NEEDS_REFUND = (REFUND_SECOND_CHARGE, REFUND_MISMATCH, REFUND_UNKNOWN_ORDER,
                REFUND_BUYER_MISSING)


class PackageNotForStars(NotFound):
    code = "package_not_for_stars"
    message = "Этот пакет сейчас нельзя купить за Telegram Stars. Выберите другой."


@dataclass(frozen=True)
class StarsInvoice:
    order_id: str
    title: str
    description: str
    stars: int
    photoshoots: int


@dataclass(frozen=True)
class StarsPayment:
    """The ``successful_payment`` object of a message, and who sent it."""

    user_id: str
    order_id: str
    currency: str
    total_amount: int
    charge_id: str

    @classmethod
    def from_message(cls, message: dict) -> "StarsPayment":
        payment = message.get("successful_payment") or {}
        sender = message.get("from") or {}
        try:
            total = int(payment.get("total_amount"))
        except (TypeError, ValueError):
            total = -1
        return cls(user_id=str(sender.get("id") or ""),
                   order_id=str(payment.get("invoice_payload") or ""),
                   currency=str(payment.get("currency") or ""), total_amount=total,
                   charge_id=str(payment.get("telegram_payment_charge_id") or ""))


@dataclass(frozen=True)
class CreditResult:
    outcome: str
    order: Order | None = None

    @property
    def needs_refund(self) -> bool:
        return self.outcome in NEEDS_REFUND


def stars_packages() -> list[dict]:
    """Active packages that have a price in Stars, in catalogue order."""
    return [p for p in catalogue.list_packages() if p.get("stars_price")]


# A second tap on a package within this time gets the invoice of the first (the same order
# id as payload): paying one invoice then makes pre-checkout refuse the other.
REUSE_PENDING_S = 15 * 60


def create_stars_order(user_id: str, package_id: str) -> StarsInvoice:
    """The pending Stars order for the package (the person's recent one of the same package
    if there is one); its id is the invoice payload."""
    if not isinstance(package_id, str) or not package_id:
        raise ValidationFailed("Выберите пакет.")
    package = catalogue.get_package(package_id)
    if not package.active or not package.stars_price or int(package.stars_price) < 1:
        raise PackageNotForStars()
    order = _recent_pending_order(str(user_id), package) or _new_order(str(user_id), package)
    return _invoice(order)


def _reusable(order: Order | None, user_id: str, package) -> bool:
    return (order is not None and order.status == "pending" and order.provider == PROVIDER
            and order.user_id == user_id and order.package_id == package.package_id
            and int(order.amount_stars or 0) == int(package.stars_price))


def _recent_pending_order(user_id: str, package) -> Order | None:
    from datetime import datetime, timedelta, timezone  # noqa: PLC0415

    since = (datetime.now(timezone.utc) - timedelta(seconds=REUSE_PENDING_S)).isoformat(
        timespec="milliseconds").replace("+00:00", "Z")
    for order in Order.user_orders_index.query(user_id, Order.created_at >= since,
                                               scan_index_forward=False):
        current = _order(order.order_id) if _reusable(order, user_id, package) else None
        if _reusable(current, user_id, package):  # the index may lag behind the table
            return current
    return None


def _window_order_id(user_id: str, package_id: str) -> str:
    """The same id for every tap on this package in this time window: two taps at once
    (before the index shows either order) race on one conditional put."""
    import hashlib  # noqa: PLC0415
    import time  # noqa: PLC0415

    from ulid import ULID  # noqa: PLC0415

    window = int(time.time() // REUSE_PENDING_S)
    digest = hashlib.sha256(f"stars:{user_id}:{package_id}:{window}".encode()).digest()
    return str(ULID.from_bytes((window * REUSE_PENDING_S * 1000).to_bytes(6, "big")
                               + digest[:10]))


def _new_order(user_id: str, package) -> Order:
    from pynamodb.exceptions import PutError  # noqa: PLC0415
    from ulid import ULID  # noqa: PLC0415

    stars, photoshoots = int(package.stars_price), int(package.photoshoots)
    for order_id in (_window_order_id(user_id, package.package_id), str(ULID())):
        order = Order(order_id, user_id=user_id, package_id=package.package_id,
                      package_title=package.title, photoshoots=photoshoots, amount_kopecks=0,
                      amount_stars=stars, currency=CURRENCY, provider=PROVIDER,
                      status="pending", source="bot", created_at=utc_now_iso())
        try:
            order.save(condition=Order.order_id.does_not_exist())
        except PutError as error:
            if getattr(error, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise
            existing = _order(order_id)
            if _reusable(existing, user_id, package):
                return existing  # the other tap's order
            continue  # this window's order is paid or expired: a fresh one
        analytics.record("payment_start", user_id)
        logger.info("stars order created", extra={"order_id": order_id, "stars": stars,
                                                  "package_id": package.package_id})
        return order
    raise RuntimeError("no stars order id left")  # pragma: no cover - a random ULID is free


def _invoice(order: Order) -> StarsInvoice:
    from photoshoot.telegram.commands import photoshoots as phrase  # noqa: PLC0415

    title = order.package_title or order.package_id
    count = int(order.photoshoots)
    return StarsInvoice(order_id=order.order_id, title=f"Пакет «{title}»"[:32],
                        description=(f"{phrase(count)} Photoshoot: студийные фото "
                                     f"товаров для маркетплейсов.")[:255],
                        stars=int(order.amount_stars), photoshoots=count)


def _order(order_id: str) -> Order | None:
    if not order_id:
        return None
    try:
        return Order.get(order_id, consistent_read=True)
    except Order.DoesNotExist:
        return None


def _matches(order: Order, user_id: str, currency: str, total_amount: int) -> bool:
    return (order.provider == PROVIDER and order.user_id == str(user_id)
            and currency == CURRENCY and order.amount_stars is not None
            and int(order.amount_stars) == int(total_amount))


def check_pre_checkout(query: dict) -> str | None:
    """``None`` if Telegram may take the Stars for this query, else the Russian reason."""
    order = _order(str(query.get("invoice_payload") or ""))
    sender = str((query.get("from") or {}).get("id") or "")
    try:
        total = int(query.get("total_amount"))
    except (TypeError, ValueError):
        total = -1
    if order is None or order.provider != PROVIDER or order.user_id != sender:
        return "Этот счёт не найден. Откройте /buy и выберите пакет ещё раз."
    if order.status == "paid":
        return "Этот счёт уже оплачен — фотосессии на балансе. Проверьте /balance."
    if order.status != "pending":
        return "Счёт устарел. Откройте /buy и выберите пакет ещё раз."
    if not _matches(order, sender, str(query.get("currency") or ""), total):
        return "Сумма счёта не совпадает с заказом. Откройте /buy и выберите пакет ещё раз."
    return None


def credit_stars_payment(payment: StarsPayment) -> CreditResult:
    """Credit the order of this payment exactly once per order and charge id."""
    order = _order(payment.order_id)
    if order is None or order.provider != PROVIDER:
        logger.error("stars payment for an unknown order",
                     extra={"order_id": payment.order_id, "flag": "unknown_order"})
        return CreditResult(REFUND_UNKNOWN_ORDER)
    if order.payment_id == payment.charge_id and order.status == "paid":
        # idempotent: repairs a first payment whose count a crash after the credit lost
        analytics.record_first_payment(order.user_id, order.order_id)
        return CreditResult(DUPLICATE, order)
    if not _matches(order, payment.user_id, payment.currency, payment.total_amount):
        _flag(order, "amount_mismatch", payment)
        return CreditResult(REFUND_MISMATCH, order)
    if order.status not in _PAYABLE:
        return _already_settled(order, payment)

    photoshoots = int(order.photoshoots)
    try:
        applied = credit_order_once(order, payable=_PAYABLE, payment_id=payment.charge_id,
                                    note=f"stars {payment.charge_id}")
    except NotFound:  # no account to credit: the Stars go back (a 5xx would be redelivered)
        _flag(order, REFUND_BUYER_MISSING, payment)
        return CreditResult(REFUND_BUYER_MISSING, order)
    if not applied:
        return _already_settled(_order(order.order_id) or order, payment)
    logger.info("stars order paid", extra={"order_id": order.order_id,
                                           "photoshoots": photoshoots,
                                           "stars": int(order.amount_stars)})
    analytics.record("payment_success", order.user_id, revenue_kopecks=0)
    analytics.record_first_payment(order.user_id, order.order_id)  # paying in Stars is paying
    return CreditResult(CREDITED, _order(order.order_id) or order)


def _already_settled(order: Order, payment: StarsPayment) -> CreditResult:
    """The order is not payable (any more): the same charge again is a duplicate; another
    charge for it must go back to the buyer."""
    if order.payment_id == payment.charge_id:
        return CreditResult(DUPLICATE, order)
    _flag(order, "second_charge", payment)
    return CreditResult(REFUND_SECOND_CHARGE, order)


def _flag(order: Order, flag: str, payment: StarsPayment) -> None:
    logger.error("stars order flagged for review",
                 extra={"order_id": order.order_id, "flag": flag,
                        "stars": payment.total_amount, "currency": payment.currency})
    try:
        flag_for_review(order, flag)  # beside any earlier flag: none is ever replaced
    except Exception:  # noqa: BLE001 - the flag is for people; the refund still happens
        logger.warning("stars order flag not stored", extra={"order_id": order.order_id})
