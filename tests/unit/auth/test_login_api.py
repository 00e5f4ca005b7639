"""The ways in over HTTP: Login Widget and Mini App, the profile, logout, sign-up bonus."""
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from photoshoot.models import LedgerEntry, User
from tests.unit.telegram.fakes import ANNA, BORIS, signed_init_data, signed_widget

USER_KEYS = {"id", "telegram_id", "username", "first_name", "photo_url", "balance", "email",
             "email_notifications", "is_admin"}


def _login(api, settings, who=ANNA, **extra):
    return api.post("/api/auth/telegram", body={**signed_widget(settings, **who), **extra})


def _is_russian_error(response, status, code=None):
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert any("а" <= ch <= "я" for ch in error["message"].lower())
    if code:
        assert error["code"] == code


def test_widget_login_creates_the_account_with_one_free_photoshoot(api, aws):
    response = _login(api, aws, who={**ANNA, "photo_url": "https://t.me/i/userpic/320/a.jpg"})
    assert response.status_code == 200
    assert set(response.json) == {"token", "user", "is_new"}
    assert response.json["is_new"] is True
    user = response.json["user"]
    assert set(user) == USER_KEYS
    assert user == {**user, "id": str(ANNA["id"]), "telegram_id": ANNA["id"],
                    "username": "anna_shop", "first_name": "Анна", "balance": 1,
                    "email": None, "email_notifications": False, "is_admin": False}
    me = api.get("/api/me", token=response.json["token"])
    assert me.status_code == 200 and me.json == user


def test_only_the_first_web_login_is_reported_as_a_signup(api, aws):
    answers = [_login(api, aws).json["is_new"] for _ in range(3)]
    assert answers == [True, False, False]


def test_signup_bonus_is_granted_exactly_once(api, aws):
    for _ in range(3):
        assert _login(api, aws).json["user"]["balance"] == 1
    entries = [e.entry_id for e in LedgerEntry.query(str(ANNA["id"]))]
    assert entries == ["bonus#signup"]


def test_concurrent_first_logins_grant_one_bonus(aws):
    from photoshoot.auth.accounts import sign_in
    from photoshoot.auth.telegram_login import TelegramIdentity

    identity = TelegramIdentity.from_telegram_user(BORIS)
    with ThreadPoolExecutor(max_workers=6) as pool:
        users = list(pool.map(lambda _: sign_in(identity, source="widget"), range(6)))
    assert {u.user_id for u in users} == {str(BORIS["id"])}
    assert User.get(str(BORIS["id"])).balance == 1
    assert len(list(LedgerEntry.query(str(BORIS["id"])))) == 1


def test_profile_follows_telegram_on_each_login(api, aws):
    _login(api, aws)
    user = _login(api, aws, who={**ANNA, "username": "Anna_Renamed", "first_name": "Аня"}
                  ).json["user"]
    assert user["username"] == "Anna_Renamed" and user["first_name"] == "Аня"
    assert User.get(str(ANNA["id"])).username_lc == "anna_renamed"


def test_first_touch_attribution_is_kept_and_never_overwritten(api, aws):
    _login(api, aws, utm={"utm_source": "vk", "utm_campaign": "spring", "evil": "x"},
           metrika_client_id="1700000000123456")
    _login(api, aws, utm={"utm_source": "google"}, metrika_client_id="999")
    stored = User.get(str(ANNA["id"]))
    assert stored.utm.as_dict() == {"utm_source": "vk", "utm_campaign": "spring"}
    assert stored.metrika_client_id == "1700000000123456"
    assert stored.signup_source == "widget"


def test_attribution_is_stored_for_an_account_that_had_none(api, aws):
    _login(api, aws)
    _login(api, aws, utm={"utm_source": "telegram_ads"})
    assert User.get(str(ANNA["id"])).utm.as_dict() == {"utm_source": "telegram_ads"}


def test_forged_widget_hash_is_a_401_in_russian(api, aws):
    payload = signed_widget(aws, **ANNA)
    payload["hash"] = "f" * 64
    response = api.post("/api/auth/telegram", body=payload)
    _is_russian_error(response, 401, "invalid_signature")
    assert User.count() == 0


