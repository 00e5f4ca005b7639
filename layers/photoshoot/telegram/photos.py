"""A photoshoot from the bot: the person sends a product photo (a photo or an image file) →
it is downloaded from Telegram, stored as that user's upload and validated exactly like a
web upload (``photoshoot.uploads`` through the style suggestions) → an inline keyboard of the
styles suggested for this product, plus «Формат» (3:4 unless the person picked another,
see ``bot_formats``) and «Все стили» → a style button starts a generation with
``source="bot"`` through ``photoshoot.generation.create`` (the same charge, rate limit
and state machine as the web). The person's own words — the photo's caption, or a message
written after it (``scene_texts``) — become «✍️ Свой стиль». The results come back as an album
(``photoshoot.telegram.generation_notifications``).

Pillow, the studio analysis and the generation pipeline are imported only here, when a
photo or a style button arrives: a webhook that only answers /start never loads them.
"""
from __future__ import annotations

import hashlib
import time

from photoshoot import storage
from photoshoot.auth.telegram_login import TelegramIdentity
from photoshoot.errors import (InsufficientBalance, NotFound, PayloadTooLarge,
                               PhotoshootError, RateLimited, UnsupportedImage)
from photoshoot.formats import FORMATS, OutputFormat
from photoshoot.observability import logger
from photoshoot.settings import get_settings
from photoshoot.telegram import albums, bot_formats, latest_photo
from photoshoot.telegram.bot_api import FileTooBig, TelegramApiError, bot_api
from photoshoot.telegram.commands import (bot_user, buy_button, photoshoots,
                                          private_message, reply)

STYLE_PREFIX = "st:"  # st:<upload>:<style>:<format code>
ALL_STYLES_PREFIX = "allst:"  # allst:<upload>:<format code>
FORMAT_MENU_PREFIX = "fmt:"  # fmt:<upload>:<format code>
FORMAT_SET_PREFIX = "fmtset:"  # fmtset:<upload>:<format code>
# cst:<upload>:<format code>:<scene mark>; the words are kept beside the upload, the mark
# (``scene_mark``) says which words the button showed
CUSTOM_PREFIX = "cst:"
STYLES_PREFIX = "stl:"  # stl:<upload>:<format code> — the suggested styles again
CUSTOM_TITLE_CHARS = 24  # on a button
SCENE_TITLE_CHARS = 60  # quoted in a message
SUGGESTED_BUTTONS = 4
MAX_CALLBACK_DATA = 64
PHOTO_HINT = ("Пришлите фото товара в формате JPEG, PNG или WebP, не меньше 256×256 "
              "пикселей — лучше на однотонном фоне, товар целиком в кадре.")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} МБ"


def _photo_file(message: dict) -> tuple[str, int, str] | None:
    """``(file_id, file_size, content_type)`` of the largest photo size or the image file."""
    sizes = message.get("photo")
    if isinstance(sizes, list) and sizes:
        best = max(sizes, key=lambda s: (int(s.get("width") or 0) * int(s.get("height") or 0),
                                         int(s.get("file_size") or 0)))
        return str(best.get("file_id") or ""), int(best.get("file_size") or 0), "image/jpeg"
    document = message.get("document")
    if isinstance(document, dict) and document.get("file_id"):
        content_type = str(document.get("mime_type") or "")
        if not content_type.startswith("image/"):  # an image file sent as octet-stream
            import mimetypes  # noqa: PLC0415

            content_type = (mimetypes.guess_type(str(document.get("file_name") or ""))[0]
                            or "application/octet-stream")
        return str(document["file_id"]), int(document.get("file_size") or 0), content_type
    return None


def on_not_a_photo(update: dict) -> None:
    """A video, a sticker, a voice message or a file that is not an image."""
    parsed = private_message(update)
    if parsed is None:
        return
    reply(parsed[1], f"Я делаю фотосессии по фото товара. {PHOTO_HINT}")


def _too_large_text() -> str:
    limit = _megabytes(get_settings().max_upload_bytes)
    return (f"Файл больше {limit}. Уменьшите фото или сохраните его в JPEG и пришлите "
            f"снова. Баланс не изменился.")


DOWNLOAD_FAILED = "Не получилось скачать файл — пришлите фото ещё раз."


