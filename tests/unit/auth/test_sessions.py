"""Session tokens: HS256 pinned, claims required, kid rotation, logout everywhere."""
import base64
import json
import time

import jwt
import pytest

from photoshoot.auth.sessions import authenticate, decode_token, issue_token
from photoshoot.errors import SessionExpired, Unauthorized
from photoshoot.models import User
from photoshoot.models.base import utc_now_iso
from photoshoot.settings import reset_settings_cache


@pytest.fixture
def user(aws):
    User("777", telegram_id=777, created_at=utc_now_iso(), token_version=0).save()
    return "777"


def _claims(settings, **overrides):
    now = int(time.time())
    claims = {"sub": "777", "iat": now, "exp": now + 600, "iss": settings.jwt_issuer,
              "aud": settings.jwt_audience, "ver": 0}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_issued_token_authenticates_its_user(user):
    token = issue_token(user, 0)
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT", "kid": "k1"}
    assert authenticate(token) == user


def test_alg_none_token_is_refused(aws, user):
    token = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': 'k1'})}.{_b64(_claims(aws))}."
    with pytest.raises(Unauthorized) as refused:
        authenticate(token)
    assert refused.value.status == 401 and "Войдите" in refused.value.message


def test_token_signed_with_another_key_is_refused(aws, user):
    token = jwt.encode(_claims(aws), "attacker-secret-0123456789abcdef0123456789",
                       algorithm="HS256", headers={"kid": "k1"})
    with pytest.raises(Unauthorized):
        authenticate(token)


@pytest.mark.filterwarnings("ignore:The HMAC key")
def test_token_with_another_algorithm_is_refused(aws, user):
    token = jwt.encode(_claims(aws), aws.jwt_secret, algorithm="HS512", headers={"kid": "k1"})
    with pytest.raises(Unauthorized):
        decode_token(token)


def test_expired_token_is_refused_as_expired(aws, user):
    token = jwt.encode(_claims(aws, iat=int(time.time()) - 7200, exp=int(time.time()) - 10),
                       aws.jwt_secret, algorithm="HS256", headers={"kid": "k1"})
    with pytest.raises(SessionExpired) as refused:
        authenticate(token)
    assert refused.value.code == "session_expired" and "истекла" in refused.value.message


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "aud", "iss"])
def test_token_without_a_required_claim_is_refused(aws, user, missing):
    token = jwt.encode(_claims(aws, **{missing: None}), aws.jwt_secret, algorithm="HS256",
                       headers={"kid": "k1"})
    with pytest.raises(Unauthorized):
        decode_token(token)


@pytest.mark.parametrize("claim,value", [("aud", "someone-else"), ("iss", "evil")])
def test_token_for_another_audience_or_issuer_is_refused(aws, user, claim, value):
    token = jwt.encode(_claims(aws, **{claim: value}), aws.jwt_secret, algorithm="HS256",
                       headers={"kid": "k1"})
    with pytest.raises(Unauthorized):
        decode_token(token)


def test_unknown_kid_is_refused(aws, user):
    token = jwt.encode(_claims(aws), aws.jwt_secret, algorithm="HS256", headers={"kid": "k9"})
    with pytest.raises(Unauthorized):
        decode_token(token)


def test_previous_key_still_works_after_rotation(aws, user, monkeypatch):
    old_token = issue_token(user, 0)
    monkeypatch.setenv("JWT_KID", "k2")
    monkeypatch.setenv("JWT_SECRET", "new-secret-0123456789abcdef0123456789abcdef")
    monkeypatch.setenv("JWT_PREVIOUS_SECRETS", f"k1:{aws.jwt_secret}")
    reset_settings_cache()
    try:
        assert authenticate(old_token) == user
        assert jwt.get_unverified_header(issue_token(user, 0))["kid"] == "k2"
        monkeypatch.delenv("JWT_PREVIOUS_SECRETS")
        reset_settings_cache()
        with pytest.raises(Unauthorized):
            authenticate(old_token)  # the old key retired: its tokens end
    finally:
        reset_settings_cache()


def test_token_after_logout_is_refused(user):
    from photoshoot.auth.accounts import log_out_everywhere

    token = issue_token(user, 0)
    log_out_everywhere(user)
    with pytest.raises(SessionExpired) as refused:
        authenticate(token)
    assert "вышли" in refused.value.message
    assert authenticate(issue_token(user, 1)) == user


def test_token_of_an_unknown_user_is_refused(aws):
    with pytest.raises(Unauthorized):
        authenticate(issue_token("404404", 0))


def test_last_active_is_written_at_most_once_per_interval(user):
    token = issue_token(user, 0)
    authenticate(token)
    first = User.get(user).last_active
    assert first
    authenticate(token)
    assert User.get(user).last_active == first


@pytest.mark.parametrize("claims", [
    {"ver": "abc"}, {"ver": "0"}, {"ver": True}, {"ver": 1.5}, {"sub": ""}, {"sub": 777},
    {"sub": "7" * 300}, {"sub": ["777"]},
])
def test_a_well_signed_token_with_claims_of_the_wrong_shape_is_refused(aws, user, claims):
    """Signed with our key but not made by issue_token: a 401, never a failing lookup."""
    payload = {**_claims(aws), **claims}
    token = jwt.encode(payload, aws.jwt_secret, algorithm="HS256", headers={"kid": "k1"})
    with pytest.raises(Unauthorized) as refused:
        authenticate(token)
    assert refused.value.status == 401


def test_a_token_whose_version_is_null_is_refused(aws, user):
    token = jwt.encode({**_claims(aws), "ver": None}, aws.jwt_secret, algorithm="HS256",
                       headers={"kid": "k1"})
    with pytest.raises(Unauthorized):
        authenticate(token)


def test_a_token_signed_by_a_clock_a_little_ahead_is_accepted(aws, user):
    # The Lambda that signed it runs a few seconds ahead of the one checking it, and the
    # SPA uses the token at once: refusing it logged a fresh login out.
    token = jwt.encode(_claims(aws, iat=int(time.time()) + 5), aws.jwt_secret,
                       algorithm="HS256", headers={"kid": "k1"})
    assert authenticate(token) == user


@pytest.mark.parametrize("iat", [int(time.time()) + 3600, "0", 1.5, True])
def test_a_token_issued_far_ahead_or_with_a_malformed_iat_is_refused(aws, user, iat):
    token = jwt.encode(_claims(aws, iat=iat), aws.jwt_secret, algorithm="HS256",
                       headers={"kid": "k1"})
    with pytest.raises(Unauthorized):
        authenticate(token)
