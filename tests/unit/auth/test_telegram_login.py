"""Login Widget and Mini App data: only what Telegram signed, and only while it is fresh."""
import json
import time
from urllib.parse import parse_qsl, urlencode

import pytest

from photoshoot.auth.telegram_login import (LoginExpired, login_widget_hash, webapp_hash,
                                            verify_login_widget, verify_webapp_init_data)
from photoshoot.errors import InvalidSignature
from photoshoot.settings import get_settings, reset_settings_cache
from tests.unit.telegram.fakes import ANNA, signed_init_data, signed_widget


@pytest.fixture
def settings():
    reset_settings_cache()
    return get_settings()


def test_valid_widget_data_gives_the_identity(settings):
    payload = signed_widget(settings, **ANNA, last_name="Иванова",
                            photo_url="https://t.me/i/userpic/320/anna.jpg")
    identity = verify_login_widget(payload)
    assert identity.telegram_id == ANNA["id"]
    assert identity.username == "anna_shop" and identity.first_name == "Анна"
    assert identity.photo_url.endswith("anna.jpg")


def test_known_vector_matches_telegrams_algorithm(settings):
    # Independent computation: key = SHA256(token), HMAC-SHA256 over sorted "k=v" lines.
    import hashlib
    import hmac

    fields = {"id": "42", "first_name": "Ann", "auth_date": "1700000000", "username": "ann"}
    check = "auth_date=1700000000\nfirst_name=Ann\nid=42\nusername=ann"
    expected = hmac.new(hashlib.sha256(b"123:ABC").digest(), check.encode(),
                        hashlib.sha256).hexdigest()
    assert login_widget_hash(fields, "123:ABC") == expected


@pytest.mark.parametrize("forged", ["é" * 64, "хэш", "\u0000" * 64])
def test_a_hash_with_characters_outside_hex_is_refused_not_a_crash(settings, forged):
    payload = signed_widget(settings, **ANNA)
    payload["hash"] = forged
    with pytest.raises(InvalidSignature):
        verify_login_widget(payload)
    fields = dict(parse_qsl(signed_init_data(settings, ANNA)))
    fields["hash"] = forged
    with pytest.raises(InvalidSignature):
        verify_webapp_init_data(urlencode(fields))


def test_forged_hash_is_refused(settings):
    payload = signed_widget(settings, **ANNA)
    payload["hash"] = "0" * 64
    with pytest.raises(InvalidSignature) as refused:
        verify_login_widget(payload)
    assert refused.value.status == 401
    assert "Подпись" in refused.value.message


@pytest.mark.parametrize("field,value", [("id", 5550999), ("username", "someone_else"),
                                         ("first_name", "Мошенник")])
def test_a_changed_field_breaks_the_signature(settings, field, value):
    payload = signed_widget(settings, **ANNA)
    payload[field] = value
    with pytest.raises(InvalidSignature):
        verify_login_widget(payload)


def test_an_added_field_breaks_the_signature(settings):
    payload = signed_widget(settings, **ANNA)
    payload["is_admin"] = "true"
    with pytest.raises(InvalidSignature):
        verify_login_widget(payload)


def test_data_signed_with_another_bots_token_is_refused(settings):
    payload = {**ANNA, "auth_date": int(time.time())}
    payload["hash"] = login_widget_hash({k: str(v) for k, v in payload.items()}, "999:OTHER")
    with pytest.raises(InvalidSignature):
        verify_login_widget(payload)


def test_missing_hash_is_refused(settings):
    payload = signed_widget(settings, **ANNA)
    del payload["hash"]
    with pytest.raises(InvalidSignature):
        verify_login_widget(payload)


def test_stale_auth_date_is_refused(settings):
    payload = signed_widget(settings, **ANNA, auth_date=int(time.time()) - 24 * 3600 - 60)
    with pytest.raises(LoginExpired) as refused:
        verify_login_widget(payload)
    assert refused.value.status == 401 and "устарели" in refused.value.message


def test_freshness_window_is_configurable(monkeypatch):
    monkeypatch.setenv("TELEGRAM_AUTH_MAX_AGE_S", "60")
    reset_settings_cache()
    try:
        payload = signed_widget(get_settings(), **ANNA, auth_date=int(time.time()) - 120)
        with pytest.raises(LoginExpired):
            verify_login_widget(payload)
    finally:
        monkeypatch.delenv("TELEGRAM_AUTH_MAX_AGE_S")
        reset_settings_cache()