def _download(chat_id: int, file_id: str, max_bytes: int) -> bytes | None:
    """The photo's bytes, or None once the person was told why not. A refusal Telegram
    would repeat on every redelivery (a 4xx) is answered here; a transient one (network,
    429, 5xx) fails the update so Telegram delivers it again."""
    api = bot_api()
    try:
        file_path = api.get_file(file_id).get("file_path")
        if not file_path:  # Telegram gives no path for files it will not serve
            raise TelegramApiError("getFile", 400, "no file_path")
        return api.download_file(file_path, max_bytes)
    except FileTooBig:
        reply(chat_id, _too_large_text())
    except TelegramApiError as error:
        if not error.permanent:
            raise
        logger.warning("bot photo not downloaded", extra={"telegram_error": str(error)})
        too_big = "too big" in error.description.lower()
        reply(chat_id, _too_large_text() if too_big else DOWNLOAD_FAILED)
    return None


ALBUM_NOTE = ("Из альбома беру первое фото. Для других товаров пришлите фото по одному — "
              "у каждого будет своя фотосессия.")


def _album_note_once(chat_id: int, group: str) -> None:
    """The second photo of an album gets one note, the rest nothing (not three keyboards)."""
    from photoshoot.ratelimit import hit  # noqa: PLC0415

    try:
        hit("telegram-album-note", f"{chat_id}:{group}", 1, 3600)
    except RateLimited:
        return
    reply(chat_id, ALBUM_NOTE)


def on_photo(update: dict) -> None:
    parsed = private_message(update)
    if parsed is None:
        return
    message, chat_id, identity = parsed
    group, message_id = message.get("media_group_id"), int(message.get("message_id") or 0)
    if group and albums.taken_by_another(chat_id, group, message_id):
        _album_note_once(chat_id, group)
        return
    user = bot_user(identity, chat_id)
    accepted = _accepted_upload(message, chat_id, user.user_id)
    if accepted is None:
        return
    upload_id, suggested = accepted
    if group and not albums.take(chat_id, group, message_id):
        _discard(user.user_id, upload_id)  # another photo of the album was accepted meanwhile
        _album_note_once(chat_id, group)
        return
    output = bot_formats.preferred(user)
    latest_photo.remember(user.user_id, upload_id, output.format_id)
    scene = keep_scene(chat_id, user.user_id, upload_id, message.get("caption"),
                       refused="Подпись не подошла как свой стиль:")
    _offer_styles(chat_id, user.user_id, upload_id, suggested, scene, output)


def _accepted_upload(message: dict, chat_id: int,
                     user_id: str) -> tuple[str, list[dict]] | None:
    """Download, store and validate the photo → ``(upload id, suggested styles)``; None
    once the person was told why not."""
    found = _photo_file(message)
    if found is None or not found[0]:
        reply(chat_id, PHOTO_HINT)
        return None
    file_id, file_size, content_type = found
    max_bytes = get_settings().max_upload_bytes
    if file_size > max_bytes:
        reply(chat_id, _too_large_text())
        return None
    data = _download(chat_id, file_id, max_bytes)
    if data is None:
        return None
    upload_id = store_photo(user_id, data, content_type)
    try:
        suggested = _suggestions(user_id, upload_id)  # validates the photo first
    except (UnsupportedImage, PayloadTooLarge, NotFound) as error:
        _discard(user_id, upload_id)
        reply(chat_id, rejection_text(error))
        return None
    return upload_id, suggested


def _offer_styles(chat_id: int, user_id: str, upload_id: str, suggested: list[dict],
                  scene: str | None, output: OutputFormat) -> None:
    _send_cutout_preview(chat_id, user_id, upload_id)
    reply(chat_id, _suggestions_text(suggested, output), reply_markup=style_keyboard(
        upload_id, [s["style_id"] for s in suggested][:SUGGESTED_BUTTONS], output,
        with_all=True, scene=scene))


def _scene_key(user_id: str, upload_id: str) -> str:
    return storage.upload_key(user_id, upload_id) + ".scene.txt"


