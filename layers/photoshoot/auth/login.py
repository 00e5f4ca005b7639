"""The ways in. Each returns the API's answer; the handlers in ``functions/auth_api.py`` only
parse the request and call one of these.

- Login Widget and Mini App: Telegram signed the data → sign in at once.
- Deep link: the browser gets a secret and a bot link; the person confirms in the bot; the
  browser's poll collects the token once.
- Code: the bot sends a 6-digit code to a chat it knows; otherwise the answer carries the
  bot link: starting the bot with it opens the chat (and checks it is the @username asked
  for), and the next request delivers the code.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from photoshoot import ratelimit
from photoshoot.auth import accounts, challenges, devices
from photoshoot.auth.accounts import Attribution
from photoshoot.auth.telegram_login import verify_login_widget, verify_webapp_init_data
from photoshoot.errors import ValidationFailed
from photoshoot.observability import logger
from photoshoot.settings import get_settings

_USERNAME = re.compile(r"^[a-z][a-z0-9_]{4,31}\Z")
CODE_USERNAME_WINDOW_S = 15 * 60
DAY_S = 24 * 3600
IP_WINDOW_S = 3600


def login_with_widget(body: Mapping[str, Any]) -> dict:
    identity = verify_login_widget(body)
    user = accounts.sign_in(identity, source="widget", attribution=Attribution.from_body(body))
    logger.info("login", extra={"user_id": user.user_id, "method": "widget"})
    return accounts.session_for(user)


def login_with_webapp(body: Mapping[str, Any]) -> dict:
    identity = verify_webapp_init_data(body.get("init_data"))
    user = accounts.sign_in(identity, source="webapp", attribution=Attribution.from_body(body))
    logger.info("login", extra={"user_id": user.user_id, "method": "webapp"})
    return accounts.session_for(user)


def start_link_login(body: Mapping[str, Any], ip: str, user_agent: str = "") -> dict:
    settings = get_settings()
    ratelimit.hit("auth-ip", ratelimit.address_key(ip), settings.auth_code_requests_per_ip,
                  IP_WINDOW_S,
                  message="Слишком много попыток входа. Подождите немного и попробуйте снова.")
    started = challenges.start_link(Attribution.from_body(body).to_json(),
                                    devices.describe(user_agent))
    return {"challenge_id": started.secret, "bot_link": started.bot_link,
            "expires_in": started.expires_in}


def poll_link_login(challenge_id: str) -> dict:
    state = challenges.poll_link(challenge_id)
    if state.status != "confirmed":
        return {"status": state.status}
    user = accounts.record_login(state.user_id, Attribution.from_json(state.attribution_json))
    logger.info("login", extra={"user_id": user.user_id, "method": "link"})
    return {"status": "confirmed", **accounts.session_for(user)}


def normalize_username(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValidationFailed("Укажите ваш username в Telegram, например @ivan_petrov.")
    username = raw.strip()
    username = username.removeprefix("https://t.me/").removeprefix("t.me/").lstrip("@").lower()
    if not _USERNAME.match(username):
        raise ValidationFailed("Username в Telegram — от 5 до 32 латинских букв, цифр и «_», "
                               "например @ivan_petrov.")
    return username


def request_login_code(body: Mapping[str, Any], ip: str, user_agent: str = "") -> dict:
    settings = get_settings()
    username = normalize_username(body.get("username"))
    ratelimit.hit("auth-ip", ratelimit.address_key(ip), settings.auth_code_requests_per_ip,
                  IP_WINDOW_S,
                  message="Слишком много попыток входа. Подождите немного и попробуйте снова.")
    ratelimit.hit("auth-code-username", username, settings.auth_code_requests_per_username,
                  CODE_USERNAME_WINDOW_S,
                  message="Код для этого аккаунта уже запрашивали несколько раз. "
                          "Подождите 15 минут или войдите по ссылке через бота.")
    ratelimit.hit("auth-code-username-day", username,
                  settings.auth_code_requests_per_username_per_day, DAY_S,
                  message="Код для этого аккаунта сегодня запрашивали слишком часто. "
                          "Войдите по ссылке через бота или попробуйте завтра.")
    user = accounts.find_by_username(username)
    chat_id = int(user.bot_chat_id) if user is not None and user.bot_chat_id else None
    challenge = challenges.start_code(username, Attribution.from_body(body).to_json(),
                                      user.user_id if chat_id else None)
    started = challenge.started
    delivered, expires_in = False, started.expires_in
    if challenge.code is not None:
        delivered = send_code(chat_id, challenge.code, devices.describe(user_agent))
        if not delivered:
            expires_in = challenges.withdraw_code(started.public_id)
    logger.info("login code requested", extra={"delivered": delivered})
    return {"challenge_id": started.secret, "expires_in": expires_in, "delivered": delivered,
            "bot_link": started.bot_link}


def send_code(chat_id: int, code: str, device: str = "") -> bool:
    """Send a login code through the bot. False if the chat is closed to the bot."""
    from photoshoot.telegram.bot_api import BotForbidden, bot_api  # noqa: PLC0415

    minutes = max(1, get_settings().auth_code_ttl_s // 60)
    text = (f"Код для входа в Photoshoot: {code}\n{devices.started_in_line(device)}\n"
            f"Он действует {minutes} мин. Никому его не сообщайте — даже если пишут "
            f"«из поддержки». Если вы не входили, просто проигнорируйте это сообщение.")
    try:
        bot_api().send_message(chat_id, text)
    except BotForbidden:
        return False
    return True


def verify_login_code(body: Mapping[str, Any]) -> dict:
    verified = challenges.verify_code(body.get("challenge_id"), body.get("code"))
    attribution = Attribution.from_json(verified.attribution_json)
    if body.get("utm") or body.get("metrika_client_id"):
        attribution = Attribution.from_body(body)
    user = accounts.record_login(verified.user_id, attribution)
    logger.info("login", extra={"user_id": user.user_id, "method": "code"})
    return accounts.session_for(user)


def logout(user_id: str) -> dict:
    from photoshoot import realtime  # noqa: PLC0415

    accounts.log_out_everywhere(user_id)
    realtime.disconnect_user(user_id)  # after the revoke: a reconnect is refused
    return {"ok": True}
