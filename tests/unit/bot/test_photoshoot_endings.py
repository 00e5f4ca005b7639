"""How a bot photoshoot that delivers no photos ends: failed or cancelled, the chat is told
once, the photoshoot is back on the balance, and the styles for the same photo come back."""
from __future__ import annotations

import threading

import pytest

from photoshoot import storage
from photoshoot.billing import balance_of, ledger_of
from photoshoot.errors import ProviderError, ProviderTimeout, ProviderUnavailable
from photoshoot.models import Generation, User
from photoshoot.telegram import generation_notifications, photos
from tests.unit.bot.test_photos import USER_ID, _send_product, quick  # noqa: F401
from tests.unit.generation.conftest import wait_for_execution
from tests.unit.telegram.fakes import ANNA


def _style_buttons(message: dict) -> list[dict]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard") or []
            for b in row if b.get("callback_data", "").startswith("st:")]


def _start_photoshoot(telegram, fake_bot) -> tuple[str, Generation]:
    telegram.write(ANNA, "/start")
    style = _send_product(telegram, fake_bot)[0]
    telegram.press(ANNA, style["callback_data"], message_id=9)
    return style["callback_data"], next(Generation.query(USER_ID))


def test_a_failed_photoshoot_offers_the_styles_for_the_same_photo(pipeline, fake_bot,
                                                                  telegram, quick):
    quick.fail["render"] = ProviderError
    pressed, generation = _start_photoshoot(telegram, fake_bot)
    assert wait_for_execution(generation.generation_id)["status"] == "FAILED"

    failed = fake_bot.sent(ANNA["id"])[-1]
    assert "не получилась" in failed["text"]
    [again] = _style_buttons(failed)
    assert again["callback_data"] == pressed  # the same photo, style and format
    assert any(b["text"] == "Все стили" for row in failed["reply_markup"]["inline_keyboard"]
               for b in row)

    quick.fail.clear()
    telegram.press(ANNA, again["callback_data"], message_id=12)  # the new keyboard
    assert len(list(Generation.query(USER_ID))) == 2


def test_a_failed_photoshoot_whose_photo_is_gone_asks_for_the_photo(pipeline, fake_bot,
                                                                    telegram, quick):
    quick.fail["render"] = ProviderError
    _, generation = _start_photoshoot(telegram, fake_bot)
    assert wait_for_execution(generation.generation_id)["status"] == "FAILED"
    storage.delete_key(storage.upload_key(USER_ID, generation.upload_id))
    fake_bot.calls.clear()

    generation_notifications._failed(USER_ID, generation.generation_id)

    failed = fake_bot.sent(ANNA["id"])[-1]
    assert failed["text"].endswith("Пришлите фото товара ещё раз — начнём заново.")
    assert not failed.get("reply_markup")


@pytest.mark.parametrize("error", [ProviderTimeout, ProviderUnavailable])
def test_the_last_word_on_a_timed_out_photoshoot_promises_no_retry(pipeline, fake_bot,
                                                                   telegram, quick, error):
    quick.fail["render"] = lambda _message: error()  # the error's own "Пробуем ещё раз"
    _, generation = _start_photoshoot(telegram, fake_bot)
    assert wait_for_execution(generation.generation_id)["status"] == "FAILED"
    text = fake_bot.last_text(ANNA["id"])
    assert "Пробуем" not in text and text.count("вернулась на баланс") == 1


def test_a_stored_retrying_message_is_not_the_bots_last_word(pipeline, fake_bot, telegram,
                                                             quick):
    from photoshoot.generation.refunds import failure_message

    quick.fail["render"] = ProviderError
    _, generation = _start_photoshoot(telegram, fake_bot)
    assert wait_for_execution(generation.generation_id)["status"] == "FAILED"
    # as a refund given the raw transient error would store it
    Generation(USER_ID, generation.generation_id).update(actions=[
        Generation.error_code.set("provider_timeout"),
        Generation.error_message.set(failure_message(ProviderTimeout()))])

    generation_notifications._failed(USER_ID, generation.generation_id)

    text = fake_bot.last_text(ANNA["id"])
    assert "Пробуем" not in text and "вернулась на баланс" in text


def _hold_render(quick) -> threading.Event:
    release = threading.Event()
    quick.hold["render"] = release
    return release


@pytest.mark.parametrize("command", ["/cancel", "Отмена"])
def test_cancel_in_the_bot_cancels_the_running_photoshoot_and_refunds_once(
        pipeline, fake_bot, telegram, quick, command):
    release = _hold_render(quick)
    try:
        pressed, generation = _start_photoshoot(telegram, fake_bot)
        assert quick.entered.setdefault("render", threading.Event()).wait(10)
        assert balance_of(USER_ID) == 0

        telegram.write(ANNA, command)
        telegram.write(ANNA, command)  # again: nothing left to cancel
    finally:
        release.set()
    wait_for_execution(generation.generation_id)

    assert Generation.get(USER_ID, generation.generation_id).status == "cancelled"
    assert balance_of(USER_ID) == 1
    assert [e.entry_id for e in ledger_of(USER_ID) if e.kind == "refund"] == [
        f"refund#{generation.generation_id}"]
    texts = [m["text"] for m in fake_bot.sent(ANNA["id"])]
    cancelled = [m for m in fake_bot.sent(ANNA["id"]) if "отменена" in m["text"]]
    assert len(cancelled) == 1 and _style_buttons(cancelled[0])[0]["callback_data"] == pressed
    assert texts[-1] == photos.NOTHING_TO_CANCEL


def test_cancel_with_nothing_running_says_so(fake_bot, telegram):
    telegram.write(ANNA, "/cancel")
    assert fake_bot.last_text(ANNA["id"]) == photos.NOTHING_TO_CANCEL


def test_a_bot_photoshoot_cancelled_on_the_site_is_reported_in_the_chat_once(
        pipeline, fake_bot, telegram, quick):
    from photoshoot.auth.sessions import issue_token

    release = _hold_render(quick)
    try:
        _, generation = _start_photoshoot(telegram, fake_bot)
        assert quick.entered.setdefault("render", threading.Event()).wait(10)
        answer = pipeline.post(f"/api/generations/{generation.generation_id}/cancel",
                               token=issue_token(USER_ID, 0))
        assert answer.status_code == 200
    finally:
        release.set()
    wait_for_execution(generation.generation_id)

    cancelled = [m for m in fake_bot.sent(ANNA["id"]) if "отменена" in m["text"]]
    assert len(cancelled) == 1 and _style_buttons(cancelled[0])  # said by the refund
    generation_notifications.generation_cancelled(USER_ID, generation.generation_id)
    assert len([m for m in fake_bot.sent(ANNA["id"]) if "отменена" in m["text"]]) == 1
    assert User.get(USER_ID).balance == 1
