"""Downloading the person's photo from Telegram, and albums: what a failure says and when
Telegram must deliver the update again."""
from __future__ import annotations

import time

import pytest

from photoshoot.telegram import photos
from photoshoot.telegram.bot_api import BotApi, TelegramApiError
from tests.unit.generation.conftest import product_photo_bytes
from tests.unit.telegram.fakes import ANNA


def _photo_update(file_id: str, message_id: int, album: str | None = None,
                  update_id: int | None = None) -> dict:
    message = {"message_id": message_id, "date": int(time.time()),
               "from": {"is_bot": False, **ANNA}, "chat": {"id": ANNA["id"], "type": "private"},
               "photo": [{"file_id": file_id, "width": 900, "height": 1200, "file_size": 1000}]}
    if album:
        message["media_group_id"] = album
    update = {"message": message}
    if update_id is not None:
        update["update_id"] = update_id
    return update


def _style_keyboards(fake_bot) -> list[dict]:
    return [m for m in fake_bot.sent(ANNA["id"])
            if any(b.get("callback_data", "").startswith("st:")
                   for row in (m.get("reply_markup") or {}).get("inline_keyboard") or []
                   for b in row)]


def test_an_invalid_file_id_is_answered_kindly_and_not_redelivered(fake_bot, telegram):
    telegram.write(ANNA, "/start")
    answer = telegram.deliver(_photo_update("no-such-file", 401))
    assert answer["statusCode"] == 200
    assert fake_bot.last_text(ANNA["id"]) == photos.DOWNLOAD_FAILED


def test_file_too_big_from_get_file_says_the_limit(fake_bot, telegram, monkeypatch):
    def too_big(self, file_id):
        raise TelegramApiError("getFile", 400, "Bad Request: file is too big")

    monkeypatch.setattr(BotApi, "get_file", too_big)
    telegram.write(ANNA, "/start")
    assert telegram.deliver(_photo_update("big", 402))["statusCode"] == 200
    assert fake_bot.last_text(ANNA["id"]).startswith("Файл больше")


@pytest.mark.parametrize("error_code", [None, 429, 502])
def test_a_transient_telegram_error_fails_the_update_so_telegram_retries(
        fake_bot, telegram, monkeypatch, error_code):
    def unavailable(self, file_id):
        raise TelegramApiError("getFile", error_code, "Internal Server Error")

    monkeypatch.setattr(BotApi, "get_file", unavailable)
    telegram.write(ANNA, "/start")
    with pytest.raises(TelegramApiError):
        telegram.deliver(_photo_update("x", 403))
    assert fake_bot.last_text(ANNA["id"]) != photos.DOWNLOAD_FAILED


def test_the_first_album_photo_delivered_again_after_a_failure_is_still_processed(
        pipeline, fake_bot, telegram, monkeypatch):
    telegram.write(ANNA, "/start")
    file_id = fake_bot.add_file(product_photo_bytes())
    real_get_file = BotApi.get_file
    monkeypatch.setattr(BotApi, "get_file", lambda self, fid: (_ for _ in ()).throw(
        TelegramApiError("getFile", 502, "Bad Gateway")))
    with pytest.raises(TelegramApiError):
        telegram.deliver(_photo_update(file_id, 610, album="album-r", update_id=880001))
    monkeypatch.setattr(BotApi, "get_file", real_get_file)

    telegram.deliver(_photo_update(file_id, 610, album="album-r", update_id=880001))

    assert len(_style_keyboards(fake_bot)) == 1
    assert photos.ALBUM_NOTE not in [m["text"] for m in fake_bot.sent(ANNA["id"])]


def test_an_album_whose_first_photo_is_rejected_takes_the_next_good_one(pipeline, fake_bot,
                                                                         telegram):
    telegram.write(ANNA, "/start")
    photos_sent = [product_photo_bytes(size=(100, 100)), product_photo_bytes(),
                   product_photo_bytes()]
    for n, data in enumerate(photos_sent):
        telegram.deliver(_photo_update(fake_bot.add_file(data), 620 + n, album="album-b"))

    texts = [m["text"] for m in fake_bot.sent(ANNA["id"])]
    assert len(_style_keyboards(fake_bot)) == 1
    assert texts.count(photos.ALBUM_NOTE) == 1 and texts[-1] == photos.ALBUM_NOTE
    assert any("маленькое" in text for text in texts)


@pytest.mark.parametrize("data", [b"%PDF-1.4 not an image at all",
                                  product_photo_bytes(size=(120, 160))],
                         ids=["not-an-image", "too-small"])
def test_a_rejected_photo_gets_one_message_in_the_bots_words(pipeline, fake_bot, telegram,
                                                              data):
    telegram.write(ANNA, "/start")
    file_id = fake_bot.add_file(data)
    telegram.send_photo(ANNA, file_id, size=len(data), document="image/jpeg")
    text = fake_bot.last_text(ANNA["id"])
    assert "агрузите" not in text and "Пришлите" in text
    assert text.count("JPEG") <= 1 and text.count("256×256") <= 1
    assert text.count("Баланс не изменился.") == 1
