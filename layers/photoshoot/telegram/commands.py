"""What the bot answers about accounts and logins: ``/start`` (with the login payloads
``login_<id>`` and ``code_<id>``, or an ad-attribution payload ``src_<source>`` /
``utm_<source>_<campaign>``), the "Confirm login" button, ``/balance``, help, and the main
menu (a reply keyboard whose buttons arrive as plain text messages)."""
from __future__ import annotations

import re

from photoshoot.auth import accounts, challenges, devices
from photoshoot.auth.accounts import Attribution
from photoshoot.auth.telegram_login import TelegramIdentity
from photoshoot.errors import PhotoshootError
from photoshoot.observability import logger
from photoshoot.settings import get_settings
from photoshoot.telegram.bot_api import BotForbidden, bot_api
from photoshoot.telegram.bot_commands import help_lines

CONFIRM_LOGIN_PREFIX = "login:"

# The main menu: reply-keyboard buttons (their text comes back as a message).
MENU_NEW_PHOTOSHOOT = "📸 Новая фотосессия"
MENU_BALANCE = "💰 Баланс"
MENU_BUY = "🛒 Купить"
MENU_SITE = "🌐 Открыть сайт"
# Inline "buy" button (also offered when the balance is empty).
BUY_CALLBACK = "buy"
CANCEL_WORDS = ("отмена", "отменить", "отмени", "стоп")
# A login code the site asked for, pasted back into the bot: not words for a scene.
LOGIN_CODE = re.compile(r"^[0-9]{6}\Z")
ATTRIBUTION_PAYLOAD = re.compile(r"^(src|utm)_([A-Za-z0-9-]{1,40})(?:_([A-Za-z0-9_-]{1,40}))?\Z")


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


def mini_app_url() -> str | None:
    """The site to open as a Mini App, or None when it is not served over HTTPS: Telegram
    refuses other web_app URLs (the Mini App logs in by itself)."""
    base = get_settings().public_base_url.rstrip("/")
    return base if base.startswith("https://") else None


def main_menu() -> dict:
    """The reply keyboard under the chat. «Открыть сайт» opens the site as a Mini App when
    there is one (``mini_app_url``), else the button's text gets the link as an answer."""
    site = {"text": MENU_SITE}
    url = mini_app_url()
    if url:
        site["web_app"] = {"url": url}
    return {"keyboard": [[{"text": MENU_NEW_PHOTOSHOOT}], [{"text": MENU_BALANCE},
                                                          {"text": MENU_BUY}], [site]],
            "resize_keyboard": True, "is_persistent": True}


def buy_button() -> dict:
    return {"inline_keyboard": [[{"text": MENU_BUY, "callback_data": BUY_CALLBACK}]]}


def attribution_from_payload(payload: str) -> accounts.Attribution:
    """``src_<utm_source>`` or ``utm_<source>_<campaign>`` → first-touch UTM (validated by
    the same ``Attribution`` rules as the web); anything else → none."""
    match = ATTRIBUTION_PAYLOAD.match(payload or "")
    if not match or len(payload) > 64:
        return Attribution()
    kind, source, campaign = match.groups()
    utm = {"utm_source": source}
    if kind == "utm" and campaign:
        utm["utm_campaign"] = campaign
    elif campaign:
        utm["utm_source"] = f"{source}_{campaign}"
    return Attribution.from_body({"utm": utm})


def private_message(update: dict) -> tuple[dict, int, TelegramIdentity] | None:
    """``(message, chat_id, sender)`` of a person's message in a private chat, else None."""
    return _private_message(update)


def bot_user(identity: TelegramIdentity, chat_id: int):
    """The person's account (created on first sight, like ``/start``), chat remembered."""
    return accounts.sign_in(identity, source="bot", bot_chat_id=chat_id)


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
        user = accounts.sign_in(identity, source="bot", bot_chat_id=chat_id,
                                attribution=attribution_from_payload(payload))
        name = f", {user.first_name}" if user.first_name else ""
        reply(chat_id, f"Здравствуйте{name}! Это Photoshoot — студийные фото товаров для "
                       f"маркетплейсов за пару минут.\n\nНа балансе: "
                       f"{photoshoots(int(user.balance or 0))}.\n\n"
                       f"Пришлите фото товара — я предложу подходящие стили и сделаю "
                       f"фотосессию. Или нажмите кнопку в меню ниже.",
              reply_markup=main_menu())


