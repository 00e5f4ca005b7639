"""Orders: buying a package starts here (order → YooKassa payment → confirmation URL), and a
user reads only their own orders."""
from __future__ import annotations

from ulid import ULID

from photoshoot import analytics, catalogue
from photoshoot.errors import BadRequest, NotFound, PaymentProviderError
from photoshoot.models import Order, User
from photoshoot.models.base import utc_now_iso
from photoshoot.observability import logger
from photoshoot.payments import gateway
from photoshoot.payments.reasons import cancellation_text
from photoshoot.settings import get_settings

STATUSES = ("pending", "paid", "cancelled", "refunded", "expired")


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
    """Create a pending order for the package and its YooKassa payment.

    Returns ``{order_id, confirmation_url}``; raises ``EmailRequired`` when receipts are on
    and the user has no e-mail, ``NotFound`` for an unknown package.
    """
    settings = get_settings()
    if not isinstance(package_id, str) or not package_id:
        raise BadRequest("Выберите пакет.")
    package = catalogue.get_package(package_id)
    try:
        user = User.get(user_id)
    except User.DoesNotExist:
        raise NotFound("Пользователь не найден.") from None
    email = (user.email or "").strip() or None
    if settings.receipts_enabled and not email:
        raise EmailRequired()

    order_id = str(ULID())
    photoshoots = int(package.photoshoots)
    order = Order(order_id, user_id=user_id, package_id=package.package_id,
                  package_title=package.title, photoshoots=photoshoots,
                  amount_kopecks=int(package.price_kopecks), currency="RUB",
                  provider="yookassa", status="pending", source="web",
                  created_at=utc_now_iso())
    order.save(condition=Order.order_id.does_not_exist())
    analytics.record("payment_start", user_id)
    title = f"пакет «{package.title}», {photoshoots_phrase(photoshoots)}"
    request = gateway.PaymentRequest(
        order_id=order_id, user_id=user_id, amount_kopecks=int(package.price_kopecks),
        currency="RUB", description=f"Photoshoot: {title}, заказ {order_id}",
        return_url=f"{settings.public_base_url.rstrip('/')}/payment/result?order={order_id}",
        receipt_item=f"Фотосессии Photoshoot: {title}",
        customer_email=email if settings.receipts_enabled else None)
    try:
        payment = gateway.create_payment(request)
    except PaymentProviderError:
        # The user never got a confirmation URL, so nothing can be paid for this order.
        order.update(actions=[Order.status.set("cancelled"),
                              Order.cancellation_code.set("payment_not_created"),
                              Order.cancellation_reason.set(
                                  cancellation_text("payment_not_created")),
                              Order.updated_at.set(utc_now_iso())],
                     condition=Order.status == "pending")
        raise
    order.update(actions=[Order.payment_id.set(payment.payment_id),
                          Order.confirmation_url.set(payment.confirmation_url),
                          Order.updated_at.set(utc_now_iso())])
    logger.info("payment created", extra={"order_id": order_id, "payment_id": payment.payment_id,
                                           "amount_kopecks": order.amount_kopecks})
    return {"order_id": order_id, "confirmation_url": payment.confirmation_url}


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


def get_order(user_id: str, order_id: str) -> dict:
    """One order of this user; another user's order is 404, exactly like a missing one."""
    try:
        order = Order.get(order_id, consistent_read=True)
    except Order.DoesNotExist:
        order = None
    if order is None or order.user_id != user_id:
        raise NotFound("Заказ не найден.")
    return order_to_dict(order)


def list_orders(user_id: str, limit: int = 100) -> list[dict]:
    """The user's orders, newest first."""
    return [order_to_dict(o) for o in
            Order.user_orders_index.query(user_id, scan_index_forward=False, limit=limit)]
