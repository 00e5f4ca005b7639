"""The «Подтвердить вход» button and ``/start login_…`` when the login is not pending any
more: calm when this person confirmed it, one clear next step otherwise, never a crash."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from photoshoot.models import AuthChallenge
from tests.unit.telegram.fakes import ANNA


def _started_and_confirmed(api, fake_bot, telegram) -> tuple[dict, str]:
    started = api.post("/api/auth/link", body={}).json
    telegram.write(ANNA, "/start " + started["bot_link"].split("?start=", 1)[1])
    data = fake_bot.button_data(ANNA["id"])
    telegram.press(ANNA, data, message_id=41)
    return started, data


def test_pressing_confirm_again_after_the_site_logged_in_is_calm(api, fake_bot, telegram):
    started, data = _started_and_confirmed(api, fake_bot, telegram)
    assert "token" in api.get(f"/api/auth/link/{started['challenge_id']}").json  # consumed
    edits = len(fake_bot.of("editMessageText"))

    telegram.press(ANNA, data, message_id=41)

    assert fake_bot.answers()[-1]["text"] == "Вход уже подтверждён"
    assert not fake_bot.answers()[-1].get("show_alert")
    assert len(fake_bot.of("editMessageText")) == edits  # the success message stays


def test_opening_a_used_link_again_by_the_same_person_says_it_is_done(api, fake_bot,
                                                                       telegram):
    started, _ = _started_and_confirmed(api, fake_bot, telegram)
    api.get(f"/api/auth/link/{started['challenge_id']}")
    telegram.write(ANNA, "/start " + started["bot_link"].split("?start=", 1)[1])
    text = fake_bot.last_text(ANNA["id"])
    assert "уже подтверждён" in text and "начните вход заново" not in text.lower()


def test_a_login_problem_names_the_next_step_once(api, fake_bot, telegram):
    from tests.unit.telegram.fakes import BORIS

    started, data = _started_and_confirmed(api, fake_bot, telegram)
    telegram.press(BORIS, data, message_id=42)  # someone else's button
    edited = fake_bot.sent(BORIS["id"], "editMessageText")[-1]["text"]
    assert edited == ("Этот вход уже выполнен. Если это были не вы, начните вход на сайте "
                      "ещё раз.")
    telegram.write(BORIS, "/start " + started["bot_link"].split("?start=", 1)[1])
    text = fake_bot.last_text(BORIS["id"])
    assert text.lower().count("ещё раз") == 1 and "вход заново" not in text


def test_an_expired_link_says_what_to_do_once(api, fake_bot, telegram):
    started = api.post("/api/auth/link", body={}).json
    (challenge,) = list(AuthChallenge.scan())
    challenge.update(actions=[AuthChallenge.expires_at.set(
        datetime.fromtimestamp(time.time() - 1, tz=timezone.utc))])
    telegram.write(ANNA, "/start " + started["bot_link"].split("?start=", 1)[1])
    assert fake_bot.last_text(ANNA["id"]) == (
        "Время на вход истекло. Откройте сайт и нажмите «Войти через Telegram» ещё раз.")


def test_a_confirm_button_without_an_id_is_answered_not_a_crash(api, fake_bot, telegram):
    for data in ("login:", "login:x", "login:" + "я" * 32):
        assert telegram.press(ANNA, data, message_id=43)["statusCode"] == 200
        answer = fake_bot.answers()[-1]
        assert answer["show_alert"] is True and "не найден" in answer["text"]
