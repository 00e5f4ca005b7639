"""What the bot answers about accounts and logins: ``/start`` (with the login payloads
``login_<id>`` and ``code_<id>``), the "Confirm login" button, ``/balance`` and help."""
from __future__ import annotations

from photoshoot.auth import accounts, challenges
from photoshoot.auth.accounts import Attribution
from photoshoot.auth.telegram_login import TelegramIdentity
from photoshoot.errors import PhotoshootError
from photoshoot.observability import logger
from photoshoot.settings import get_settings
from photoshoot.telegram.bot_api import BotForbidden, bot_api

CONFIRM_LOGIN_PREFIX = "login:"


def photoshoots(count: int) -> str:
    """«1 фотосессия», «3 фотосессии», «5 фотосессий»."""
    tail = abs(count) % 100
    if 11 <= tail <= 14:
        word = "фотосессий"
    elif tail % 10 == 1:
        word = "фотосессия"
    elif 2 <= tail % 10 <= 4:
        word = "фотосессии"
    else:
        word = "фотосессий"
    return f"{count} {word}"


def reply(chat_id: int, text: str, reply_markup: dict | None = None) -> None:
    try:
        bot_api().send_message(chat_id, text, reply_markup=reply_markup)
    except BotForbidden:
        logger.info("bot blocked by the user", extra={"chat_id": chat_id})


def _private_message(update: dict) -> tuple[dict, int, TelegramIdentity] | None:
    message = update["message"]
    chat = message.get("chat") or {}
    sender = message.get("from")
    if chat.get("type") != "private" or not isinstance(sender, dict) or sender.get("is_bot"):
        return None
    return message, int(chat["id"]), TelegramIdentity.from_telegram_user(sender)


def on_start(update: dict) -> None:
    parsed = _private_message(update)
    if parsed is None:
        return
    message, chat_id, identity = parsed
    parts = (message.get("text") or "").split(maxsplit=1)
    payload = parts[1].strip() if len(parts) > 1 else ""
    if payload.startswith(challenges.LINK_PAYLOAD_PREFIX):
        _offer_login_confirmation(payload[len(challenges.LINK_PAYLOAD_PREFIX):], identity,
                                  chat_id)
    elif payload.startswith(challenges.CODE_PAYLOAD_PREFIX):
        _open_chat_for_codes(payload[len(challenges.CODE_PAYLOAD_PREFIX):], identity,
                             chat_id)
    else:
        user = accounts.sign_in(identity, source="bot", bot_chat_id=chat_id)
        name = f", {user.first_name}" if user.first_name else ""
        reply(chat_id, f"Здравствуйте{name}! Это Photoshoot — студийные фото товаров для "
                       f"маркетплейсов за пару минут.\n\nНа балансе: "
                       f"{photoshoots(int(user.balance or 0))}.\n"
                       f"Сделать фотосессию: {get_settings().public_base_url}\n\n"
                       f"/balance — баланс, /help — помощь.")


def _offer_login_confirmation(public_id: str, identity: TelegramIdentity, chat_id: int) -> None:
    try:
        challenge = challenges.pending_challenge(public_id, "link")
    except PhotoshootError as error:
        reply(chat_id, f"{error.message}\nОткройте сайт и нажмите «Войти через Telegram» ещё раз.")
        return
    user = accounts.sign_in(identity, source="web_link", bot_chat_id=chat_id,
                            attribution=Attribution.from_json(challenge.utm))
    who = f"@{user.username}" if user.username else (user.first_name or "ваш аккаунт")
    reply(chat_id, f"Войти на сайт Photoshoot как {who}?\n\nЕсли вход начинали не вы, "
                   f"просто не нажимайте кнопку.",
          reply_markup={"inline_keyboard": [[{
              "text": "✅ Подтвердить вход",
              "callback_data": CONFIRM_LOGIN_PREFIX + public_id}]]})


def _open_chat_for_codes(public_id: str, identity: TelegramIdentity, chat_id: int) -> None:
    """``/start code_…``: the site asked for a code but the bot could not write to this
    person yet. Now it can: remember the chat and send them back to ask again (the site
    says "start the bot and request the code again")."""
    try:
        challenge = challenges.pending_challenge(public_id, "code")
    except PhotoshootError as error:
        reply(chat_id, f"{error.message}\nЗапросите код на сайте ещё раз.")
        return
    if challenge.username and (identity.username or "").lower() != challenge.username:
        yours = f"@{identity.username}" if identity.username else "аккаунта без username"
        reply(chat_id, f"Код запрошен для @{challenge.username}, а вы пишете из {yours}. "
                       f"Откройте ссылку из нужного аккаунта Telegram.")
        return
    accounts.sign_in(identity, source="web_code", bot_chat_id=chat_id,
                     attribution=Attribution.from_json(challenge.utm))
    reply(chat_id, "Готово, теперь я могу присылать вам коды для входа. Вернитесь на сайт "
                   "и нажмите «Запросить код ещё раз» — код придёт сюда.")


def on_login_confirm(update: dict) -> None:
    callback = update["callback_query"]
    api = bot_api()
    message = callback.get("message") or {}
    chat_id = (message.get("chat") or {}).get("id")
    public_id = str(callback.get("data") or "")[len(CONFIRM_LOGIN_PREFIX):]
    identity = TelegramIdentity.from_telegram_user(callback.get("from") or {})
    try:
        user = accounts.sign_in(identity, source="web_link", bot_chat_id=chat_id)
        challenges.confirm_link(public_id, user.user_id)
    except PhotoshootError as error:
        api.answer_callback_query(callback["id"], error.message, show_alert=True)
        if chat_id and message.get("message_id"):
            api.edit_message_text(chat_id, message["message_id"],
                                  f"{error.message}\nНачните вход на сайте ещё раз.")
        return
    api.answer_callback_query(callback["id"], "Вход подтверждён")
    if chat_id and message.get("message_id"):
        api.edit_message_text(chat_id, message["message_id"],
                              "✅ Вход подтверждён. Вернитесь на сайт — он откроется сам.")
    logger.info("login confirmed in bot", extra={"user_id": user.user_id})


def on_balance(update: dict) -> None:
    parsed = _private_message(update)
    if parsed is None:
        return
    _, chat_id, identity = parsed
    user = accounts.sign_in(identity, source="bot", bot_chat_id=chat_id)
    reply(chat_id, f"На балансе: {photoshoots(int(user.balance or 0))}.\n"
                   f"Пополнить: {get_settings().public_base_url}/packages")


def on_help(update: dict) -> None:
    parsed = _private_message(update)
    if parsed is None:
        return
    _, chat_id, _ = parsed
    reply(chat_id, "Я бот Photoshoot: делаю студийные фото товаров.\n\n"
                   "/start — начать\n/balance — баланс\n"
                   f"Сайт: {get_settings().public_base_url}")