def keep_scene(chat_id: int, user_id: str, upload_id: str, words: str | None, *,
               refused: str) -> str | None:
    """The person's own words for this photo (its caption, or a message after it) as their
    style, checked by the web's rules and kept beside the upload (a button's data holds 64
    bytes, not the words); the newest words replace older ones. Words that do not pass are
    said after ``refused``; None then and for no words."""
    from photoshoot.generation.styles import choose_style  # noqa: PLC0415

    if not str(words or "").strip():
        return None
    try:
        scene = choose_style(user_id, {"custom_prompt": words}).custom_prompt
    except PhotoshootError as error:
        reply(chat_id, f"{refused} {error.message}")
        return None
    storage.put_bytes(_scene_key(user_id, upload_id), scene.encode(), "text/plain; charset=utf-8")
    return scene


def scene_mark(scene: str) -> str:
    """A short fingerprint of the words a «Свой стиль» button showed: words written later
    for the same photo replace the stored ones, and an older button must not shoot them."""
    return hashlib.sha256(scene.encode()).hexdigest()[:6]


def custom_style_data(upload_id: str, output: OutputFormat, scene: str) -> str:
    return f"{CUSTOM_PREFIX}{upload_id}:{bot_formats.code_of(output.format_id)}:" \
           f"{scene_mark(scene)}"


def custom_scene(user_id: str, upload_id: str) -> str | None:
    """The words kept for this upload, or None (no caption, an old or forged button)."""
    from photoshoot.uploads import check_upload_id  # noqa: PLC0415

    try:
        key = _scene_key(user_id, check_upload_id(upload_id))
        return storage.get_bytes(key).decode() if storage.head(key) is not None else None
    except PhotoshootError:
        return None


UNCHANGED = "Баланс не изменился."


def rejection_text(error: PhotoshootError) -> str:
    """One message in the bot's words: what is wrong with the photo and what to send."""
    from photoshoot.uploads import DamagedImage, ImageTooSmall  # noqa: PLC0415

    if isinstance(error, PayloadTooLarge):
        return _too_large_text()
    if isinstance(error, NotFound):
        return f"Не нашёл это фото — пришлите его ещё раз. {UNCHANGED}"
    if isinstance(error, ImageTooSmall):
        return (f"{error.message} Пришлите фото побольше — товар целиком в кадре, лучше на "
                f"однотонном фоне. {UNCHANGED}")
    if isinstance(error, DamagedImage):
        return f"Файл повреждён или дошёл не полностью — пришлите фото ещё раз. {UNCHANGED}"
    if type(error) is UnsupportedImage:
        return ("Не могу открыть этот файл как фото. Пришлите снимок или файл в формате JPEG, "
                f"PNG или WebP. {UNCHANGED}")
    # other reasons (the product not separable from the background …) say what to shoot
    return f"{error.message.replace('Загрузите', 'Пришлите')} {UNCHANGED}"


CUTOUT_CAPTION = ("Так я вижу товар. Если попало лишнее или не хватает части — пришлите "
                  "другое фото: однотонный фон, рядом с товаром ничего нет.")


def _send_cutout_preview(chat_id: int, user_id: str, upload_id: str) -> None:
    """The cut-out before any payment, as on the web (best effort: the styles still come)."""
    from photoshoot.generation.cutout_preview import preview_url  # noqa: PLC0415

    try:
        bot_api().send_photo(chat_id, preview_url(user_id, upload_id), caption=CUTOUT_CAPTION)
    except Exception:  # noqa: BLE001 - a missing preview must not stop the photoshoot
        logger.warning("cut-out preview not sent", extra={"upload_id": upload_id},
                       exc_info=True)


def store_photo(user_id: str, data: bytes, content_type: str) -> str:
    """Store the photo as an upload of this user (validated on first use, as on the web)."""
    from photoshoot.uploads import new_upload_id  # noqa: PLC0415

    upload_id = new_upload_id()
    storage.put_bytes(storage.upload_key(user_id, upload_id), data,
                      content_type if content_type.startswith("image/") else "image/jpeg")
    logger.info("bot photo stored", extra={"upload_id": upload_id, "size": len(data)})
    return upload_id


