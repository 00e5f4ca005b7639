"""A photoshoot from the bot: photo → suggested styles → generation → album (or refund)."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from photoshoot import storage
from photoshoot.billing import balance_of, ledger_of
from photoshoot.errors import ProviderError
from photoshoot.models import Generation, User
from photoshoot.settings import get_settings, reset_settings_cache
from tests.unit.generation import fakes
from tests.unit.generation.conftest import product_photo_bytes, wait_for_execution
from tests.unit.telegram.fakes import ANNA

USER_ID = str(ANNA["id"])


def _keyboard(fake_bot) -> list[dict]:
    markup = fake_bot.sent(ANNA["id"])[-1]["reply_markup"]
    return [button for row in markup["inline_keyboard"] for button in row]


def _send_product(telegram, fake_bot, data: bytes | None = None, **kwargs) -> list[dict]:
    file_id = fake_bot.add_file(product_photo_bytes() if data is None else data)
    telegram.send_photo(ANNA, file_id, size=len(data or b"") or 50_000, **kwargs)
    return _keyboard(fake_bot)


def _uploads(user_id: str = USER_ID) -> list[str]:
    listed = storage.s3_client().list_objects_v2(Bucket=get_settings().images_bucket,
                                                 Prefix=f"uploads/{user_id}/")
    return [o["Key"] for o in listed.get("Contents", [])
            if not o["Key"].endswith((".cutout.png", ".analysis.json", ".cutout-preview.jpg"))]


@pytest.fixture
def quick(monkeypatch):
    provider = fakes.QuickProvider()
    fakes.install(monkeypatch, provider)
    return provider


def test_photo_gets_suggested_styles_and_is_stored_validated_without_charge(
        pipeline, fake_bot, telegram, quick):
    telegram.write(ANNA, "/start")
    buttons = _send_product(telegram, fake_bot)
    styles = [b for b in buttons if b["callback_data"].startswith("st:")]
    assert 1 <= len(styles) <= 4 and buttons[-1]["text"] == "Все стили"
    upload_id = styles[0]["callback_data"].split(":")[1]
    assert "Вот стили" in fake_bot.last_text(ANNA["id"])
    head = storage.head(storage.upload_key(USER_ID, upload_id))
    assert head["Metadata"]["validated"] == "1"  # validated and cleaned like a web upload
    assert balance_of(USER_ID) == 1
    # before the styles: the cut-out as the studio sees it, on a checkerboard (a JPEG)
    [preview] = fake_bot.of("sendPhoto")
    assert "Так я вижу товар" in preview["caption"]
    assert f"uploads/{USER_ID}/{upload_id}.cutout-preview.jpg" in preview["photo"]
    key = f"uploads/{USER_ID}/{upload_id}.cutout-preview.jpg"
    image = Image.open(io.BytesIO(storage.get_bytes(key)))
    assert image.format == "JPEG" and max(image.size) < 800  # 640 px and a margin


def test_an_image_sent_as_a_file_works_too(pipeline, fake_bot, telegram, quick):
    telegram.write(ANNA, "/start")
    data = product_photo_bytes(fmt="PNG")
    file_id = fake_bot.add_file(data)
    telegram.send_photo(ANNA, file_id, size=len(data), document="image/png")
    assert any(b["callback_data"].startswith("st:") for b in _keyboard(fake_bot))


def test_all_styles_button_shows_every_style(pipeline, fake_bot, telegram, quick):
    from photoshoot.catalogue import list_styles

    telegram.write(ANNA, "/start")
    all_button = _send_product(telegram, fake_bot)[-1]
    telegram.press(ANNA, all_button["callback_data"], message_id=5)
    edit = fake_bot.of("editMessageText")[-1]
    pressed = [b for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert len([b for b in pressed if b["callback_data"].startswith("st:")]) == len(
        list_styles())
    assert pressed[-1]["text"].startswith("📐 Формат: 3:4")


def test_the_format_can_be_changed_and_is_remembered(pipeline, fake_bot, telegram, quick):
    telegram.write(ANNA, "/start")
    buttons = _send_product(telegram, fake_bot)
    assert "в формате 3:4 (900×1200)" in fake_bot.last_text(ANNA["id"])
    [menu] = [b for b in buttons if b["callback_data"].startswith("fmt:")]
    telegram.press(ANNA, menu["callback_data"], message_id=7)
    choices = [b for row in fake_bot.of("editMessageText")[-1]["reply_markup"]["inline_keyboard"]
               for b in row]
    assert len(choices) == 5 and choices[1]["text"].startswith("✓ ")  # 3:4 is current
    [square] = [b for b in choices if "1:1" in b["text"]]
    telegram.press(ANNA, square["callback_data"], message_id=7)
    edited = fake_bot.of("editMessageText")[-1]
    assert "в формате 1:1 (1024×1024)" in edited["text"]
    styles = [b for row in edited["reply_markup"]["inline_keyboard"] for b in row
              if b["callback_data"].startswith("st:")]
    assert styles and all(b["callback_data"].endswith(":sq") for b in styles)
    assert User.get(USER_ID).bot_format == "1:1"

    telegram.press(ANNA, styles[0]["callback_data"], message_id=7)
    generation = next(Generation.query(USER_ID))
    assert generation.format == "1:1"
    assert "1:1 (1024×1024)" in fake_bot.of("editMessageText")[-1]["text"]
    # the next photo starts in the remembered format
    _send_product(telegram, fake_bot)
    assert "в формате 1:1 (1024×1024)" in fake_bot.last_text(ANNA["id"])


def test_a_style_button_of_an_old_message_uses_the_persons_format(pipeline, fake_bot,
                                                                  telegram, quick):
    telegram.write(ANNA, "/start")
    style = _send_product(telegram, fake_bot)[0]
    upload_id, style_id, _ = style["callback_data"][len("st:"):].split(":")
    telegram.press(ANNA, f"st:{upload_id}:{style_id}", message_id=3)  # no format code
    assert next(Generation.query(USER_ID)).format == "3:4"


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.4 not an image at all", "JPEG, PNG или WebP"),
    (product_photo_bytes(size=(120, 160)), "маленькое"),
])
def test_a_bad_photo_gets_a_kind_reply_and_nothing_is_charged_or_kept(
        pipeline, fake_bot, telegram, data, words):
    telegram.write(ANNA, "/start")
    file_id = fake_bot.add_file(data)
    telegram.send_photo(ANNA, file_id, size=len(data), document="image/jpeg")
    text = fake_bot.last_text(ANNA["id"])
    assert words in text and "Баланс не изменился" in text
    assert balance_of(USER_ID) == 1 and _uploads() == []


def test_a_too_big_file_is_refused_before_downloading(pipeline, fake_bot, telegram):
    telegram.write(ANNA, "/start")
    file_id = fake_bot.add_file(b"x")
    telegram.send_photo(ANNA, file_id, size=get_settings().max_upload_bytes + 1,
                        document="image/jpeg")
    assert "Файл больше 15 МБ" in fake_bot.last_text(ANNA["id"])
    assert "getFile" not in fake_bot.methods() and _uploads() == []


def test_choosing_a_style_with_an_empty_balance_offers_to_buy(pipeline, fake_bot, telegram,
                                                              quick, monkeypatch):
    monkeypatch.setenv("SIGNUP_BONUS", "0")
    reset_settings_cache()
    telegram.write(ANNA, "/start")
    style = _send_product(telegram, fake_bot)[0]
    telegram.press(ANNA, style["callback_data"])
    sent = fake_bot.sent(ANNA["id"])[-1]
    assert "нет фотосессий" in sent["text"]
    assert sent["reply_markup"]["inline_keyboard"][0][0] == {"text": "🛒 Купить",
                                                             "callback_data": "buy"}
    assert Generation.count(USER_ID) == 0 and balance_of(USER_ID) == 0


def test_choosing_styles_too_fast_is_rate_limited_with_a_reply(pipeline, fake_bot, telegram,
                                                               quick, monkeypatch):
    monkeypatch.setenv("GENERATION_RATE_PER_MINUTE", "1")
    reset_settings_cache()
    telegram.write(ANNA, "/start")
    User(USER_ID).update(actions=[User.balance.add(5)])
    styles = _send_product(telegram, fake_bot)
    telegram.press(ANNA, styles[0]["callback_data"])
    telegram.press(ANNA, styles[1]["callback_data"])
    assert "Не больше 1 фотосессии в минуту." in fake_bot.last_text(ANNA["id"])
    assert Generation.count(USER_ID) == 1


def test_a_bot_photoshoot_charges_once_and_arrives_as_an_album(pipeline, fake_bot, telegram,
                                                               quick):
    telegram.write(ANNA, "/start")
    style = _send_product(telegram, fake_bot)[0]
    telegram.press(ANNA, style["callback_data"], message_id=9)
    started = fake_bot.of("editMessageText")[-1]
    assert "начинаю фотосессию" in started["text"] and "reply_markup" not in started
    generation = next(Generation.query(USER_ID))
    assert generation.source == "bot" and generation.format == "3:4"
    assert wait_for_execution(generation.generation_id)["status"] == "SUCCEEDED"

    album = fake_bot.of("sendMediaGroup")
    assert len(album) == 1 and int(album[0]["chat_id"]) == ANNA["id"]
    media = album[0]["media"]
    assert len(media) == 4 and all(m["type"] == "photo" for m in media)
    assert all(f"results/{USER_ID}/{generation.generation_id}/" in m["media"] for m in media)
    assert "X-Amz-Signature" in media[0]["media"] and "Готово" in media[0]["caption"]
    assert f"/generations/{generation.generation_id}" in fake_bot.last_text(ANNA["id"])
    assert balance_of(USER_ID) == 0
    assert [e.entry_id for e in ledger_of(USER_ID) if e.kind == "charge"] == [
        f"charge#{generation.generation_id}"]


def test_a_failed_bot_photoshoot_is_refunded_and_the_bot_says_so(pipeline, fake_bot,
                                                                  telegram, quick):
    quick.fail["render"] = ProviderError
    telegram.write(ANNA, "/start")
    style = _send_product(telegram, fake_bot)[0]
    telegram.press(ANNA, style["callback_data"])
    generation = next(Generation.query(USER_ID))
    assert wait_for_execution(generation.generation_id)["status"] == "FAILED"
    text = fake_bot.last_text(ANNA["id"])
    assert "не получилась" in text and "вернулась на баланс" in text
    assert text.count("вернулась на баланс") == 1
    assert text.endswith("Попробуйте ещё раз или выберите другой стиль.")  # said once, last
    assert balance_of(USER_ID) == 1 and not fake_bot.of("sendMediaGroup")


def test_a_notification_failure_never_fails_the_photoshoot(pipeline, fake_bot, telegram,
                                                           quick):
    fake_bot.failing.add("sendMediaGroup")
    telegram.write(ANNA, "/start")
    style = _send_product(telegram, fake_bot)[0]
    telegram.press(ANNA, style["callback_data"])
    generation = next(Generation.query(USER_ID))
    assert wait_for_execution(generation.generation_id)["status"] == "SUCCEEDED"
    assert Generation.get(USER_ID, generation.generation_id).status == "succeeded"
    assert balance_of(USER_ID) == 0  # not refunded
    # the album was refused: the seller still learns it is ready and where the photos are
    text = fake_bot.last_text(ANNA["id"])
    assert "получилась" in text and f"/generations/{generation.generation_id}" in text


def test_a_web_photoshoot_tells_a_bot_user_it_is_ready(pipeline, fake_bot, telegram, quick):
    from photoshoot.auth.sessions import issue_token
    from tests.unit.generation.conftest import upload_photo

    telegram.write(ANNA, "/start")
    token = issue_token(USER_ID, 0)
    upload_id = upload_photo(pipeline, token)
    created = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "marble", "format": "1:1"})
    generation_id = created.json["generation_id"]
    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"
    text = fake_bot.last_text(ANNA["id"])
    assert "Фотосессия готова" in text and f"/generations/{generation_id}" in text
    assert not fake_bot.of("sendMediaGroup")


def test_a_press_telegram_delivers_again_after_an_error_charges_once(pipeline, fake_bot,
                                                                     telegram, quick):
    """After the charge a Telegram call fails (a too old callback query, the network): the
    update fails, Telegram delivers the same press again. One press, one photoshoot."""
    import json
    import time

    telegram.write(ANNA, "/start")
    User(USER_ID).update(actions=[User.balance.add(4)])
    style = _send_product(telegram, fake_bot)[0]
    press = {"update_id": 777001, "callback_query": {
        "id": "cb-777001", "from": {"is_bot": False, **ANNA}, "data": style["callback_data"],
        "chat_instance": "1", "message": {
            "message_id": 9, "date": int(time.time()),
            "chat": {"id": ANNA["id"], "type": "private"}, "text": "Выберите стиль"}}}
    before = balance_of(USER_ID)

    fake_bot.failing.add("editMessageText")  # after the charge: the update fails
    with pytest.raises(Exception):
        telegram.deliver(json.loads(json.dumps(press)))
    fake_bot.failing.clear()
    telegram.deliver(json.loads(json.dumps(press)))  # the same update, delivered again

    [generation] = list(Generation.query(USER_ID))
    assert wait_for_execution(generation.generation_id)["status"] == "SUCCEEDED"
    assert [e.entry_id for e in ledger_of(USER_ID) if e.kind == "charge"] == [
        f"charge#{generation.generation_id}"]
    assert balance_of(USER_ID) == before - 1
    # the redelivery answers as the first press would have: the photoshoot is under way
    assert any("начинаю фотосессию" in edit["text"] for edit in fake_bot.of("editMessageText"))


@pytest.mark.parametrize(("fails", "ended", "says"), [
    (False, "SUCCEEDED", "фотосессия уже готова"),
    (True, "FAILED", "не получилась, и она вернулась на баланс"),
], ids=["succeeded", "failed"])
def test_a_press_delivered_again_after_its_photoshoot_ended_does_not_announce_a_start(
        pipeline, fake_bot, telegram, quick, fails, ended, says):
    """Telegram retries a failed update for hours: by then the photoshoot it started has
    finished (photos sent, or failed and refunded), and «начинаю» would be a false start."""
    import json
    import time

    from photoshoot.providers.remote import ProviderRejectedRequest
    from photoshoot.telegram.commands import photoshoots

    telegram.write(ANNA, "/start")
    User(USER_ID).update(actions=[User.balance.add(2)])
    style = _send_product(telegram, fake_bot)[0]
    press = {"update_id": 777101, "callback_query": {
        "id": "cb-777101", "from": {"is_bot": False, **ANNA}, "data": style["callback_data"],
        "chat_instance": "1", "message": {
            "message_id": 9, "date": int(time.time()),
            "chat": {"id": ANNA["id"], "type": "private"}, "text": "Выберите стиль"}}}
    if fails:
        quick.fail["render"] = ProviderRejectedRequest
    fake_bot.failing.add("editMessageText")  # after the charge: the update fails
    with pytest.raises(Exception):
        telegram.deliver(json.loads(json.dumps(press)))
    fake_bot.failing.clear()
    [generation] = list(Generation.query(USER_ID))
    assert wait_for_execution(generation.generation_id)["status"] == ended
    balance = balance_of(USER_ID)

    assert telegram.deliver(json.loads(json.dumps(press)))["statusCode"] == 200

    edit = fake_bot.of("editMessageText")[-1]
    assert says in edit["text"] and "начинаю" not in edit["text"]
    assert f"Осталось на балансе: {photoshoots(balance)}." in edit["text"]
    assert balance_of(USER_ID) == balance and len(list(Generation.query(USER_ID))) == 1


def test_the_same_style_tapped_twice_is_one_photoshoot(pipeline, fake_bot, telegram, quick):
    """A second tap before the keyboard disappears is a new callback, not a new order."""
    import json
    import time

    telegram.write(ANNA, "/start")
    User(USER_ID).update(actions=[User.balance.add(4)])
    style = _send_product(telegram, fake_bot)[0]
    keyboard = {"message_id": 19, "date": int(time.time()),
                "chat": {"id": ANNA["id"], "type": "private"}, "text": "Выберите стиль"}
    before = balance_of(USER_ID)
    for update_id, callback_id in ((778001, "cb-1"), (778002, "cb-2")):
        answer = telegram.deliver(json.loads(json.dumps({
            "update_id": update_id, "callback_query": {
                "id": callback_id, "from": {"is_bot": False, **ANNA},
                "data": style["callback_data"], "chat_instance": "1", "message": keyboard}})))
        assert answer["statusCode"] == 200

    [generation] = list(Generation.query(USER_ID))
    assert wait_for_execution(generation.generation_id)["status"] == "SUCCEEDED"
    assert balance_of(USER_ID) == before - 1


def test_a_button_pressed_twice_or_delivered_again_never_fails_the_webhook(fake_bot, telegram,
                                                                            quick):
    """Telegram refuses an edit that changes nothing and a second answer to one press; a
    500 would make it deliver the update again and again, holding back the chat."""
    import json

    telegram.write(ANNA, "/start")
    _send_product(telegram, fake_bot)
    keyboard = next(call for method, call in reversed(fake_bot.calls)
                    if method in ("sendMessage", "editMessageText") and call.get("reply_markup"))
    all_styles = next(button for row in keyboard["reply_markup"]["inline_keyboard"]
                      for button in row if button["text"] == "Все стили")
    message = {"message_id": keyboard.get("message_id") or 31, "date": 0,
               "chat": {"id": ANNA["id"], "type": "private"}, "text": keyboard["text"]}
    press = {"id": "cb-all", "from": {"is_bot": False, **ANNA},
             "data": all_styles["callback_data"], "chat_instance": "1", "message": message}
    first = telegram.deliver(json.loads(json.dumps({"update_id": 779001,
                                                    "callback_query": press})))
    again = telegram.deliver(json.loads(json.dumps(
        {"update_id": 779002, "callback_query": {**press, "id": "cb-all-2"}})))
    redelivered = telegram.deliver(json.loads(json.dumps(
        {"update_id": 779003, "callback_query": press})))  # the same press, answered before

    assert [a["statusCode"] for a in (first, again, redelivered)] == [200, 200, 200]


def test_a_style_taken_off_since_the_keyboard_was_sent_says_so(pipeline, fake_bot, telegram,
                                                                quick):
    from photoshoot.models import Style

    telegram.write(ANNA, "/start")
    style = _send_product(telegram, fake_bot)[0]
    style_id = style["callback_data"].split(":")[2]
    Style(style_id).update(actions=[Style.active.set(False)])

    telegram.press(ANNA, style["callback_data"])

    text = fake_bot.last_text(ANNA["id"])
    assert text.startswith("Этот стиль больше недоступен.") and "Все стили" in text
    assert "Не нашёл это фото" not in text
    assert list(Generation.query(USER_ID)) == [] and balance_of(USER_ID) == 1


@pytest.mark.parametrize("message", [
    {"video": {"file_id": "v1", "duration": 3}},
    {"sticker": {"file_id": "s1", "emoji": "👍"}},
    {"voice": {"file_id": "a1", "duration": 2}},
    {"document": {"file_id": "d1", "file_name": "товары.zip", "mime_type": "application/zip"}},
])
def test_what_is_not_a_photo_gets_the_hint_not_silence(fake_bot, telegram, quick, message):
    import time

    telegram.write(ANNA, "/start")
    telegram.deliver({"message": {
        "message_id": 501, "date": int(time.time()), "from": {"is_bot": False, **ANNA},
        "chat": {"id": ANNA["id"], "type": "private"}, **message}})
    text = fake_bot.last_text(ANNA["id"])
    assert text.startswith("Я делаю фотосессии по фото товара.") and "JPEG, PNG или WebP" in text


def test_an_image_file_sent_as_octet_stream_is_taken_as_a_photo(pipeline, fake_bot, telegram,
                                                                  quick):
    import time

    telegram.write(ANNA, "/start")
    file_id = fake_bot.add_file(product_photo_bytes())
    telegram.deliver({"message": {
        "message_id": 502, "date": int(time.time()), "from": {"is_bot": False, **ANNA},
        "chat": {"id": ANNA["id"], "type": "private"},
        "document": {"file_id": file_id, "file_name": "IMG_2041.JPG",
                     "mime_type": "application/octet-stream"}}})
    keyboards = [call for method, call in fake_bot.calls
                 if method in ("sendMessage", "editMessageText") and call.get("reply_markup")]
    assert any(button["callback_data"].startswith("st:")
               for call in keyboards
               for row in call["reply_markup"].get("inline_keyboard") or []
               for button in row)


def test_an_album_of_photos_is_one_offer_and_one_note(pipeline, fake_bot, telegram, quick):
    """Telegram delivers each photo of an album as its own update."""
    import time

    from photoshoot.telegram.photos import ALBUM_NOTE

    telegram.write(ANNA, "/start")
    for n in range(3):
        file_id = fake_bot.add_file(product_photo_bytes())
        telegram.deliver({"message": {
            "message_id": 600 + n, "date": int(time.time()), "media_group_id": "album-7",
            "from": {"is_bot": False, **ANNA}, "chat": {"id": ANNA["id"], "type": "private"},
            "photo": [{"file_id": file_id, "width": 900, "height": 1200, "file_size": 1000}]}})

    assert len(fake_bot.of("getFile")) == 1  # only the first photo is downloaded
    texts = [m["text"] for m in fake_bot.sent(ANNA["id"])]
    assert texts.count(ALBUM_NOTE) == 1
