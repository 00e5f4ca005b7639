"""A plain text message after a product photo: the scene for that photo, in the person's
own words. It is checked and kept exactly like a caption (``photos.keep_scene``) and offered
as one button that starts the photoshoot through the caption's ``cst:`` path (the same
charge), beside «Выбрать из стилей». With no recent photo the text gets the help.

Telegram redelivers an update until it is answered, but updates are handled once per
``update_id`` (``telegram.updates``), so a redelivered text makes no second offer.
"""
from __future__ import annotations

from photoshoot.auth import accounts
from photoshoot.errors import NotFound
from photoshoot.formats import OutputFormat
from photoshoot.settings import get_settings
from photoshoot.telegram import bot_formats, latest_photo, photos
from photoshoot.telegram.commands import on_help, private_message, reply

REFUSED = "Описание не подошло как свой стиль:"


def on_scene_text(update: dict) -> None:
    parsed = private_message(update)
    if parsed is None:
        return
    message, chat_id, identity = parsed
    latest = _latest_photo(str(identity.telegram_id))
    if latest is None:
        on_help(update)
        return
    user_id, (upload_id, output) = str(identity.telegram_id), latest
    scene = photos.keep_scene(chat_id, user_id, upload_id, message.get("text"),
                              refused=REFUSED)
    if scene is not None:
        reply(chat_id, offer_text(scene, output),
              reply_markup=offer_keyboard(upload_id, scene, output))


def _latest_photo(user_id: str) -> tuple[str, OutputFormat] | None:
    """Read, not ``bot_user``: a text from someone the bot never saw needs no account."""
    try:
        return latest_photo.recent(accounts.get_user(user_id))
    except NotFound:
        return None


def offer_text(scene: str, output: OutputFormat) -> str:
    count = photos.photoshoots_images(get_settings().images_per_generation)
    return (f"Снять фото в стиле «{photos.shortened(scene, photos.SCENE_TITLE_CHARS)}»?\n"
            f"Сделаю {count} в формате {bot_formats.short_title(output)} по последнему "
            f"присланному фото. Фотосессия спишется с баланса при запуске.")


def offer_keyboard(upload_id: str, scene: str, output: OutputFormat) -> dict:
    code = bot_formats.code_of(output.format_id)
    return {"inline_keyboard": [
        [{"text": "📸 Снять", "callback_data": photos.custom_style_data(upload_id, output,
                                                                       scene)}],
        [{"text": "Выбрать из стилей",
          "callback_data": f"{photos.STYLES_PREFIX}{upload_id}:{code}"}]]}