def _discard(user_id: str, upload_id: str) -> None:
    try:
        storage.delete_key(storage.upload_key(user_id, upload_id))
    except Exception:  # noqa: BLE001 - the uploads lifecycle rule removes leftovers
        logger.warning("rejected bot photo not removed", extra={"upload_id": upload_id})


def _suggestions(user_id: str, upload_id: str) -> list[dict]:
    """Validate the photo and rank the styles for it; if only the ranking fails (a provider
    hiccup), every style is offered in catalogue order."""
    from photoshoot.generation.suggestions import suggest_for_upload  # noqa: PLC0415

    titles = _style_titles()
    try:
        ranked = suggest_for_upload(user_id, upload_id)["suggestions"]
    except (UnsupportedImage, PayloadTooLarge, NotFound):
        raise
    except PhotoshootError as error:
        logger.warning("style suggestions unavailable", extra={"upload_id": upload_id,
                                                               "code": error.code})
        ranked = [{"style_id": style_id, "reason": ""} for style_id in titles]
    return [{**item, "title": titles[item["style_id"]]} for item in ranked
            if item.get("style_id") in titles]


def _style_titles() -> dict[str, str]:
    from photoshoot.catalogue import list_styles  # noqa: PLC0415

    return {s["style_id"]: s["title"] for s in list_styles()}


def _suggestions_text(suggested: list[dict], output: OutputFormat) -> str:
    lines = ["Фото получил! Вот стили, которые подойдут этому товару:"]
    for item in suggested[:SUGGESTED_BUTTONS]:
        reason = f" — {item['reason']}" if item.get("reason") else ""
        lines.append(f"• {item['title']}{reason}")
    count = photoshoots_images(get_settings().images_per_generation)
    lines.append(f"\nВыберите стиль — сделаю {count} в формате "
                 f"{bot_formats.short_title(output)}. Другой формат — кнопка «📐 Формат». "
                 "Фотосессия спишется с баланса при запуске.")
    return "\n".join(lines)