def test_auth_date_from_the_future_is_refused(settings):
    payload = signed_widget(settings, **ANNA, auth_date=int(time.time()) + 3600)
    with pytest.raises(InvalidSignature):
        verify_login_widget(payload)


def test_unsigned_extras_from_the_spa_are_ignored(settings):
    payload = signed_widget(settings, **ANNA)
    payload.update(utm={"utm_source": "vk"}, metrika_client_id="1700000000123")
    assert verify_login_widget(payload).telegram_id == ANNA["id"]


def test_valid_init_data_gives_the_identity(settings):
    init_data = signed_init_data(settings, {**ANNA, "language_code": "ru"})
    identity = verify_webapp_init_data(init_data)
    assert identity.telegram_id == ANNA["id"] and identity.username == "anna_shop"


def test_init_data_with_a_changed_user_is_refused(settings):
    fields = dict(parse_qsl(signed_init_data(settings, ANNA)))
    fields["user"] = json.dumps({**ANNA, "id": 1})
    with pytest.raises(InvalidSignature):
        verify_webapp_init_data(urlencode(fields))


def test_init_data_signed_with_the_widget_key_is_refused(settings):
    fields = {"user": json.dumps(ANNA), "auth_date": str(int(time.time()))}
    fields["hash"] = login_widget_hash(fields, settings.telegram_bot_token)
    with pytest.raises(InvalidSignature):
        verify_webapp_init_data(urlencode(fields))


def test_init_data_with_a_repeated_key_is_refused(settings):
    init_data = signed_init_data(settings, ANNA)
    with pytest.raises(InvalidSignature):
        verify_webapp_init_data(init_data + "&user=" + json.dumps({"id": 1}))


def test_stale_init_data_is_refused(settings):
    with pytest.raises(LoginExpired):
        verify_webapp_init_data(signed_init_data(settings, ANNA,
                                                 auth_date=int(time.time()) - 2 * 86400))


def test_widget_fields_regrouped_around_a_line_break_do_not_sign_in_someone_else(settings):
    # Signed for the attacker 5559999, whose first name carries "\nid=<Anna>": the
    # data-check-string is the same when the fields are regrouped so that "id" is Anna's.
    signed = signed_widget(settings, id=5559999, first_name=f"x\nid={ANNA['id']}",
                           username="evil_shop")
    regrouped = {"auth_date": signed["auth_date"], "first_name": "x", "id": str(ANNA["id"]),
                 "id=5559999\nusername": "evil_shop", "hash": signed["hash"]}
    for payload in (signed, regrouped):
        with pytest.raises(InvalidSignature):
            verify_login_widget(payload)


def test_init_data_fields_regrouped_around_a_line_break_are_refused(settings):
    # Signed with a query_id carrying "\nuser=<Anna>" and the attacker, named "a=b", as
    # "user": a key cut from the attacker's line at its "=" rebuilds the same
    # data-check-string with Anna as "user".
    attacker = json.dumps({"id": 5559999, "first_name": "a=b"})
    fields = {"auth_date": str(int(time.time())), "query_id": f"q\nuser={json.dumps(ANNA)}",
              "user": attacker}
    cut = attacker.index("=")
    regrouped = {"auth_date": fields["auth_date"], "query_id": "q", "user": json.dumps(ANNA),
                 f"user={attacker[:cut]}": attacker[cut + 1:]}
    fields["hash"] = regrouped["hash"] = webapp_hash(fields, settings.telegram_bot_token)
    for data in (fields, regrouped):
        with pytest.raises(InvalidSignature):
            verify_webapp_init_data(urlencode(data))


def test_a_lone_surrogate_in_widget_data_is_refused_not_a_crash(settings):
    payload = signed_widget(settings, **ANNA)
    payload["last_name"] = json.loads('"\\ud800"')
    with pytest.raises(InvalidSignature):
        verify_login_widget(payload)


def test_a_lone_surrogate_in_init_data_is_refused_not_a_crash(settings):
    with pytest.raises(InvalidSignature):
        verify_webapp_init_data(signed_init_data(settings, ANNA) + "&x=" + "\ud800")


def test_a_signed_auth_date_too_long_for_a_float_is_refused_not_a_crash(settings):
    init_data = signed_init_data(settings, ANNA, auth_date=int("9" * 400))
    with pytest.raises(InvalidSignature):
        verify_webapp_init_data(init_data)
