"""Updates the bot has no flow for: an old button is answered, anything a person sends gets
the hint, and what Telegram reports about the chat itself gets no answer."""
from __future__ import annotations

import time

import pytest

from tests.unit.telegram.fakes import ANNA


@pytest.mark.parametrize("data", ["zzz", "", "oldkeyboard:123"])
def test_an_unknown_button_is_answered_so_its_spinner_stops(fake_bot, telegram, data):
    assert telegram.press(ANNA, data)["statusCode"] == 200
    assert fake_bot.answers()[-1]["text"] == "Эта кнопка устарела — пришлите фото ещё раз."


def _message(**content) -> dict:
    return {"message_id": 71, "date": int(time.time()), "from": {"is_bot": False, **ANNA},
            "chat": {"id": ANNA["id"], "type": "private"}, **content}


@pytest.mark.parametrize("content", [
    {"location": {"latitude": 55.75, "longitude": 37.61}},
    {"contact": {"phone_number": "+79990000000", "first_name": "Анна"}},
    {"poll": {"id": "p", "question": "?", "options": []}},
    {"dice": {"emoji": "🎲", "value": 3}},
])
def test_other_things_a_person_sends_get_the_hint(fake_bot, telegram, content):
    telegram.deliver({"message": _message(**content)})
    assert fake_bot.last_text(ANNA["id"]).startswith("Я делаю фотосессии по фото товара.")


@pytest.mark.parametrize("update", [
    {"message": _message(pinned_message={"message_id": 1, "date": 0,
                                         "chat": {"id": ANNA["id"], "type": "private"}})},
    {"edited_message": _message(location={"latitude": 55.75, "longitude": 37.61})},
    {"my_chat_member": {"chat": {"id": ANNA["id"], "type": "private"},
                        "from": {"is_bot": False, **ANNA}, "date": 0,
                        "old_chat_member": {"status": "member"},
                        "new_chat_member": {"status": "kicked"}}},
])
def test_service_updates_get_no_answer(fake_bot, telegram, update):
    assert telegram.deliver(update)["statusCode"] == 200
    assert fake_bot.sent(ANNA["id"]) == []


def test_a_person_who_blocked_the_bot_is_not_redelivered_to_for_a_day(catalogue, fake_bot,
                                                                       telegram):
    """Pressing a package, then blocking the bot before the invoice goes out: the update is
    answered 200 (Telegram would otherwise redeliver it, failing the same way, for 24 h)."""
    telegram.write(ANNA, "/start")
    fake_bot.closed_chats.add(ANNA["id"])

    answer = telegram.press(ANNA, "pkg:start")

    assert answer["statusCode"] == 200, answer
    assert "sendInvoice" in fake_bot.methods()  # tried, and Telegram refused it
