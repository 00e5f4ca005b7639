"""Login challenges confirmed through the bot: a deep link or a 6-digit code.

Two ids per challenge:
- the **browser secret** (``challenge_id`` in the API, 192 random bits): only the browser
  that started the login has it; it polls or verifies with it;
- the **public id** = base64url(SHA256(secret)) — the item key in ``auth_challenges`` and
  the payload of the bot link ``t.me/<bot>?start=login_<public id>``. Seeing the link (or
  the table) does not give the secret, so nobody else can collect the token.

Codes are stored only as an HMAC, expire after ``AUTH_CODE_TTL_S`` (5 min), and every
attempt first decrements ``attempts_left`` with a conditional update, so five wrong tries
burn the code even under concurrent guessing.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from pynamodb.exceptions import PutError, UpdateError

from photoshoot import ratelimit
from photoshoot.errors import Conflict, Gone, NotFound, RateLimited, ValidationFailed
from photoshoot.models import AuthChallenge
from photoshoot.models.base import utc_now_iso
from photoshoot.settings import get_settings

CODE_ATTEMPTS = 5
# Wrong codes an account may receive per day, across all its codes: past it, code login for
# that account waits for tomorrow (the link through the bot still works).
WRONG_CODES_SCOPE = "auth-wrong-code"
DAY_S = 24 * 3600
TOO_MANY_WRONG_CODES = ("Слишком много неверных кодов за сутки. Войдите по ссылке через "
                        "бота или попробуйте завтра.")
LINK_PAYLOAD_PREFIX = "login_"
CODE_PAYLOAD_PREFIX = "code_"
_PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{32}\Z")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,64}\Z")
_CODE = re.compile(r"^[0-9]{6}\Z")


# --- errors a person can meet (all 4xx, Russian) ---------------------------------------------
class ChallengeNotFound(NotFound):
    code = "challenge_not_found"
    message = "Запрос на вход не найден. Начните вход заново."


class ChallengeExpired(Gone):
    code = "challenge_expired"
    message = "Время на вход истекло. Начните вход заново."


class ChallengeUsed(Gone):
    code = "challenge_used"
    message = "Этот вход уже выполнен. Если это были не вы, начните вход заново."


class InvalidCode(ValidationFailed):
    code = "invalid_code"
    message = "Неверный код. Проверьте сообщение от бота и попробуйте ещё раз."


class CodeBurned(Gone):
    code = "code_burned"
    message = "Слишком много неверных попыток. Запросите новый код."


class CodeNotSent(Conflict):
    code = "code_not_sent"
    message = "Код ещё не отправлен: откройте бота по ссылке и нажмите «Старт»."


# --- ids and hashes ------------------------------------------------------------------------
def new_secret() -> str:
    return secrets.token_urlsafe(24)


def public_id_of(secret: str) -> str:
    digest = hashlib.sha256(f"photoshoot-login:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _code_hash(public_id: str, code: str) -> str:
    key = hashlib.sha256(f"login-code:{get_settings().jwt_secret}".encode()).digest()
    return hmac.new(key, f"{public_id}:{code}".encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def bot_link(payload: str) -> str:
    return f"https://t.me/{get_settings().telegram_bot_username}?start={payload}"


def _at(seconds_from_now: float) -> datetime:
    return datetime.fromtimestamp(int(time.time() + seconds_from_now), tz=timezone.utc)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _checked_public_id(secret: str) -> str:
    if not isinstance(secret, str) or not _SECRET.match(secret):
        raise ChallengeNotFound()
    return public_id_of(secret)


def _load(public_id: str) -> AuthChallenge | None:
    try:
        return AuthChallenge.get(public_id, consistent_read=True)
    except AuthChallenge.DoesNotExist:
        return None


def _is_expired(challenge: AuthChallenge) -> bool:
    return challenge.expires_at is None or challenge.expires_at <= _now()


def _condition_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def _create(challenge: AuthChallenge) -> None:
    try:
        challenge.save(condition=AuthChallenge.challenge_id.does_not_exist())
    except PutError as error:  # 192 random bits never collide; refuse rather than overwrite
        if _condition_failed(error):
            raise Conflict() from None
        raise


# --- deep link -----------------------------------------------------------------------------
@dataclass(frozen=True)
class StartedChallenge:
    secret: str
    public_id: str
    bot_link: str
    expires_in: int


@dataclass(frozen=True)
class LinkState:
    status: str  # pending | confirmed | expired
    user_id: str | None = None
    attribution_json: str | None = None


def start_link(attribution_json: str | None, device: str = "") -> StartedChallenge:
    ttl = get_settings().auth_link_ttl_s
    secret = new_secret()
    public_id = public_id_of(secret)
    _create(AuthChallenge(public_id, kind="link", status="pending",
                          browser_secret_hash=_secret_hash(secret), utm=attribution_json,
                          device=device or None, attempts_left=0, created_at=utc_now_iso(),
                          expires_at=_at(ttl)))
    return StartedChallenge(secret, public_id, bot_link(LINK_PAYLOAD_PREFIX + public_id), ttl)


def pending_challenge(public_id: str, kind: str) -> AuthChallenge:
    """A challenge the bot was asked about (``/start login_…`` or ``code_…``)."""
    challenge = _load(public_id) if _PUBLIC_ID.match(public_id or "") else None
    if challenge is None or challenge.kind != kind:
        raise ChallengeNotFound()
    if challenge.status in ("consumed", "burned") or (challenge.status == "confirmed"
                                                      and kind == "link"):
        raise ChallengeUsed()
    if _is_expired(challenge):
        raise ChallengeExpired()
    return challenge


def confirm_link(public_id: str, user_id: str) -> None:
    """The person pressed "Confirm login" in the bot: bind the challenge to their account."""
    if not _PUBLIC_ID.match(public_id or ""):  # not one of ours: no key lookup to fail on
        raise ChallengeNotFound()
    challenge = AuthChallenge(public_id)
    try:
        challenge.update(
            actions=[AuthChallenge.status.set("confirmed"), AuthChallenge.user_id.set(user_id)],
            condition=(AuthChallenge.challenge_id.exists() & (AuthChallenge.kind == "link")
                       & (AuthChallenge.status == "pending")
                       & (AuthChallenge.expires_at > _now())))
    except UpdateError as error:
        if not _condition_failed(error):
            raise
        current = _load(public_id)
        if current is not None and current.status == "confirmed" and current.user_id == user_id:
            return  # the same button pressed twice
        pending_challenge(public_id, "link")  # raises the reason
        raise ChallengeUsed() from None


def poll_link(secret: str) -> LinkState:
    """What the browser that started the login sees. A confirmed challenge is handed over
    exactly once (confirmed → consumed); later polls get ``ChallengeUsed``."""
    public_id = _checked_public_id(secret)
    challenge = _load(public_id)
    if (challenge is None or challenge.kind != "link"
            or not hmac.compare_digest(challenge.browser_secret_hash or "",
                                       _secret_hash(secret))):
        raise ChallengeNotFound()
    if challenge.status == "consumed":
        raise ChallengeUsed()
    if _is_expired(challenge):
        return LinkState("expired")
    if challenge.status == "pending":
        return LinkState("pending")
    try:
        challenge.update(actions=[AuthChallenge.status.set("consumed")],
                         condition=AuthChallenge.status == "confirmed")
    except UpdateError as error:
        if _condition_failed(error):
            raise ChallengeUsed() from None  # another poll took it an instant earlier
        raise
    return LinkState("confirmed", challenge.user_id, challenge.utm)


# --- code ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CodeChallenge:
    started: StartedChallenge
    code: str | None  # plain code to send now (known chat), never stored


def start_code(username_lc: str, attribution_json: str | None,
               user_id: str | None) -> CodeChallenge:
    """A code login for ``@username``. With a chat the bot can write to (``user_id``) the
    code is made now for the bot to send; otherwise the challenge only carries the bot link
    (``code_<public id>``) the person starts the bot with, then asks for a code again."""
    settings = get_settings()
    secret = new_secret()
    public_id = public_id_of(secret)
    code = new_code() if user_id else None
    ttl = settings.auth_code_ttl_s if code else settings.auth_link_ttl_s
    _create(AuthChallenge(public_id, kind="code", status="pending", user_id=user_id,
                          username=username_lc, browser_secret_hash=_secret_hash(secret),
                          code_hash=_code_hash(public_id, code) if code else None,
                          attempts_left=CODE_ATTEMPTS, utm=attribution_json,
                          created_at=utc_now_iso(), expires_at=_at(ttl)))
    started = StartedChallenge(secret, public_id, bot_link(CODE_PAYLOAD_PREFIX + public_id),
                               ttl)
    return CodeChallenge(started, code)


def withdraw_code(public_id: str) -> int:
    """The bot could not deliver the code (the chat is closed to it): forget the code and
    give the person the link's time to start the bot. Returns the new lifetime."""
    ttl = get_settings().auth_link_ttl_s
    AuthChallenge(public_id).update(actions=[AuthChallenge.code_hash.remove(),
                                             AuthChallenge.user_id.remove(),
                                             AuthChallenge.expires_at.set(_at(ttl))])
    return ttl


