"""A text message after a product photo is the scene for that photo: offered as one button
that starts the photoshoot through the caption's ``cst:`` path (the same charge)."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from infra.resources import resources_of_type
from photoshoot import storage
from photoshoot.models import Generation, User
from photoshoot.telegram import latest_photo
from tests.unit.bot.test_custom_style import the_one_custom_photoshoot
from tests.unit.bot.test_photos import USER_ID, _send_product, quick  # noqa: F401
from tests.unit.telegram.fakes import ANNA

SCENE = "на розовом   мраморе, рядом веточка эвкалипта, мягкий утренний свет"
OFFER = "Снять фото в стиле «"


def _photo(telegram, fake_bot) -> str:
    """Anna sends a product photo; its upload id."""
    buttons = _send_product(telegram, fake_bot)
    return next(b for b in buttons if b["callback_data"].startswith("st:"))[
        "callback_data"].split(":")[1]


def _offer(fake_bot) -> tuple[str, list[dict]]:
    sent = fake_bot.sent(ANNA["id"])[-1]
    rows = (sent.get("reply_markup") or {}).get("inline_keyboard") or []
    return sent["text"], [b for row in rows for b in row]


def _offers(fake_bot) -> list[str]:
    return [m["text"] for m in fake_bot.sent(ANNA["id"]) if m["text"].startswith(OFFER)]


def _scene_kept(upload_id: str) -> bool:
    return storage.head(storage.upload_key(USER_ID, upload_id) + ".scene.txt") is not None


def test_a_text_after_a_photo_is_offered_as_its_scene_and_starts_one_photoshoot(
        pipeline, fake_bot, telegram, quick):
    telegram.write(ANNA, "/start")
    upload_id = _photo(telegram, fake_bot)

    telegram.write(ANNA, SCENE)

    text, (shoot, styles) = _offer(fake_bot)
    assert text.startswith(OFFER + "на розовом мраморе, рядом") and "…»?" in text
    assert "3:4 (900×1200)" in text
    assert shoot["callback_data"].startswith(f"cst:{upload_id}:34:")
    assert styles["text"] == "Выбрать из стилей"
    assert len(shoot["callback_data"].encode()) <= 64

    telegram.press(ANNA, shoot["callback_data"], message_id=71)
    telegram.press(ANNA, shoot["callback_data"], message_id=71)  # a double tap: one photoshoot

    generation = the_one_custom_photoshoot(SCENE)
    assert generation.upload_id == upload_id and generation.source == "bot"


def test_choose_from_styles_shows_the_usual_keyboard_with_the_scene_first(
        pipeline, fake_bot, telegram, quick):
    telegram.write(ANNA, "/start")
    upload_id = _photo(telegram, fake_bot)
    telegram.write(ANNA, SCENE)
    _, (_, styles) = _offer(fake_bot)

    telegram.press(ANNA, styles["callback_data"], message_id=72)

    edit = fake_bot.of("editMessageText")[-1]
    assert edit["message_id"] == 72 and "Вот стили" in edit["text"]
    buttons = [b for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[0]["text"].startswith("✍️ Свой стиль: на розовом")
    assert buttons[0]["callback_data"].startswith(f"cst:{upload_id}:34:")
    assert any(b["callback_data"].startswith(f"st:{upload_id}:") for b in buttons)
    assert buttons[-1]["text"] == "Все стили"


def test_the_text_describes_the_latest_photo(pipeline, fake_bot, telegram, quick):
    telegram.write(ANNA, "/start")
    first = _photo(telegram, fake_bot)
    latest = _photo(telegram, fake_bot)
    telegram.write(ANNA, SCENE)
    _, (shoot, _) = _offer(fake_bot)
    assert shoot["callback_data"].startswith(f"cst:{latest}:")
    assert _scene_kept(latest) and not _scene_kept(first)


def test_a_format_picked_for_the_latest_photo_is_the_scenes_format(pipeline, fake_bot,
                                                                    telegram, quick):
    telegram.write(ANNA, "/start")
    older = _photo(telegram, fake_bot)
    latest = _photo(telegram, fake_bot)
    telegram.press(ANNA, f"fmtset:{older}:169", message_id=73)  # the older photo's keyboard
    telegram.write(ANNA, SCENE)
    assert _offer(fake_bot)[1][0]["callback_data"].startswith(f"cst:{latest}:34:")

    telegram.press(ANNA, f"fmtset:{latest}:sq", message_id=74)
    telegram.write(ANNA, SCENE)
    text, (shoot, _) = _offer(fake_bot)
    assert shoot["callback_data"].startswith(f"cst:{latest}:sq:") and "1:1" in text


def test_an_older_offer_does_not_shoot_words_written_after_it(pipeline, fake_bot, telegram,
                                                              quick):
    telegram.write(ANNA, "/start")
    _photo(telegram, fake_bot)
    telegram.write(ANNA, "белый фон, тени")
    old_shoot = _offer(fake_bot)[1][0]["callback_data"]
    telegram.write(ANNA, "на песке у моря")
    new_shoot = _offer(fake_bot)[1][0]["callback_data"]

    telegram.press(ANNA, old_shoot, message_id=75)
    assert list(Generation.query(USER_ID)) == []
    assert "уже другое описание: «на песке у моря»" in fake_bot.last_text(ANNA["id"])

    telegram.press(ANNA, new_shoot, message_id=76)
    [generation] = list(Generation.query(USER_ID))
    assert generation.custom_prompt == "на песке у моря"


def test_a_text_without_a_recent_photo_gets_the_hint_to_send_one(aws, fake_bot, telegram):
    telegram.write(ANNA, "/start")
    telegram.write(ANNA, SCENE)
    text = fake_bot.last_text(ANNA["id"])
    assert "Пришлите фото товара" in text and "следующим сообщением после фото" in text
    assert _offers(fake_bot) == []


def test_a_photo_older_than_the_uploads_lifetime_is_not_described(pipeline, fake_bot,
                                                                  telegram, quick):
    telegram.write(ANNA, "/start")
    upload_id = _photo(telegram, fake_bot)
    long_ago = datetime.now(timezone.utc) - latest_photo.UPLOAD_LIFETIME - timedelta(hours=1)
    User(USER_ID).update(actions=[User.bot_last_upload.accepted_at.set(
        long_ago.isoformat().replace("+00:00", "Z"))])

    telegram.write(ANNA, SCENE)

    assert "Пришлите фото товара" in fake_bot.last_text(ANNA["id"])
    assert _offers(fake_bot) == [] and not _scene_kept(upload_id)


def test_a_photo_that_is_gone_is_not_described(pipeline, fake_bot, telegram, quick):
    telegram.write(ANNA, "/start")
    upload_id = _photo(telegram, fake_bot)
    storage.delete_key(storage.upload_key(USER_ID, upload_id))

    telegram.write(ANNA, SCENE)

    assert "Пришлите фото товара" in fake_bot.last_text(ANNA["id"])
    assert _offers(fake_bot) == [] and not _scene_kept(upload_id)


def test_the_upload_lifetime_is_the_buckets_lifecycle_rule():
    [bucket] = [r for r in resources_of_type("AWS::S3::Bucket").values()
                if "LifecycleConfiguration" in r["Properties"]]
    [rule] = [r for r in bucket["Properties"]["LifecycleConfiguration"]["Rules"]
              if r["Id"] == "expire-unused-uploads"]
    assert rule["Prefix"] == "uploads/" and "TagFilters" not in rule  # every upload
    assert latest_photo.UPLOAD_LIFETIME == timedelta(days=rule["ExpirationInDays"])


def test_a_long_text_gets_the_same_explanation_as_a_long_caption(pipeline, fake_bot,
                                                                 telegram, quick):
    telegram.write(ANNA, "/start")
    upload_id = _photo(telegram, fake_bot)
    telegram.write(ANNA, "слово " * 120)
    assert fake_bot.last_text(ANNA["id"]) == (
        "Описание не подошло как свой стиль: Описание сцены — не длиннее 500 символов.")
    assert _offers(fake_bot) == [] and not _scene_kept(upload_id)


@pytest.mark.parametrize("text, answer", [
    ("💰 Баланс", "На балансе: 1 фотосессия"),
    ("📸 Новая фотосессия", "Пришлите фото товара"),
    ("Отмена", "Сейчас нет фотосессии"),
    ("/help", "Я бот Photoshoot"),
    ("/whatever", "Я бот Photoshoot"),
    ("123456", "Я бот Photoshoot"),  # a login code pasted back
])
def test_buttons_commands_cancel_words_and_codes_after_a_photo_keep_their_answers(
        pipeline, fake_bot, telegram, quick, text, answer):
    telegram.write(ANNA, "/start")
    upload_id = _photo(telegram, fake_bot)
    telegram.write(ANNA, text)
    assert answer in fake_bot.last_text(ANNA["id"])
    assert _offers(fake_bot) == [] and not _scene_kept(upload_id)


def test_a_text_telegram_delivers_again_makes_one_offer(pipeline, fake_bot, telegram, quick):
    telegram.write(ANNA, "/start")
    _photo(telegram, fake_bot)
    update = {"update_id": 616161, "message": {
        "message_id": 77, "date": int(time.time()), "text": SCENE,
        "from": {"is_bot": False, **ANNA}, "chat": {"id": ANNA["id"], "type": "private"}}}

    telegram.deliver(update)
    telegram.deliver(update)

    assert len(_offers(fake_bot)) == 1
