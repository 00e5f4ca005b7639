"""A style in the person's own words: the photo's caption becomes «✍️ Свой стиль», started
through the same charge as any style button."""
from __future__ import annotations

import time

from photoshoot.billing import ledger_of
from photoshoot.models import Generation
from tests.unit.bot.test_photos import USER_ID, quick  # noqa: F401
from tests.unit.generation.conftest import product_photo_bytes, wait_for_execution
from tests.unit.telegram.fakes import ANNA


def _send_with_caption(telegram, fake_bot, caption: str) -> list[dict]:
    file_id = fake_bot.add_file(product_photo_bytes())
    telegram.deliver({"message": {
        "message_id": 801, "date": int(time.time()), "caption": caption,
        "from": {"is_bot": False, **ANNA}, "chat": {"id": ANNA["id"], "type": "private"},
        "photo": [{"file_id": file_id, "width": 900, "height": 1200, "file_size": 1000}]}})
    markup = fake_bot.sent(ANNA["id"])[-1].get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard") or [] for b in row]


def the_one_custom_photoshoot(scene: str) -> Generation:
    """The person's only photoshoot: in their words, charged once, run to the end."""
    [generation] = list(Generation.query(USER_ID))
    assert generation.custom_prompt == " ".join(scene.split())
    assert generation.source == "bot"
    assert [e.entry_id for e in ledger_of(USER_ID) if e.kind == "charge"] == [
        f"charge#{generation.generation_id}"]
    assert wait_for_execution(generation.generation_id)["status"] == "SUCCEEDED"
    return generation


def test_a_caption_is_offered_as_the_first_style_and_starts_a_photoshoot(
        pipeline, fake_bot, telegram, quick):
    telegram.write(ANNA, "/start")
    scene = "на розовом   мраморе, рядом веточка эвкалипта, мягкий утренний свет"
    own = _send_with_caption(telegram, fake_bot, scene)[0]
    assert own["text"].startswith("✍️ Свой стиль: на розовом") and own["text"].endswith("…")
    assert len(own["callback_data"].encode()) <= 64

    telegram.press(ANNA, own["callback_data"], message_id=61)
    telegram.press(ANNA, own["callback_data"], message_id=61)  # a double tap: one photoshoot

    generation = the_one_custom_photoshoot(scene)
    assert generation.style_title == "Свой стиль" and generation.source == "bot"


def test_a_caption_too_long_for_a_style_is_said_and_the_styles_still_come(
        pipeline, fake_bot, telegram, quick):
    telegram.write(ANNA, "/start")
    buttons = _send_with_caption(telegram, fake_bot, "слово " * 120)
    assert not any(b["callback_data"].startswith("cst:") for b in buttons)
    assert any(b["callback_data"].startswith("st:") for b in buttons)
    texts = [m["text"] for m in fake_bot.sent(ANNA["id"])]
    assert any("Подпись не подошла" in t and "500" in t for t in texts)


def test_a_custom_style_button_without_its_words_asks_for_the_photo(fake_bot, telegram):
    telegram.write(ANNA, "/start")
    telegram.press(ANNA, "cst:01ARZ3NDEKTSV4RRFFQ69G5FAV:34")
    assert "пришлите его ещё раз" in fake_bot.last_text(ANNA["id"])
    assert list(Generation.query(USER_ID)) == []