@dataclass(frozen=True)
class VerifiedCode:
    user_id: str
    attribution_json: str | None


def verify_code(secret: str, code: str) -> VerifiedCode:
    if not isinstance(code, str) or not _CODE.match(code.strip()):
        raise ValidationFailed("Код — это 6 цифр из сообщения бота.")
    code = code.strip()
    public_id = _checked_public_id(secret)
    challenge = AuthChallenge(public_id)
    try:  # spend one attempt first, atomically; only then compare
        challenge.update(
            actions=[AuthChallenge.attempts_left.add(-1)],
            condition=(AuthChallenge.challenge_id.exists() & (AuthChallenge.kind == "code")
                       & (AuthChallenge.status == "pending")
                       & (AuthChallenge.browser_secret_hash == _secret_hash(secret))
                       & AuthChallenge.code_hash.exists()
                       & (AuthChallenge.attempts_left > 0)
                       & (AuthChallenge.expires_at > _now())))
    except UpdateError as error:
        if _condition_failed(error):
            raise _why_code_refused(public_id, secret) from None
        raise
    budget = get_settings().auth_wrong_codes_per_day
    if not hmac.compare_digest(challenge.code_hash or "", _code_hash(public_id, code)):
        try:
            ratelimit.hit(WRONG_CODES_SCOPE, str(challenge.user_id), budget, DAY_S,
                          message=TOO_MANY_WRONG_CODES)
        except RateLimited:
            _mark(challenge, "burned")
            raise
        left = int(challenge.attempts_left)
        if left <= 0:
            _mark(challenge, "burned")
            raise InvalidCode("Неверный код. Попыток больше нет — запросите новый код.",
                              details={"attempts_left": 0})
        raise InvalidCode(f"Неверный код. Осталось попыток: {left}.",
                          details={"attempts_left": left})
    if ratelimit.count(WRONG_CODES_SCOPE, str(challenge.user_id), DAY_S) >= budget:
        # the budget is spent: a right code now is as likely a lucky guess as the person
        _mark(challenge, "burned")
        raise RateLimited(TOO_MANY_WRONG_CODES,
                          details={"retry_after_s": DAY_S - int(time.time()) % DAY_S})
    try:
        challenge.update(actions=[AuthChallenge.status.set("consumed")],
                         condition=AuthChallenge.status == "pending")
    except UpdateError as error:
        if _condition_failed(error):
            raise ChallengeUsed("Этот код уже использован. Запросите новый.") from None
        raise
    return VerifiedCode(challenge.user_id, challenge.utm)


def _mark(challenge: AuthChallenge, status: str) -> None:
    try:
        challenge.update(actions=[AuthChallenge.status.set(status)],
                         condition=AuthChallenge.status == "pending")
    except UpdateError:
        pass  # already consumed or burned by a concurrent attempt


def _why_code_refused(public_id: str, secret: str) -> Exception:
    current = _load(public_id)
    if (current is None or current.kind != "code"
            or not hmac.compare_digest(current.browser_secret_hash or "", _secret_hash(secret))):
        return ChallengeNotFound("Код не найден. Запросите новый код.")
    if current.status == "consumed":
        return ChallengeUsed("Этот код уже использован. Запросите новый.")
    if current.status == "burned" or int(current.attempts_left or 0) <= 0:
        return CodeBurned()
    if _is_expired(current):
        return ChallengeExpired("Срок действия кода истёк. Запросите новый код.")
    if not current.code_hash:
        return CodeNotSent()
    return Conflict()
