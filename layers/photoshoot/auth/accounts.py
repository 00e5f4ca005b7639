"""Accounts: a user is a Telegram account. Create or refresh it on every way in, grant the
sign-up bonus exactly once (ledger entry ``bonus#signup``), keep first-touch attribution,
and shape the profile the API returns."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

from pynamodb.exceptions import PutError, UpdateError

from photoshoot import analytics
from photoshoot.auth.sessions import issue_token
from photoshoot.auth.telegram_login import TelegramIdentity
from photoshoot.billing import BalanceChange, apply_balance_change
from photoshoot.errors import NotFound, ValidationFailed
from photoshoot.models import LedgerEntry, User
from photoshoot.models.base import utc_now_iso
from photoshoot.observability import logger
from photoshoot.settings import get_settings

SIGNUP_BONUS_ENTRY = "bonus#signup"
_UTM_KEY = re.compile(r"^utm_[a-z_]{1,32}\Z")
_METRIKA_CLIENT_ID = re.compile(r"^[0-9]{1,40}\Z")
# Yandex Direct's click id (``yclid`` in the landing URL): a long decimal number today; ASCII
# letters, ``-`` and ``_`` are let through in case its form changes, nothing that could break
# the Metrika CSV it is uploaded in, and never longer than Metrika could mean.
_YCLID = re.compile(r"^[0-9A-Za-z_-]{1,64}\Z")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z")
MAX_UTM_KEYS = 10
MAX_UTM_VALUE = 200


@dataclass(frozen=True)
class Attribution:
    """First-touch marketing data sent with a login: ``utm_*``, the Yandex Direct click id
    (``yclid``) and the Metrika client id."""

    utm: dict[str, str] = field(default_factory=dict)
    metrika_client_id: str | None = None
    yclid: str | None = None

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> "Attribution":
        """Keep only well-formed values; attribution never makes a login fail.

        ``yclid`` comes inside ``utm``: the SPA captures it from the landing URL together
        with the tags (and ``to_json`` stores it the same way)."""
        raw_utm = body.get("utm")
        utm: dict[str, str] = {}
        yclid = None
        if isinstance(raw_utm, Mapping):
            for key, value in raw_utm.items():
                if (isinstance(key, str) and _UTM_KEY.match(key) and isinstance(value, str)
                        and value.strip() and _is_utf8(value) and len(utm) < MAX_UTM_KEYS):
                    utm[key] = value.strip()[:MAX_UTM_VALUE]
            yclid = _valid_yclid(raw_utm.get("yclid"))
        client_id = body.get("metrika_client_id")
        client_id = str(client_id) if isinstance(client_id, (str, int)) else None
        if client_id is not None and not _METRIKA_CLIENT_ID.match(client_id):
            client_id = None
        return cls(utm=utm, metrika_client_id=client_id, yclid=yclid)

    def to_json(self) -> str | None:
        if not self.utm and not self.metrika_client_id and not self.yclid:
            return None
        utm = {**self.utm, "yclid": self.yclid} if self.yclid else self.utm
        return json.dumps({"utm": utm, "metrika_client_id": self.metrika_client_id})

    @classmethod
    def from_json(cls, raw: str | None) -> "Attribution":
        if not raw:
            return cls()
        return cls.from_body(json.loads(raw))


def _is_utf8(text: str) -> bool:
    """False for a lone surrogate (JSON's "\\ud800"): DynamoDB cannot store it, so it would
    fail the login, or the bot's answer to a deep link that carries it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _valid_yclid(raw: Any) -> str | None:
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return None
    value = str(raw).strip()
    return value if _YCLID.match(value) else None


def _is_admin(user: User) -> bool:
    return bool(user.is_admin) or user.user_id in get_settings().admin_user_ids


def user_view(user: User) -> dict:
    """The public user object of the API contract."""
    return {"id": user.user_id, "telegram_id": int(user.telegram_id),
            "username": user.username, "first_name": user.first_name,
            "photo_url": user.photo_url, "balance": int(user.balance or 0),
            "email": user.email, "email_notifications": bool(user.email_notifications),
            "is_admin": _is_admin(user)}


def session_for(user: User) -> dict:
    """``{token, user, is_new}``: what every successful web login answers. ``is_new`` is
    true exactly once per account — on its first web login — so the SPA reports the
    Metrika ``signup`` goal once even when the account was born in the bot."""
    return {"token": issue_token(user.user_id, int(user.token_version or 0)),
            "user": user_view(user), "is_new": _mark_first_web_login(user.user_id)}


def _mark_first_web_login(user_id: str) -> bool:
    try:
        User(str(user_id)).update(actions=[User.web_signup_at.set(utc_now_iso())],
                                  condition=User.web_signup_at.does_not_exist())
    except UpdateError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def get_user(user_id: str) -> User:
    try:
        return User.get(str(user_id), consistent_read=True)
    except User.DoesNotExist:
        raise NotFound("Пользователь не найден.") from None


def find_by_username(username: str) -> User | None:
    """The account that has this @username now (the most recently active one if Telegram
    passed a username on and the previous owner has not been seen since)."""
    matches = list(User.username_index.query(username.lower()))
    matches.sort(key=lambda u: u.last_active or u.created_at or "", reverse=True)
    return matches[0] if matches else None


def sign_in(identity: TelegramIdentity, *, source: str,
            attribution: Attribution | None = None, bot_chat_id: int | None = None) -> User:
    """Create the account on first sight or refresh its Telegram profile; attribution is
    stored only if the account has none yet. The sign-up bonus is granted exactly once."""
    attribution = attribution or Attribution()
    user = _create(identity, source, attribution, bot_chat_id)
    if user is None:
        user = _refresh(identity, attribution, bot_chat_id)
    _ensure_signup_bonus(user.user_id)
    return get_user(user.user_id)


def record_login(user_id: str, attribution: Attribution | None = None) -> User:
    """A login finished through the bot (deep link or code): mark it and keep attribution."""
    attribution = attribution or Attribution()
    user = User(str(user_id))
    try:
        user.update(actions=[User.last_active.set(utc_now_iso()), *_attribution_actions(attribution)],
                    condition=User.user_id.exists())
    except UpdateError as error:
        if _condition_failed(error):
            raise NotFound("Пользователь не найден.") from None
        raise
    _ensure_signup_bonus(user.user_id)
    return get_user(user.user_id)


def _create(identity: TelegramIdentity, source: str, attribution: Attribution,
            bot_chat_id: int | None) -> User | None:
    moment = datetime.now(timezone.utc)
    now = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    stats_source = analytics.source_from_utm(attribution.utm, attribution.yclid)
    user = User(str(identity.telegram_id), telegram_id=identity.telegram_id,
                username=identity.username,
                username_lc=identity.username.lower() if identity.username else None,
                first_name=identity.first_name, last_name=identity.last_name,
                photo_url=identity.photo_url, balance=0, spent=0, bot_chat_id=bot_chat_id,
                utm=attribution.utm or None, metrika_client_id=attribution.metrika_client_id,
                yclid=attribution.yclid,
                signup_source=source, token_version=0,
                signup_cohort=analytics.signup_cohort(stats_source, moment),
                # not copied from ADMIN_USER_IDS: that list is read on every request, so
                # taking an id off it takes the rights away; the flag is for grants by hand
                is_admin=False,
                created_at=now, last_active=now)
    try:
        user.save(condition=User.user_id.does_not_exist())
    except PutError as error:
        if _condition_failed(error):
            return None
        raise
    logger.info("user created", extra={"user_id": user.user_id, "signup_source": source})
    analytics.record("signup", user.user_id, source=stats_source, now=moment)
    return user


def _refresh(identity: TelegramIdentity, attribution: Attribution,
             bot_chat_id: int | None) -> User:
    actions = [User.first_name.set(identity.first_name) if identity.first_name
               else User.first_name.remove(),
               User.last_name.set(identity.last_name) if identity.last_name
               else User.last_name.remove(),
               User.last_active.set(utc_now_iso()), *_attribution_actions(attribution)]
    if identity.username:
        actions += [User.username.set(identity.username),
                    User.username_lc.set(identity.username.lower())]
    else:  # the @username was dropped in Telegram: codes must no longer route to this account
        actions += [User.username.remove(), User.username_lc.remove()]
    if identity.photo_url:  # bot updates carry no photo: keep the one the widget gave
        actions.append(User.photo_url.set(identity.photo_url))
    if bot_chat_id:
        actions.append(User.bot_chat_id.set(bot_chat_id))
    user = User(str(identity.telegram_id))
    user.update(actions=actions, condition=User.user_id.exists())
    return user


def _attribution_actions(attribution: Attribution) -> list:
    """First touch wins: set only where nothing is stored yet (``if_not_exists``)."""
    actions = []
    if attribution.utm:
        actions.append(User.utm.set(User.utm | attribution.utm))
    if attribution.metrika_client_id:
        actions.append(User.metrika_client_id.set(
            User.metrika_client_id | attribution.metrika_client_id))
    if attribution.yclid:  # the first ad click seen wins, like the tags it came with
        actions.append(User.yclid.set(User.yclid | attribution.yclid))
    return actions


def _ensure_signup_bonus(user_id: str) -> None:
    bonus = get_settings().signup_bonus
    if bonus <= 0:
        return
    try:  # one cheap read on later logins; also repairs a bonus lost to a crash at sign-up
        LedgerEntry.get(user_id, SIGNUP_BONUS_ENTRY, attributes_to_get=["entry_id"])
        return
    except LedgerEntry.DoesNotExist:
        pass
    applied = apply_balance_change(BalanceChange(
        user_id=user_id, entry_id=SIGNUP_BONUS_ENTRY, delta=bonus, kind="bonus",
        reference="signup", note="Бесплатная фотосессия за регистрацию"))
    if applied:
        logger.info("signup bonus granted", extra={"user_id": user_id, "delta": bonus})


def _condition_failed(error: Exception) -> bool:
    cause = getattr(error, "cause_response_code", None)
    return cause == "ConditionalCheckFailedException"


# --- profile --------------------------------------------------------------------------------
PROFILE_FIELDS = {"email", "email_notifications"}


def get_profile(user_id: str) -> dict:
    return user_view(get_user(user_id))


def update_profile(user_id: str, changes: Mapping[str, Any]) -> dict:
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise ValidationFailed("Изменить можно только e-mail и e-mail уведомления.",
                               details={"fields": sorted(unknown)})
    user = get_user(user_id)
    actions = []
    email = user.email
    if "email" in changes:
        email = _valid_email(changes["email"])
        actions.append(User.email.set(email) if email else User.email.remove())
    if "email_notifications" in changes:
        enabled = changes["email_notifications"]
        if not isinstance(enabled, bool):
            raise ValidationFailed("Поле email_notifications должно быть true или false.")
        actions.append(User.email_notifications.set(enabled))
    if "email_notifications" in changes:
        if changes["email_notifications"] and not email:
            raise ValidationFailed("Чтобы получать уведомления на почту, укажите e-mail.")
    elif user.email_notifications and not email:
        actions.append(User.email_notifications.set(False))  # no address, no e-mails
    if actions:
        user.update(actions=actions, condition=User.user_id.exists())
    return user_view(get_user(user_id))


def _valid_email(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValidationFailed("Введите e-mail текстом, например name@example.ru.")
    email = value.strip()
    local, _, domain = email.rpartition("@")
    if len(email) > 254 or len(local) > 64 or not _EMAIL.match(email):
        raise ValidationFailed("Похоже, в e-mail опечатка. Проверьте адрес, например "
                               "name@example.ru.")
    return f"{local}@{domain.lower()}"


def log_out_everywhere(user_id: str) -> None:
    """Bump the token version: every token issued before stops working at once."""
    try:
        User(str(user_id)).update(actions=[User.token_version.add(1)],
                                  condition=User.user_id.exists())
    except UpdateError as error:
        if _condition_failed(error):
            raise NotFound("Пользователь не найден.") from None
        raise
    logger.info("logged out everywhere", extra={"user_id": str(user_id)})
