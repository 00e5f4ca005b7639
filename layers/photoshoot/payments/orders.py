"""Orders: buying a package starts here (order → YooKassa payment → confirmation URL), and a
user reads only their own orders."""
from __future__ import annotations

import re

from photoshoot import catalogue
from photoshoot.errors import BadRequest, NotFound
from photoshoot.models import Order, User
from photoshoot.payments import checkout
from photoshoot.settings import get_settings

STATUSES = ("pending", "paid", "cancelled", "refunded", "expired")
# Every order id is a ULID (web and Stars orders alike): Crockford base32, 26 characters.
_ULID = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}")
# Package ids are short slugs (the admin allows 24 characters); anything far longer is
# unknown without asking DynamoDB.
MAX_PACKAGE_ID_LENGTH = 64


class OrderNotFound(NotFound):
    message = "Заказ не найден."


class EmailRequired(BadRequest):
    """54-FZ: the receipt goes to the buyer's e-mail, so we need one before paying."""
    code = "email_required"
    message = "Укажите e-mail: на него придёт чек об оплате."


def _plural_photoshoots(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return "фотосессия"
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return "фотосессии"
    return "фотосессий"


def photoshoots_phrase(count: int) -> str:
    return f"{count} {_plural_photoshoots(count)}"


def start_payment(user_id: str, package_id: str) -> dict:
    """The pending order for the package and its YooKassa payment: a recent one of this
    user is answered again, so double clicks, two tabs and concurrent requests end with one
    order and one payment (``checkout``).

    Returns ``{order_id, confirmation_url}``; raises ``EmailRequired`` when receipts are on
    and the user has no e-mail, ``NotFound`` for an unknown package, ``RateLimited`` past
    ``payments_per_10_min`` new orders.
    """
    settings = get_settings()
    if not isinstance(package_id, str) or not package_id:
        raise BadRequest("Выберите пакет.")
    if len(package_id) > MAX_PACKAGE_ID_LENGTH:  # DynamoDB refuses keys over 2048 bytes: 500
        raise NotFound("Такого пакета нет. Выберите пакет из списка.")
    package = catalogue.get_package(package_id)
    try:
        user = User.get(user_id)
    except User.DoesNotExist:
        raise NotFound("Пользователь не найден.") from None
    email = (user.email or "").strip() or None
    if settings.receipts_enabled and not email:
        raise EmailRequired()
    return checkout.start_checkout(user_id, package, email)


def order_to_dict(order: Order) -> dict:
    return {
        "order_id": order.order_id,
        "package_id": order.package_id,
        "package_title": order.package_title,
        "photoshoots": int(order.photoshoots),
        "amount_kopecks": int(order.amount_kopecks),
        "amount_stars": int(order.amount_stars) if order.amount_stars is not None else None,
        "currency": order.currency,
        "status": order.status,
        "cancellation_reason": order.cancellation_reason,
        "created_at": order.created_at,
        "paid_at": order.paid_at,
    }


def check_order_id(order_id: object) -> str:
    """The canonical (upper-case) ULID, or ``OrderNotFound`` for anything that can't be one
    — before DynamoDB sees it: it refuses keys over 2048 bytes with a ValidationException,
    which would be a 500. Lower case is accepted like generation and upload ids."""
    normalised = order_id.strip().upper() if isinstance(order_id, str) else ""
    if _ULID.fullmatch(normalised) is None:
        raise OrderNotFound()
    return normalised


def get_order(user_id: str, order_id: str) -> dict:
    """One order of this user; another user's order is 404, exactly like a missing one."""
    order_id = check_order_id(order_id)
    try:
        order = Order.get(order_id, consistent_read=True)
    except Order.DoesNotExist:
        order = None
    if order is None or order.user_id != user_id:
        raise OrderNotFound()
    return order_to_dict(order)


def list_orders(user_id: str, limit: int = 100) -> list[dict]:
    """The user's orders, newest first."""
    return [order_to_dict(o) for o in
            Order.user_orders_index.query(user_id, scan_index_forward=False, limit=limit)]