def style_keyboard(upload_id: str, style_ids: list[str], output: OutputFormat, *,
                   with_all: bool, scene: str | None = None) -> dict:
    titles = _style_titles()
    code = bot_formats.code_of(output.format_id)
    own = [[{"text": f"✍️ Свой стиль: {shortened(scene)}",
             "callback_data": custom_style_data(upload_id, output, scene)}]] if scene else []
    buttons = []
    for style_id in style_ids:
        data = f"{STYLE_PREFIX}{upload_id}:{style_id}:{code}"
        if style_id in titles and len(data.encode()) <= MAX_CALLBACK_DATA:
            buttons.append({"text": titles[style_id], "callback_data": data})
    rows = own + [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    rows.append([{"text": f"📐 Формат: {bot_formats.short_title(output)}",
                  "callback_data": f"{FORMAT_MENU_PREFIX}{upload_id}:{code}"}])
    if with_all:
        rows.append([{"text": "Все стили",
                      "callback_data": f"{ALL_STYLES_PREFIX}{upload_id}:{code}"}])
    return {"inline_keyboard": rows}


def styles_again_keyboard(generation) -> dict | None:
    """The styles for the photo of a photoshoot that ended without photos (failed,
    cancelled): its own style first; None when the photo is no longer stored."""
    if not generation.upload_id or storage.head(
            storage.upload_key(generation.user_id, generation.upload_id)) is None:
        return None
    output = FORMATS.get(generation.format) or bot_formats.from_code(None)
    style_ids = [generation.style_id] if generation.style_id else []
    scene = custom_scene(generation.user_id, generation.upload_id) \
        if generation.custom_prompt else None
    return style_keyboard(generation.upload_id, style_ids, output, with_all=True, scene=scene)


def shortened(scene: str, limit: int = CUSTOM_TITLE_CHARS) -> str:
    return scene if len(scene) <= limit else scene[:limit - 1] + "…"


def format_keyboard(upload_id: str, current: OutputFormat) -> dict:
    return {"inline_keyboard": [[{
        "text": ("✓ " if output.format_id == current.format_id else "") + output.title,
        "callback_data": f"{FORMAT_SET_PREFIX}{upload_id}:{bot_formats.code_of(format_id)}"}]
        for format_id, output in FORMATS.items()]}


def _callback_parts(update: dict) -> tuple[dict, int | None, TelegramIdentity]:
    callback = update["callback_query"]
    chat = (callback.get("message") or {}).get("chat") or {}
    chat_id = int(chat["id"]) if chat.get("id") and chat.get("type", "private") == "private" \
        else None
    return callback, chat_id, TelegramIdentity.from_telegram_user(callback.get("from") or {})


def _upload_and_format(callback: dict, prefix: str) -> tuple[str, OutputFormat, int | None]:
    """``<prefix><upload>:<format code>`` → the upload id, the format and the message id."""
    upload_id, _, code = str(callback.get("data") or "")[len(prefix):].partition(":")
    message_id = (callback.get("message") or {}).get("message_id")
    return upload_id, bot_formats.from_code(code), message_id


def _menu_press(update: dict, prefix: str):
    """A button that redraws its own message: answered at once; ``None`` when there is no
    private chat or message to redraw, else ``(api, chat_id, message_id, upload_id,
    format)``."""
    callback, chat_id, _ = _callback_parts(update)
    api = bot_api()
    api.answer_callback_query(callback["id"])
    upload_id, output, message_id = _upload_and_format(callback, prefix)
    if chat_id is None or not message_id:
        return None
    return api, chat_id, message_id, upload_id, output


def on_all_styles(update: dict) -> None:
    pressed = _menu_press(update, ALL_STYLES_PREFIX)
    if pressed is None:
        return
    api, chat_id, message_id, upload_id, output = pressed
    count = photoshoots_images(get_settings().images_per_generation)
    api.edit_message_text(chat_id, message_id, "Все стили — выберите один, и я начну "
                                               f"фотосессию: {count}, формат "
                                               f"{bot_formats.short_title(output)}.",
                          reply_markup=style_keyboard(upload_id, list(_style_titles()),
                                                      output, with_all=False))


def on_format_menu(update: dict) -> None:
    """«📐 Формат»: the formats, the current one ticked."""
    pressed = _menu_press(update, FORMAT_MENU_PREFIX)
    if pressed is None:
        return
    api, chat_id, message_id, upload_id, current = pressed
    api.edit_message_text(chat_id, message_id, "В каком формате сделать фото?",
                          reply_markup=format_keyboard(upload_id, current))


def on_format_chosen(update: dict) -> None:
    """A format picked: remembered for next time, and the styles come back with it."""
    callback, chat_id, identity = _callback_parts(update)
    api = bot_api()
    upload_id, output, message_id = _upload_and_format(callback, FORMAT_SET_PREFIX)
    api.answer_callback_query(callback["id"], f"Формат {bot_formats.short_title(output)}")
    if chat_id is None:
        return
    user = bot_user(identity, chat_id)
    bot_formats.remember(user.user_id, output.format_id)
    latest_photo.follow_format(user.user_id, upload_id, output.format_id)
    if not _show_styles(api, chat_id, message_id, user.user_id, upload_id, output):
        reply(chat_id, "Не нашёл это фото — пришлите его ещё раз, пожалуйста. "
                       f"Формат {bot_formats.short_title(output)} запомнил.")


def on_styles_again(update: dict) -> None:
    """«Выбрать из стилей» under a scene offer: the photo's usual keyboard instead."""
    pressed = _menu_press(update, STYLES_PREFIX)
    if pressed is None:
        return
    api, chat_id, message_id, upload_id, output = pressed
    user_id = str(_callback_parts(update)[2].telegram_id)
    if not _show_styles(api, chat_id, message_id, user_id, upload_id, output):
        reply(chat_id, "Не нашёл это фото — пришлите его ещё раз, пожалуйста.")


def _show_styles(api, chat_id: int, message_id: int | None, user_id: str, upload_id: str,
                 output: OutputFormat) -> bool:
    """The photo's suggested styles, its own words first, in place of the pressed message;
    False when the photo is gone."""
    try:
        suggested = _suggestions(user_id, upload_id)  # the analysis is cached by now
    except (UnsupportedImage, PayloadTooLarge, NotFound):
        return False
    text = _suggestions_text(suggested, output)
    keyboard = style_keyboard(upload_id, [s["style_id"] for s in suggested][:SUGGESTED_BUTTONS],
                              output, with_all=True, scene=custom_scene(user_id, upload_id))
    if message_id:
        api.edit_message_text(chat_id, message_id, text, reply_markup=keyboard)
    else:
        reply(chat_id, text, reply_markup=keyboard)
    return True


NO_BALANCE = ("На балансе нет фотосессий. Купите пакет — и нажмите стиль ещё раз: фото уже "
              "загружено.")


def _offer_to_buy(api, callback: dict, chat_id: int) -> None:
    """Once per keyboard: pressing styles again on an empty balance only gets a toast, not
    the same message again and again."""
    from photoshoot.ratelimit import hit  # noqa: PLC0415

    keyboard = (callback.get("message") or {}).get("message_id") or callback.get("id")
    try:
        hit("telegram-no-balance", f"{chat_id}:{keyboard}", 1, 3600)
    except RateLimited:
        api.answer_callback_query(callback["id"], "На балансе нет фотосессий — купите пакет "
                                                  "кнопкой «🛒 Купить» выше.")
        return
    api.answer_callback_query(callback["id"])
    reply(chat_id, NO_BALANCE, reply_markup=buy_button())


# What a press says when its photoshoot (created by an earlier delivery of it) has ended.
FINISHED_PRESS_TEXTS = {
    "succeeded": "фотосессия уже готова, фото я прислал отдельным сообщением.",
    "failed": "эта фотосессия не получилась, и она вернулась на баланс.",
    "cancelled": "эта фотосессия отменена и вернулась на баланс.",
}


def on_style_chosen(update: dict) -> None:
    callback, chat_id, identity = _callback_parts(update)
    if chat_id is None:
        bot_api().answer_callback_query(callback["id"])
        return
    upload_id, style_id, code = (str(callback.get("data") or "")[len(STYLE_PREFIX):]
                                 .split(":") + ["", ""])[:3]
    _start_photoshoot(callback, chat_id, identity, upload_id, {"style_id": style_id}, code,
                      _style_titles().get(style_id, "выбранный стиль"))


def on_custom_style_chosen(update: dict) -> None:
    """«✍️ Свой стиль» or «📸 Снять» under a scene offer: the person's words for the photo
    (its caption or a message after it), kept beside the upload, are the scene."""
    callback, chat_id, identity = _callback_parts(update)
    if chat_id is None:
        bot_api().answer_callback_query(callback["id"])
        return
    upload_id, code, mark = (str(callback.get("data") or "")[len(CUSTOM_PREFIX):]
                             .split(":") + ["", ""])[:3]
    user_id = str(identity.telegram_id)
    scene = custom_scene(user_id, upload_id)
    if scene is None:
        bot_api().answer_callback_query(callback["id"])
        reply(chat_id, "Не нашёл это фото — пришлите его ещё раз, с описанием стиля в подписи.")
        return
    if mark and mark != scene_mark(scene):  # a button without a mark predates the marks
        bot_api().answer_callback_query(callback["id"])
        newer = shortened(scene, SCENE_TITLE_CHARS)
        reply(chat_id, f"Для этого фото уже другое описание: «{newer}». Нажмите кнопку под "
                       "ним — или напишите прежнее описание ещё раз.")
        return
    _start_photoshoot(callback, chat_id, identity, upload_id, {"custom_prompt": scene}, code,
                      "Свой стиль")


def _start_photoshoot(callback: dict, chat_id: int, identity: TelegramIdentity,
                      upload_id: str, style: dict, code: str, title: str) -> None:
    """The one charge path of every style button (catalogue or the person's own words)."""
    from photoshoot.catalogue import StyleNotFound  # noqa: PLC0415
    from photoshoot.generation.create import (create_generation,  # noqa: PLC0415
                                              request_generation_id)

    api = bot_api()
    user = bot_user(identity, chat_id)
    output = bot_formats.from_code(code, fallback=bot_formats.preferred(user).format_id)
    # One button, one photoshoot: the same button tapped twice before its keyboard is gone,
    # or a press Telegram delivers again after an error, is the same request.
    keyboard = callback.get("message") or {}
    request_key = (f"telegram-style:{chat_id}:{keyboard['message_id']}:{callback.get('data')}"
                   if keyboard.get("message_id") else f"telegram-callback:{callback['id']}")
    pressed_at = int(keyboard.get("date") or time.time()) * 1000
    try:
        created = create_generation(user.user_id, {"upload_id": upload_id, **style,
                                                   "format": output.format_id}, source="bot",
                                    generation_id=request_generation_id(request_key,
                                                                        pressed_at))
    except InsufficientBalance:
        _offer_to_buy(api, callback, chat_id)
        return
    except RateLimited as error:
        api.answer_callback_query(callback["id"], error.message, show_alert=True)
        reply(chat_id, error.message)
        return
    except StyleNotFound as error:  # taken off the catalogue since the keyboard was sent
        api.answer_callback_query(callback["id"])
        reply(chat_id, f"{error.message} Нажмите «Все стили» или пришлите фото ещё раз.")
        return
    except NotFound:
        api.answer_callback_query(callback["id"])
        reply(chat_id, "Не нашёл это фото — пришлите его ещё раз, пожалуйста.")
        return
    except PhotoshootError as error:
        api.answer_callback_query(callback["id"])
        reply(chat_id, error.message)
        return
    from photoshoot.billing import balance_of  # noqa: PLC0415

    # A press delivered again after its photoshoot ended (the webhook failed after the
    # charge and Telegram retried later) must not announce a start that is long over.
    finished = FINISHED_PRESS_TEXTS.get(created.get("status") or "")
    api.answer_callback_query(callback["id"], "Эта фотосессия уже завершена" if finished
                              else "Фотосессия запущена")
    text = (f"Стиль «{title}» — {finished}" if finished else
            f"Стиль «{title}» — начинаю фотосессию! Через минуту-другую пришлю сюда "
            f"{photoshoots_images(get_settings().images_per_generation)}, формат "
            f"{bot_formats.short_title(output)}.")
    text += f"\nОсталось на балансе: {photoshoots(balance_of(user.user_id))}."
    message_id = (callback.get("message") or {}).get("message_id")
    if message_id:
        api.edit_message_text(chat_id, message_id, text)  # no buttons: no second charge
    else:
        reply(chat_id, text)
    logger.info("bot generation pressed", extra={"generation_id": created["generation_id"],
                                                 "status": created.get("status")})


def photoshoots_images(count: int) -> str:
    """«1 фото», «4 фото» — «фото» does not decline."""
    return f"{count} фото"


NOTHING_TO_CANCEL = ("Сейчас нет фотосессии, которую можно отменить. Пришлите фото товара — "
                     "начнём новую.")


def on_cancel(update: dict) -> None:
    """/cancel or «отмена»: the person's running photoshoot is cancelled and refunded
    through the same domain cancel as the site's button (refunded once, whoever is first)."""
    from photoshoot.generation.cancel import AlreadyFinished, cancel_generation  # noqa: PLC0415
    from photoshoot.generation.records import GenerationNotFound  # noqa: PLC0415
    from photoshoot.telegram.generation_notifications import (  # noqa: PLC0415
        generation_cancelled)

    parsed = private_message(update)
    if parsed is None:
        return
    _, chat_id, identity = parsed
    user = bot_user(identity, chat_id)
    running = _running_generation(user.user_id)
    if running is None:
        reply(chat_id, NOTHING_TO_CANCEL)
        return
    try:
        cancel_generation(user.user_id, running.generation_id)
    except (AlreadyFinished, GenerationNotFound):
        reply(chat_id, "Фотосессия уже завершилась — отменять нечего.")
        return
    if running.source == "bot":
        generation_cancelled(user.user_id, running.generation_id)  # with the styles again
    else:
        reply(chat_id, f"Фотосессия «{running.style_title or 'ваш стиль'}» отменена и "
                       f"вернулась на баланс.")


def _running_generation(user_id: str):
    """The newest queued or running generation of the person, if any (running ones are
    among the last few: a photoshoot takes minutes)."""
    from photoshoot.generation.records import is_active  # noqa: PLC0415
    from photoshoot.models import Generation  # noqa: PLC0415

    recent = Generation.query(user_id, scan_index_forward=False, limit=20,
                              consistent_read=True)
    return next((generation for generation in recent if is_active(generation)), None)

