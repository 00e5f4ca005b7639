"""Buying photoshoots in the bot with Telegram Stars: ``/buy`` (or «🛒 Купить») lists the
packages → a package button sends an invoice (``XTR``, no provider token, one price, payload
= order id) → ``pre_checkout_query`` is answered at once (ok only for this person's pending
order of that amount) → ``successful_payment`` credits exactly once and says the new balance.
The order and crediting rules live in ``photoshoot.telegram.stars``."""
from __future__ import annotations

from photoshoot.auth.telegram_login import TelegramIdentity
from photoshoot.errors import PhotoshootError
from photoshoot.observability import logger
from photoshoot.settings import get_settings
from photoshoot.telegram import stars
from photoshoot.telegram.bot_api import TelegramApiError, bot_api
from photoshoot.telegram.commands import bot_user, photoshoots, private_message, reply

PACKAGE_PREFIX = "pkg:"


def _packages_keyboard(packages: list[dict]) -> dict:
    rows = []
    for package in packages:
        badge = " 🔥" if package.get("popular") else ""
        rows.append([{"text": f"{package['title']}{badge}: {photoshoots(package['photoshoots'])}"
                              f" — {package['stars_price']} ⭐",
                      "callback_data": PACKAGE_PREFIX + package["package_id"]}])
    return {"inline_keyboard": rows}


def offer_packages(chat_id: int) -> None:
    packages = stars.stars_packages()
    if not packages:
        reply(chat_id, "Сейчас в боте нечего купить. Пакеты есть на сайте — оплата картой.")
        return
    reply(chat_id, "Выберите пакет. Оплата — Telegram Stars, фотосессии сразу придут на "
                   "баланс и не сгорают.", reply_markup=_packages_keyboard(packages))


def on_buy(update: dict) -> None:
    parsed = private_message(update)
    if parsed is None:
        return
    _, chat_id, identity = parsed
    bot_user(identity, chat_id)
    offer_packages(chat_id)


def _callback_chat(callback: dict) -> int | None:
    chat = ((callback.get("message") or {}).get("chat") or {})
    return int(chat["id"]) if chat.get("type", "private") == "private" and chat.get("id") \
        else None


def on_buy_pressed(update: dict) -> None:
    callback = update["callback_query"]
    chat_id = _callback_chat(callback)
    bot_api().answer_callback_query(callback["id"])
    if chat_id is not None:
        offer_packages(chat_id)


def on_package_chosen(update: dict) -> None:
    callback = update["callback_query"]
    api = bot_api()
    chat_id = _callback_chat(callback)
    if chat_id is None:
        api.answer_callback_query(callback["id"])
        return
    identity = TelegramIdentity.from_telegram_user(callback.get("from") or {})
    package_id = str(callback.get("data") or "")[len(PACKAGE_PREFIX):]
    user = bot_user(identity, chat_id)
    try:
        invoice = stars.create_stars_order(user.user_id, package_id)
    except PhotoshootError as error:
        api.answer_callback_query(callback["id"], error.message, show_alert=True)
        return
    api.answer_callback_query(callback["id"])
    api.send_invoice(chat_id, title=invoice.title, description=invoice.description,
                     payload=invoice.order_id,
                     prices=[{"label": photoshoots(invoice.photoshoots),
                              "amount": invoice.stars}],
                     currency=stars.CURRENCY, provider_token="")


def support_contact() -> str:
    """«Telegram @name» or «почта name@host» from the ``SUPPORT_CONTACT`` setting."""
    contact = get_settings().support_contact.strip()
    if contact.startswith("@"):
        return f"Telegram {contact}"
    return f"почта {contact}" if "@" in contact else contact


def on_paysupport(update: dict) -> None:
    """/paysupport: Telegram requires bots that sell for Stars to answer it."""
    parsed = private_message(update)
    if parsed is None:
        return
    reply(parsed[1], "Вопросы об оплате и возвратах Stars: напишите в поддержку — "
                     f"{support_contact()}. Укажите, что купили и когда, — ответим в течение "
                     "суток.\nБаланс и покупки: /balance, /buy.")


def on_pre_checkout(update: dict) -> None:
    """Telegram waits ≤ 10 s for this answer before it takes the Stars."""
    query = update["pre_checkout_query"]
    problem = stars.check_pre_checkout(query)
    logger.info("stars pre-checkout", extra={"order_id": str(query.get("invoice_payload")),
                                             "ok": problem is None})
    bot_api().answer_pre_checkout_query(str(query.get("id") or ""), ok=problem is None,
                                        error_message=problem)


def on_successful_payment(update: dict) -> None:
    message = update["message"]
    payment = stars.StarsPayment.from_message(message)
    chat_id = int((message.get("chat") or {}).get("id") or payment.user_id or 0)
    if payment.currency != stars.CURRENCY or not payment.charge_id:
        logger.warning("successful_payment that is not Stars ignored",
                       extra={"order_id": payment.order_id})
        return
    result = stars.credit_stars_payment(payment)
    if result.needs_refund:
        _refund(payment, chat_id, result.outcome)
        return
    if result.outcome == stars.DUPLICATE:
        logger.info("stars payment already credited", extra={"order_id": payment.order_id})
        return
    _tell_paid(result.order, chat_id)


def _refund(payment: stars.StarsPayment, chat_id: int, outcome: str) -> None:
    try:
        bot_api().refund_star_payment(int(payment.user_id), payment.charge_id)
    except TelegramApiError as error:
        # Flagged on the order (or logged for an unknown one): a person finishes it.
        logger.error("stars refund failed", extra={"order_id": payment.order_id,
                                                   "outcome": outcome,
                                                   "telegram_error": error.error_code})
        reply(chat_id, "Оплата не подошла к заказу, и вернуть Stars автоматически не "
                       "получилось. Мы вернём их вручную. Если Stars не вернутся в течение "
                       f"суток, напишите в поддержку: {support_contact()} (или /paysupport).")
        return
    logger.warning("stars payment refunded", extra={"order_id": payment.order_id,
                                                    "outcome": outcome})
    if outcome == stars.REFUND_BUYER_MISSING:
        reply(chat_id, "Аккаунт, для которого выставлен этот счёт, удалён, поэтому Stars "
                       "вернулись на ваш счёт в Telegram. Чтобы купить фотосессии, нажмите "
                       "/start и выберите пакет заново.")
        return
    reply(chat_id, "Этот счёт уже оплачен или устарел, поэтому Stars вернулись на ваш "
                   "счёт в Telegram. Проверьте баланс: /balance")


def _tell_paid(order, chat_id: int) -> None:
    """After the credit committed: bot message and WebSocket pushes (best effort)."""
    from photoshoot import realtime  # noqa: PLC0415
    from photoshoot.billing import balance_of  # noqa: PLC0415

    balance = balance_of(order.user_id)
    count = int(order.photoshoots)
    reply(chat_id, f"Оплата прошла! Начислено: {photoshoots(count)} "
                   f"(пакет «{order.package_title or order.package_id}»).\n"
                   f"Теперь на балансе: {photoshoots(balance)}.\n\n"
                   f"Уже прислали фото? Нажмите стиль под ним — фотосессия начнётся. Или "
                   f"пришлите новое фото товара.")
    try:
        realtime.push_to_user(order.user_id, {"type": "order.paid", "order_id": order.order_id,
                                              "photoshoots": count, "balance": balance})
        realtime.push_to_user(order.user_id, {"type": "balance", "balance": balance})
    except Exception:  # noqa: BLE001 - the credit is committed; sockets are best effort
        logger.warning("balance push failed", extra={"order_id": order.order_id},
                       exc_info=True)
