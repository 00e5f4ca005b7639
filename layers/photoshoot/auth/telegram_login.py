"""Checks of data signed by Telegram: the Login Widget and Mini App ``initData``.

Both are HMAC-SHA256 over the *data-check-string* — every received field except ``hash``,
as ``key=value`` lines sorted by key and joined by ``\\n``:
- Login Widget: key = SHA256(bot_token);
- Mini App:     key = HMAC-SHA256(key="WebAppData", msg=bot_token).
Telegram gives no freshness window for ``auth_date``; ``TELEGRAM_AUTH_MAX_AGE_S`` does
(24 h by default).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import parse_qsl

from photoshoot.errors import InvalidSignature, Unauthorized, ValidationFailed
from photoshoot.settings import get_settings

# Fields the SPA sends next to the widget's own; they are not signed by Telegram.
UNSIGNED_WIDGET_FIELDS = frozenset({"hash", "utm", "metrika_client_id"})
# A little tolerance for clocks: an auth_date from the future is never more than this ahead.
CLOCK_SKEW_S = 300
# The data-check-string is "key=value" lines: it reads back one way only while no key holds
# "=" or a line break and no value holds a line break. Otherwise fields signed as one user's
# (a first name carrying "\nid=<victim>") regroup into another's with the same string.
# Telegram's own keys are lower-case words.
_FIELD_KEY = re.compile(r"^[a-z_]{1,64}\Z")


class LoginExpired(Unauthorized):
    code = "login_expired"
    message = "Данные входа через Telegram устарели. Нажмите «Войти через Telegram» ещё раз."


@dataclass(frozen=True)
class TelegramIdentity:
    """Who Telegram says the person is."""

    telegram_id: int
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    photo_url: str | None = None
    auth_date: int | None = None

    @classmethod
    def from_telegram_user(cls, user: Mapping[str, Any], auth_date: int | None = None):
        """From a Telegram ``User`` object (an update's ``from``, initData's ``user``)."""
        try:
            telegram_id = int(user["id"])
        except (KeyError, TypeError, ValueError):
            raise ValidationFailed("В данных Telegram нет идентификатора пользователя.") from None
        return cls(telegram_id=telegram_id,
                   first_name=_text(user.get("first_name")),
                   last_name=_text(user.get("last_name")),
                   username=_text(user.get("username")),
                   photo_url=_text(user.get("photo_url")),
                   auth_date=auth_date)


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:256]


def data_check_string(fields: Mapping[str, Any]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def login_widget_hash(fields: Mapping[str, Any], bot_token: str) -> str:
    """The ``hash`` Telegram puts on Login Widget data (also used by the local sandbox)."""
    secret = hashlib.sha256(bot_token.encode()).digest()
    return hmac.new(secret, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def webapp_hash(fields: Mapping[str, Any], bot_token: str) -> str:
    """The ``hash`` Telegram puts on Mini App ``initData``."""
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return hmac.new(secret, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def _check_fields_unambiguous(fields: Mapping[str, str]) -> None:
    for key, value in fields.items():
        if not _FIELD_KEY.match(key) or "\n" in value or not _is_utf8(value):
            raise InvalidSignature()


def _is_utf8(text: str) -> bool:
    """False for a lone surrogate (JSON's "\\ud800"): it has no UTF-8 bytes to sign."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_hash(expected: str, received: Any) -> None:
    # bytes: compare_digest refuses a str with non-ASCII characters (a TypeError, a 500)
    if not isinstance(received, str) or not hmac.compare_digest(
            expected.encode(), received.lower().encode("utf-8", "replace")):
        raise InvalidSignature()


def _check_fresh(auth_date: Any, now: float | None) -> int:
    try:
        auth_date = int(auth_date)
    except (TypeError, ValueError):
        raise InvalidSignature() from None
    now = int(time.time() if now is None else now)  # ints: a 400-digit date cannot overflow
    if now - auth_date > get_settings().telegram_auth_max_age_s:
        raise LoginExpired()
    if auth_date - now > CLOCK_SKEW_S:
        raise InvalidSignature()
    return auth_date


def verify_login_widget(payload: Mapping[str, Any], *, now: float | None = None) -> TelegramIdentity:
    """The identity in Login Widget data, or ``InvalidSignature`` / ``LoginExpired``."""
    fields: dict[str, str] = {}
    for key, value in payload.items():
        if key in UNSIGNED_WIDGET_FIELDS or value is None:
            continue
        if isinstance(value, (dict, list, bool)):
            raise InvalidSignature()  # the widget sends only strings and numbers
        fields[key] = str(value)
    if "id" not in fields or "auth_date" not in fields:
        raise InvalidSignature()
    _check_fields_unambiguous(fields)
    _check_hash(login_widget_hash(fields, get_settings().telegram_bot_token), payload.get("hash"))
    auth_date = _check_fresh(fields["auth_date"], now)
    return TelegramIdentity.from_telegram_user(fields, auth_date)


def verify_webapp_init_data(init_data: str, *, now: float | None = None) -> TelegramIdentity:
    """The identity in a Mini App's ``Telegram.WebApp.initData`` query string."""
    if not isinstance(init_data, str) or not init_data:
        raise ValidationFailed("Не переданы данные Telegram Mini App.")
    if not _is_utf8(init_data):
        raise InvalidSignature()
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InvalidSignature() from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InvalidSignature()  # a repeated key could smuggle a second value
    received = fields.pop("hash", None)
    _check_fields_unambiguous(fields)
    _check_hash(webapp_hash(fields, get_settings().telegram_bot_token), received)
    auth_date = _check_fresh(fields.get("auth_date"), now)
    try:
        user = json.loads(fields.get("user") or "")
    except ValueError:
        raise InvalidSignature() from None
    if not isinstance(user, dict):
        raise InvalidSignature()
    return TelegramIdentity.from_telegram_user(user, auth_date)
