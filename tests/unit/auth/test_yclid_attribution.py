"""The Yandex Direct click id (``yclid``) the SPA captures with the UTM tags is kept on the
account as first-touch attribution on every way in — Login Widget, Mini App, the deep link
and the code through the bot — validated, and never overwritten by a later click."""
import pytest

from photoshoot.auth.accounts import Attribution
from photoshoot.models import User
from tests.unit.telegram.fakes import ANNA, BORIS, signed_init_data, signed_widget

YCLID = "4727519446469705727"


def _stored(who=ANNA) -> User:
    return User.get(str(who["id"]), consistent_read=True)


def test_widget_sign_up_keeps_the_yclid_sent_with_the_utm_tags(api, aws):
    body = {**signed_widget(aws, **ANNA),
            "utm": {"utm_source": "yandex", "utm_medium": "cpc", "yclid": YCLID}}
    assert api.post("/api/auth/telegram", body=body).status_code == 200
    stored = _stored()
    assert stored.yclid == YCLID
    assert stored.utm.as_dict() == {"utm_source": "yandex", "utm_medium": "cpc"}


def test_the_first_click_wins_and_a_later_login_adds_one_to_an_account_without(api, aws):
    api.post("/api/auth/telegram", body=signed_widget(aws, **ANNA))
    assert _stored().yclid is None
    for click in (YCLID, "1111111111111111111"):
        body = {**signed_widget(aws, **ANNA), "utm": {"utm_source": "yandex", "yclid": click}}
        assert api.post("/api/auth/telegram", body=body).status_code == 200
    assert _stored().yclid == YCLID


def test_mini_app_sign_up_keeps_the_yclid(api, aws):
    response = api.post("/api/auth/webapp", body={
        "init_data": signed_init_data(aws, BORIS), "utm": {"yclid": YCLID}})
    assert response.status_code == 200
    assert _stored(BORIS).yclid == YCLID


@pytest.mark.parametrize("bad", ["", "   ", "1" * 65, "123,456", "12\n34", "яндекс", "1 2",
                                 '"1"', True, 12.5, {"id": 1}, None])
def test_a_malformed_yclid_is_dropped_without_failing_the_login(api, aws, bad):
    body = {**signed_widget(aws, **ANNA), "utm": {"utm_source": "vk", "yclid": bad}}
    response = api.post("/api/auth/telegram", body=body)
    assert response.status_code == 200
    assert _stored().yclid is None
    assert _stored().utm.as_dict() == {"utm_source": "vk"}


def test_yclid_alone_is_attribution_and_survives_the_challenge_json():
    attribution = Attribution.from_body({"utm": {"yclid": f" {YCLID} "}})
    assert attribution.yclid == YCLID and attribution.utm == {}
    assert Attribution.from_json(attribution.to_json()) == attribution
    assert Attribution.from_body({"yclid": YCLID}).yclid is None  # only inside utm
    assert Attribution.from_body({"utm": {"yclid": 4727519446469705727}}).yclid == YCLID


def test_deep_link_sign_up_keeps_the_yclid(api, fake_bot, telegram):
    started = api.post("/api/auth/link",
                       body={"utm": {"utm_source": "yandex", "yclid": YCLID}}).json
    telegram.write(ANNA, f"/start {started['bot_link'].split('?start=', 1)[1]}")
    assert _stored().yclid == YCLID  # the account is made in the bot, from the challenge
    telegram.press(ANNA, fake_bot.button_data(ANNA["id"]))
    assert api.get(f"/api/auth/link/{started['challenge_id']}").json["status"] == "confirmed"
    assert _stored().yclid == YCLID


def test_code_sign_up_through_the_bot_keeps_the_yclid(api, fake_bot, telegram):
    """The code request opens the bot for a new seller: the account is made there, from
    the request's attribution."""
    started = api.post("/api/auth/code/request", body={
        "username": "boris_store", "utm": {"utm_source": "yandex", "yclid": YCLID}}).json
    telegram.write(BORIS, f"/start {started['bot_link'].split('?start=', 1)[1]}")
    assert _stored(BORIS).yclid == YCLID


def test_code_verify_adds_the_yclid_to_a_known_account(api, fake_bot, telegram):
    telegram.write(BORIS, "/start")  # an account made in the bot, without attribution
    assert _stored(BORIS).yclid is None
    started = api.post("/api/auth/code/request", body={"username": "boris_store"}).json
    code = fake_bot.last_code(BORIS["id"])
    response = api.post("/api/auth/code/verify", body={
        "challenge_id": started["challenge_id"], "code": code, "utm": {"yclid": YCLID}})
    assert response.status_code == 200
    assert _stored(BORIS).yclid == YCLID
