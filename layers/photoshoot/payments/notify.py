"""Tell the user a purchase went through: bot message, e-mail (SES, when enabled and the
user asked for it), WebSocket ``order.paid`` + ``balance``.

Each channel is best effort and runs after the credit committed: a failure here is logged
and never turns the webhook's 200 into an error (which would make YooKassa redeliver a
notification that is already applied).
"""
from __future__ import annotations

from photoshoot import realtime
from photoshoot.billing import balance_of
from photoshoot.models import Order, User
from photoshoot.observability import logger
from photoshoot.settings import get_settings


def _photoshoots_phrase(count: int) -> str:
    from photoshoot.payments.orders import photoshoots_phrase  # noqa: PLC0415 - no cycle

    return photoshoots_phrase(count)


def paid_text(order: Order, photoshoots: int, balance: int) -> str:
    return (f"Оплата прошла! Начислено: {_photoshoots_phrase(photoshoots)} "
            f"(пакет «{order.package_title or order.package_id}»). "
            f"Теперь на балансе: {_photoshoots_phrase(balance)}. Можно начинать съёмку!")


def order_paid(order: Order, photoshoots: int) -> None:
    try:
        balance = balance_of(order.user_id)
    except Exception:  # noqa: BLE001 - never fail after the credit committed
        logger.warning("balance read failed after credit", exc_info=True)
        return
    text = paid_text(order, photoshoots, balance)
    _safely("websocket", lambda: _push_paid(order, photoshoots, balance))
    _safely("telegram", lambda: _send_bot_message(order.user_id, text))
    _safely("email", lambda: _send_email(order, text))


def balance_changed(user_id: str) -> None:
    realtime.push_balance(user_id)


def _safely(channel: str, send) -> None:
    try:
        send()
    except Exception:  # noqa: BLE001 - a notification is best effort
        logger.warning("payment notification failed", extra={"channel": channel},
                       exc_info=True)


def _push_paid(order: Order, photoshoots: int, balance: int) -> None:
    realtime.push_to_user(order.user_id, {"type": "order.paid", "order_id": order.order_id,
                                          "photoshoots": photoshoots, "balance": balance})
    realtime.push_to_user(order.user_id, {"type": "balance", "balance": balance})


def _send_bot_message(user_id: str, text: str) -> None:
    from photoshoot.telegram.notifications import notify_user  # noqa: PLC0415

    notify_user(user_id, text)


def _ses_client():
    import boto3  # noqa: PLC0415 - only when e-mail is enabled

    settings = get_settings()
    return boto3.client("ses", region_name=settings.region,
                        endpoint_url=settings.aws_endpoint_url or None)


def _send_email(order: Order, text: str) -> None:
    settings = get_settings()
    if not settings.email_enabled:
        return
    user = User.get(order.user_id, attributes_to_get=["email", "email_notifications"])
    if not user.email or not user.email_notifications:
        return
    _ses_client().send_email(
        Source=settings.email_sender,
        Destination={"ToAddresses": [user.email]},
        Message={"Subject": {"Data": "Photoshoot: оплата прошла", "Charset": "UTF-8"},
                 "Body": {"Text": {"Data": text, "Charset": "UTF-8"}}})
    logger.info("purchase e-mail sent", extra={"order_id": order.order_id})
