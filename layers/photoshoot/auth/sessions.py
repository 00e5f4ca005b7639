"""JWT sessions: HS256 with the algorithm pinned, required claims, a ``kid`` for key
rotation and a per-user token version so logging out ends every session."""
from __future__ import annotations

import time

from photoshoot.errors import SessionExpired, Unauthorized
from photoshoot.settings import get_settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "sub", "aud", "iss"]
# last_active is "cheap": the authorizer writes it at most once per user per 5 minutes.
LAST_ACTIVE_RESOLUTION_S = 300
MAX_SUBJECT_LEN = 64
# The Lambda that signs and the one that checks have their own clocks, and the SPA uses a
# new token at once: PyJWT's own ``iat`` check refuses one a millisecond ahead of the
# checker's clock. ``exp`` stays exact.
CLOCK_SKEW_S = 30


def _keys() -> dict[str, str]:
    """kid -> secret; JWT_PREVIOUS_SECRETS holds ``kid:secret`` pairs still accepted."""
    settings = get_settings()
    keys = {settings.jwt_kid: settings.jwt_secret}
    for pair in settings.jwt_previous_secrets:
        kid, _, secret = pair.partition(":")
        if kid and secret:
            keys.setdefault(kid, secret)
    return keys


def issue_token(user_id: str, token_version: int) -> str:
    settings = get_settings()
    now = int(time.time())
    claims = {"sub": str(user_id), "iat": now, "exp": now + settings.jwt_ttl_s,
              "iss": settings.jwt_issuer, "aud": settings.jwt_audience, "ver": int(token_version)}
    import jwt  # noqa: PLC0415 - PyJWT loads cryptography; only token work pays for it

    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM,
                      headers={"kid": settings.jwt_kid})


def decode_token(token: str) -> dict:
    """Verified claims of a session token; any defect is a 401."""
    import jwt  # noqa: PLC0415 - see issue_token

    settings = get_settings()
    if not token:
        raise Unauthorized()
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        secret = _keys().get(kid)
        if secret is None:
            raise Unauthorized("Сессия недействительна. Войдите ещё раз.")
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            audience=settings.jwt_audience, issuer=settings.jwt_issuer,
                            options={"require": REQUIRED_CLAIMS, "verify_iat": False})
    except jwt.ExpiredSignatureError:
        raise SessionExpired() from None
    except jwt.PyJWTError:
        raise Unauthorized("Сессия недействительна. Войдите ещё раз.") from None
    if not _claims_have_our_shape(claims) or not _not_issued_ahead(claims["iat"]):
        raise Unauthorized("Сессия недействительна. Войдите ещё раз.")
    return claims


def _not_issued_ahead(iat) -> bool:
    return type(iat) is int and iat <= time.time() + CLOCK_SKEW_S  # noqa: E721 - not bool


def _claims_have_our_shape(claims: dict) -> bool:
    """A signature proves who signed, not that the claims are ours (a token signed with a
    leaked or test key, a hand-made one): the user lookup must get a key DynamoDB accepts
    and a version it can compare, or the authorizer would fail with a 500."""
    subject, version = claims.get("sub"), claims.get("ver")
    return (isinstance(subject, str) and 0 < len(subject) <= MAX_SUBJECT_LEN
            and type(version) is int)  # noqa: E721 - bool is an int subclass; not a version


def authenticate(token: str) -> str:
    """The user id of a valid, not logged-out session token."""
    from photoshoot.models import User  # noqa: PLC0415 - keeps token checks import-light

    claims = decode_token(token)
    try:
        user = User.get(claims["sub"], consistent_read=True,
                        attributes_to_get=["user_id", "token_version", "last_active"])
    except User.DoesNotExist:
        raise Unauthorized("Сессия недействительна. Войдите ещё раз.") from None
    if claims["ver"] != int(user.token_version or 0):
        raise SessionExpired("Вы вышли из аккаунта. Войдите ещё раз.")
    _touch_last_active(user)
    return user.user_id


def _touch_last_active(user) -> None:
    """Keep ``last_active`` within ``LAST_ACTIVE_RESOLUTION_S``: at most one write per user
    per interval (conditional on the value just read, so concurrent requests write once)."""
    from datetime import datetime, timedelta, timezone  # noqa: PLC0415

    from pynamodb.exceptions import UpdateError  # noqa: PLC0415

    from photoshoot.models import User  # noqa: PLC0415
    from photoshoot.models.base import utc_now_iso  # noqa: PLC0415

    now = datetime.now(timezone.utc)
    threshold = (now - timedelta(seconds=LAST_ACTIVE_RESOLUTION_S)).isoformat(
        timespec="milliseconds").replace("+00:00", "Z")
    if user.last_active and user.last_active > threshold:
        return
    condition = (User.last_active == user.last_active) if user.last_active else \
        User.last_active.does_not_exist()
    try:
        User(user.user_id).update(actions=[User.last_active.set(utc_now_iso())],
                                  condition=condition & User.user_id.exists())
    except UpdateError:
        pass  # another request of this user touched it first; either write is fine