def test_changed_widget_field_is_a_401(api, aws):
    payload = signed_widget(aws, **ANNA)
    payload["id"] = BORIS["id"]
    _is_russian_error(api.post("/api/auth/telegram", body=payload), 401, "invalid_signature")


def test_stale_widget_login_is_a_401(api, aws):
    payload = signed_widget(aws, **ANNA, auth_date=int(time.time()) - 90000)
    _is_russian_error(api.post("/api/auth/telegram", body=payload), 401, "login_expired")


def test_webapp_login_signs_in_the_mini_app_user(api, aws):
    response = api.post("/api/auth/webapp", body={
        "init_data": signed_init_data(aws, BORIS), "utm": {"utm_source": "miniapp"}})
    assert response.status_code == 200
    assert response.json["user"]["username"] == "boris_store"
    assert response.json["user"]["balance"] == 1
    assert User.get(str(BORIS["id"])).signup_source == "webapp"


def test_forged_init_data_is_a_401(api, aws):
    init_data = signed_init_data(aws, BORIS).replace("boris_store", "anna_shop")
    _is_russian_error(api.post("/api/auth/webapp", body={"init_data": init_data}), 401,
                      "invalid_signature")


def test_webapp_without_init_data_is_a_400(api):
    _is_russian_error(api.post("/api/auth/webapp", body={}), 400)


def test_broken_json_is_a_400(api):
    _is_russian_error(api.post("/api/auth/telegram", body="{not json"), 400)


def test_me_without_a_token_is_refused(api):
    assert api.get("/api/me").status_code == 401
    assert api.get("/api/me", token="not-a-jwt").status_code == 403


def test_logout_ends_every_session(api, aws):
    first = _login(api, aws).json["token"]
    second = _login(api, aws).json["token"]
    assert api.post("/api/auth/logout", token=first).status_code == 200
    assert api.get("/api/me", token=first).status_code == 403
    assert api.get("/api/me", token=second).status_code == 403
    fresh = _login(api, aws).json["token"]
    assert api.get("/api/me", token=fresh).status_code == 200


def test_email_and_notifications_can_be_set_and_cleared(api, aws):
    token = _login(api, aws).json["token"]
    response = api.patch("/api/me", token=token,
                         body={"email": " Anna@Example.RU ", "email_notifications": True})
    assert response.status_code == 200
    assert response.json["email"] == "Anna@example.ru"
    assert response.json["email_notifications"] is True
    cleared = api.patch("/api/me", token=token, body={"email": ""}).json
    assert cleared["email"] is None and cleared["email_notifications"] is False
    assert api.get("/api/me", token=token).json["email"] is None


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "anna@@example.ru",
                                   "anna@example..ru", "x" * 250 + "@example.ru", 42])
def test_invalid_email_is_a_400_in_russian(api, aws, email):
    token = _login(api, aws).json["token"]
    _is_russian_error(api.patch("/api/me", token=token, body={"email": email}), 400,
                      "validation_failed")


def test_notifications_need_an_email(api, aws):
    token = _login(api, aws).json["token"]
    _is_russian_error(api.patch("/api/me", token=token, body={"email_notifications": True}),
                      400)


def test_only_email_settings_are_editable(api, aws):
    token = _login(api, aws).json["token"]
    response = api.patch("/api/me", token=token, body={"balance": 100, "is_admin": True})
    _is_russian_error(response, 400, "validation_failed")
    assert api.get("/api/me", token=token).json["balance"] == 1


def test_admin_ids_from_settings_make_an_admin(api, aws, monkeypatch):
    from photoshoot.settings import reset_settings_cache

    monkeypatch.setenv("ADMIN_USER_IDS", str(BORIS["id"]))
    reset_settings_cache()
    try:
        assert _login(api, aws, who=BORIS).json["user"]["is_admin"] is True
        assert _login(api, aws, who=ANNA).json["user"]["is_admin"] is False
    finally:
        monkeypatch.delenv("ADMIN_USER_IDS")
        reset_settings_cache()


def test_an_unstorable_utm_value_is_a_clear_400_not_a_500(api, aws):
    response = _login(api, aws, utm={"utm_source": "\ud800", "utm_medium": "cpc"})
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "bad_request"
