"""Login by a deep link: the browser starts it, the person confirms in the bot, and only
the browser that started it collects the token — once."""
import time
from datetime import datetime, timezone

from photoshoot.models import AuthChallenge, User
from tests.unit.telegram.fakes import ANNA, BORIS


def _start(api, **body):
    response = api.post("/api/auth/link", body=body)
    assert response.status_code == 200, response.json
    return response.json


def _payload(started):
    return started["bot_link"].split("?start=", 1)[1]


def _poll(api, challenge_id):
    return api.get(f"/api/auth/link/{challenge_id}")


def _error(response, status, code):
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code
    assert any("а" <= ch <= "я" for ch in response.json["error"]["message"].lower())


def test_link_login_from_start_to_token(api, fake_bot, telegram):
    started = _start(api, utm={"utm_source": "yandex"})
    assert set(started) == {"challenge_id", "bot_link", "expires_in"}
    assert started["bot_link"].startswith("https://t.me/photoshoot_local_bot?start=login_")
    assert len(_payload(started)) <= 64
    assert started["challenge_id"] not in started["bot_link"]
    assert _poll(api, started["challenge_id"]).json == {"status": "pending"}

    telegram.write(ANNA, f"/start {_payload(started)}")
    assert "@anna_shop" in fake_bot.last_text(ANNA["id"])
    data = fake_bot.button_data(ANNA["id"])
    assert _poll(api, started["challenge_id"]).json == {"status": "pending"}

    telegram.press(ANNA, data)
    assert fake_bot.answers()[-1]["text"] == "Вход подтверждён"
    assert "подтверждён" in fake_bot.sent(ANNA["id"], "editMessageText")[-1]["text"]

    response = _poll(api, started["challenge_id"])
    assert response.status_code == 200
    assert response.json["status"] == "confirmed"
    assert response.json["user"]["id"] == str(ANNA["id"])
    assert response.json["user"]["balance"] == 1
    assert api.get("/api/me", token=response.json["token"]).status_code == 200
    stored = User.get(str(ANNA["id"]))
    assert stored.utm.as_dict() == {"utm_source": "yandex"}  # stored when the account was made
    assert stored.signup_source == "web_link"


def test_token_is_handed_over_only_once(api, fake_bot, telegram):
    started = _start(api)
    telegram.write(BORIS, f"/start {_payload(started)}")
    telegram.press(BORIS, fake_bot.button_data(BORIS["id"]))
    assert "token" in _poll(api, started["challenge_id"]).json
    _error(_poll(api, started["challenge_id"]), 410, "challenge_used")


def test_the_public_link_id_cannot_collect_the_token(api, fake_bot, telegram):
    started = _start(api)
    public_id = _payload(started)[len("login_"):]
    telegram.write(ANNA, f"/start login_{public_id}")
    telegram.press(ANNA, fake_bot.button_data(ANNA["id"]))
    _error(_poll(api, public_id), 404, "challenge_not_found")
    assert _poll(api, started["challenge_id"]).json["status"] == "confirmed"


def test_unknown_challenge_is_a_404(api):
    _error(_poll(api, "x" * 32), 404, "challenge_not_found")
    _error(_poll(api, "short"), 404, "challenge_not_found")


def test_expired_link_reports_expired_and_the_bot_says_so(api, fake_bot, telegram):
    started = _start(api)
    (challenge,) = list(AuthChallenge.scan())
    challenge.update(actions=[AuthChallenge.expires_at.set(
        datetime.fromtimestamp(time.time() - 1, tz=timezone.utc))])
    assert _poll(api, started["challenge_id"]).json == {"status": "expired"}
    telegram.write(ANNA, f"/start {_payload(started)}")
    assert "истекло" in fake_bot.last_text(ANNA["id"])
    assert not fake_bot.sent(ANNA["id"])[-1].get("reply_markup")


def test_confirming_after_expiry_does_not_log_in(api, fake_bot, telegram):
    started = _start(api)
    telegram.write(ANNA, f"/start {_payload(started)}")
    data = fake_bot.button_data(ANNA["id"])
    (challenge,) = list(AuthChallenge.scan())
    challenge.update(actions=[AuthChallenge.expires_at.set(
        datetime.fromtimestamp(time.time() - 1, tz=timezone.utc))])
    telegram.press(ANNA, data)
    alert = fake_bot.answers()[-1]
    assert alert["show_alert"] is True and "истекло" in alert["text"]
    assert _poll(api, started["challenge_id"]).json == {"status": "expired"}


def test_a_link_confirmed_once_cannot_be_taken_over_by_another_account(api, fake_bot,
                                                                      telegram):
    started = _start(api)
    telegram.write(ANNA, f"/start {_payload(started)}")
    data = fake_bot.button_data(ANNA["id"])
    telegram.press(ANNA, data)
    telegram.press(BORIS, data)
    alert = fake_bot.answers()[-1]
    assert alert["show_alert"] is True
    assert _poll(api, started["challenge_id"]).json["user"]["id"] == str(ANNA["id"])


def test_link_starts_are_rate_limited_per_ip(api, monkeypatch):
    from photoshoot.settings import reset_settings_cache

    monkeypatch.setenv("AUTH_CODE_REQUESTS_PER_IP", "2")
    reset_settings_cache()
    try:
        _start(api)
        _start(api)
        _error(api.post("/api/auth/link", body={}), 429, "rate_limited")
    finally:
        monkeypatch.delenv("AUTH_CODE_REQUESTS_PER_IP")
        reset_settings_cache()


def test_confirming_an_id_that_is_not_ours_is_not_found_without_a_lookup(aws):
    import pytest

    from photoshoot.auth.challenges import ChallengeNotFound, confirm_link

    for public_id in ("", "x", "a" * 31, "a" * 2000, "bad/id" + "a" * 26, None):
        with pytest.raises(ChallengeNotFound):
            confirm_link(public_id, "1001")


def test_a_link_started_with_an_unstorable_utm_value_is_a_clear_400(api):
    # A lone surrogate ("\ud800" in the JSON) has no UTF-8 form: DynamoDB would refuse it
    # when the bot answers whoever opens the link. The API refuses the body (read_json);
    # the SPA never cuts an emoji in half (shared/text.ts clip).
    response = api.post("/api/auth/link", body={"utm": {"utm_source": "\ud800"}})
    _error(response, 400, "bad_request")


def test_attribution_drops_a_value_it_could_not_store():
    from photoshoot.auth.accounts import Attribution  # noqa: PLC0415

    attribution = Attribution.from_body({"utm": {"utm_source": "\ud800",
                                                 "utm_campaign": "spring"}})
    assert attribution.utm == {"utm_campaign": "spring"}