def _offer_login_confirmation(public_id: str, identity: TelegramIdentity, chat_id: int) -> None:
    try:
        challenge = challenges.pending_challenge(public_id, "link")
    except PhotoshootError as error:
        if _confirmed_by(public_id, str(identity.telegram_id)):
            reply(chat_id, LOGIN_DONE)
            return
        reply(chat_id, login_problem(error.message, "Откройте сайт и нажмите «Войти через "
                                                    "Telegram» ещё раз."))
        return
    user = accounts.sign_in(identity, source="web_link", bot_chat_id=chat_id,
                            attribution=Attribution.from_json(challenge.utm))
    who = f"@{user.username}" if user.username else (user.first_name or "ваш аккаунт")
    reply(chat_id, f"Войти на сайт Photoshoot как {who}?\n"
                   f"{devices.started_in_line(challenge.device)}\nЕсли вход начинали не вы, "
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


LOGIN_DONE = "✅ Вход уже подтверждён. Вернитесь на сайт — он откроется сам."
_START_AGAIN = re.compile(r"(,\s*)?[Нн]ачните вход заново\.")
_PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{32}\Z")  # what challenges.public_id_of makes


def login_problem(message: str, next_step: str) -> str:
    """The reason a login cannot go on, with the one next step in it: the domain's «начните
    вход заново» is replaced by the step that fits where the person is, never said twice."""
    found = _START_AGAIN.search(message)
    if found is None:
        return f"{message}\n{next_step}"
    step = next_step[0].lower() + next_step[1:] if found.group(1) else next_step
    return message[:found.start()] + (found.group(1) or "") + step + message[found.end():]


def _confirmed_by(public_id: str, user_id: str) -> bool:
    """This person confirmed this login already (the button pressed again, the link opened
    again after the site logged in)."""
    from photoshoot.models import AuthChallenge  # noqa: PLC0415

    if not _PUBLIC_ID.match(public_id or ""):
        return False
    try:
        challenge = AuthChallenge.get(public_id, consistent_read=True)
    except AuthChallenge.DoesNotExist:
        return False
    return (challenge.kind == "link" and challenge.status in ("confirmed", "consumed")
            and challenge.user_id == user_id)


def on_login_confirm(update: dict) -> None:
    callback = update["callback_query"]
    api = bot_api()
    message = callback.get("message") or {}
    chat_id = (message.get("chat") or {}).get("id")
    public_id = str(callback.get("data") or "")[len(CONFIRM_LOGIN_PREFIX):]
    identity = TelegramIdentity.from_telegram_user(callback.get("from") or {})
    try:
        if not _PUBLIC_ID.match(public_id):  # an empty or forged id is no DynamoDB key
            raise challenges.ChallengeNotFound()
        user = accounts.sign_in(identity, source="web_link", bot_chat_id=chat_id)
        challenges.confirm_link(public_id, user.user_id)
    except PhotoshootError as error:
        if _confirmed_by(public_id, str(identity.telegram_id)):
            api.answer_callback_query(callback["id"], "Вход уже подтверждён")
            return  # the message already says so
        api.answer_callback_query(callback["id"], error.message, show_alert=True)
        if chat_id and message.get("message_id"):
            api.edit_message_text(chat_id, message["message_id"],
                                  login_problem(error.message,
                                                "Начните вход на сайте ещё раз."))
        return
    api.answer_callback_query(callback["id"], "Вход подтверждён")
    if chat_id and message.get("message_id"):
        api.edit_message_text(chat_id, message["message_id"],
                              "✅ Вход подтверждён. Вернитесь на сайт — он откроется сам.")
    logger.info("login confirmed in bot", extra={"user_id": user.user_id})


STALE_BUTTON = "Эта кнопка устарела — пришлите фото ещё раз."


def on_stale_button(update: dict) -> None:
    """A button this bot no longer knows (an old keyboard, forged data)."""
    callback = update["callback_query"]
    bot_api().answer_callback_query(str(callback.get("id") or ""), STALE_BUTTON)


def on_balance(update: dict) -> None:
    parsed = _private_message(update)
    if parsed is None:
        return
    _, chat_id, identity = parsed
    user = bot_user(identity, chat_id)
    reply(chat_id, f"На балансе: {photoshoots(int(user.balance or 0))}.\n"
                   f"Пополнить можно здесь за Telegram Stars или на сайте: "
                   f"{get_settings().public_base_url.rstrip('/')}/packages",
          reply_markup=buy_button())


def on_help(update: dict) -> None:
    parsed = _private_message(update)
    if parsed is None:
        return
    _, chat_id, _ = parsed
    reply(chat_id, "Я бот Photoshoot: делаю студийные фото товаров для маркетплейсов.\n\n"
                   "Пришлите фото товара (можно файлом) — предложу стили, а через пару "
                   "минут пришлю готовые снимки альбомом. Свой стиль — напишите его подписью "
                   "к фото или следующим сообщением после фото, например «на мраморе, "
                   "мягкий утренний свет».\n\n"
                   f"{help_lines()}\n"
                   f"Сайт: {get_settings().public_base_url}",
          reply_markup=main_menu())


def on_new_photoshoot(update: dict) -> None:
    parsed = _private_message(update)
    if parsed is None:
        return
    _, chat_id, _ = parsed
    reply(chat_id, "Пришлите фото товара — одним снимком или файлом (JPEG, PNG или WebP, "
                   "не меньше 256×256 пикселей). Лучше всего на однотонном фоне, "
                   "товар целиком в кадре.")


def on_open_site(update: dict) -> None:
    parsed = _private_message(update)
    if parsed is None:
        return
    _, chat_id, _ = parsed
    base = get_settings().public_base_url.rstrip("/")
    reply(chat_id, f"Сайт Photoshoot: {base}\nТам история фотосессий, сохранённые стили "
                   f"и оплата картой.",
          reply_markup={"inline_keyboard": [[{"text": MENU_SITE, "url": base}]]})


def on_text(update: dict) -> None:
    """A plain message: a main-menu button or a cancel word; else the scene for the
    person's latest photo (the help when there is none); a login code gets the help."""
    text = ((update.get("message") or {}).get("text") or "").strip()
    if text.lower().strip(".!") in CANCEL_WORDS:
        from photoshoot.telegram.photos import on_cancel  # noqa: PLC0415

        on_cancel(update)
        return
    if text == MENU_BUY:
        from photoshoot.telegram.purchases import on_buy  # noqa: PLC0415

        on_buy(update)
        return
    handler = {MENU_NEW_PHOTOSHOOT: on_new_photoshoot, MENU_BALANCE: on_balance,
               MENU_SITE: on_open_site}.get(text)
    if handler is None and (not text or LOGIN_CODE.match(text)):
        handler = on_help
    if handler is None:
        from photoshoot.telegram.scene_texts import on_scene_text  # noqa: PLC0415

        handler = on_scene_text
    handler(update)
