"""What the bot says when a photoshoot ends — called from the pipeline's finish and refund
paths, after the state is saved. Best effort: nothing here may fail a step (a failed step
would refund a photoshoot that succeeded), so every error is logged and swallowed.

- A bot generation that succeeded → the results as an album (``sendMediaGroup`` with
  short-lived presigned URLs, which Telegram downloads at once), then a link to the site.
- A bot generation that failed or was cancelled → the reason and that the photoshoot is back
  on the balance, with the style keyboard for the same photo (or, if the photo is gone, to
  send it again).
- A web generation that succeeded → a short «Фотосессия готова» with a link, if the person
  has a chat with the bot.
"""
from __future__ import annotations

from photoshoot.observability import logger
from photoshoot.settings import get_settings

ALBUM_URL_TTL_S = 60 * 60  # Telegram fetches right away; an hour covers its retries


def _generation_url(generation_id: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/generations/{generation_id}"


def _bot_chat(user_id: str) -> int | None:
    from photoshoot.models import User  # noqa: PLC0415

    try:
        chat_id = User.get(str(user_id), attributes_to_get=["bot_chat_id"]).bot_chat_id
    except User.DoesNotExist:
        return None
    return int(chat_id) if chat_id else None


def generation_succeeded(generation) -> None:
    """Never raises."""
    try:
        _succeeded(generation)
    except Exception:  # noqa: BLE001 - a notification never fails the Finalize step
        logger.warning("generation notification failed",
                       extra={"generation_id": generation.generation_id}, exc_info=True)


def generation_failed(user_id: str, generation_id: str) -> None:
    """Never raises."""
    try:
        _failed(user_id, generation_id)
    except Exception:  # noqa: BLE001 - a notification never fails the Fail step
        logger.warning("generation notification failed",
                       extra={"generation_id": generation_id}, exc_info=True)


def _succeeded(generation) -> None:
    from photoshoot.telegram.notifications import notify_user  # noqa: PLC0415

    url = _generation_url(generation.generation_id)
    title = generation.style_title or "ваш стиль"
    if generation.source != "bot":
        notify_user(generation.user_id, f"Фотосессия готова: «{title}». Смотреть и скачать: "
                                        f"{url}")
        return
    chat_id = _bot_chat(generation.user_id)
    if chat_id is None:
        return
    if send_album(chat_id, generation, caption=f"Готово! Фотосессия «{title}»."):
        notify_user(generation.user_id, f"Скачать все фото одним архивом или сделать ещё: "
                                        f"{url}\nПришлите новое фото товара — начнём следующую "
                                        f"фотосессию.")
    else:  # the seller is waiting for the photos promised here: say where they are
        notify_user(generation.user_id, f"Готово! Фотосессия «{title}» получилась, но "
                                        f"прислать фото сюда не вышло. Смотрите и скачивайте "
                                        f"на сайте: {url}")


def send_album(chat_id: int, generation, caption: str) -> bool:
    """The photos in the chat; False when they could not be sent (the caller says where
    they are instead). A chat closed to the bot is not an error: True, nothing to add."""
    from photoshoot import storage  # noqa: PLC0415
    from photoshoot.generation.records import images_of  # noqa: PLC0415
    from photoshoot.telegram.bot_api import (BotForbidden, TelegramApiError,  # noqa: PLC0415
                                             bot_api)

    urls = [storage.presigned_get(image["key"], ttl_s=ALBUM_URL_TTL_S)
            for image in images_of(generation)][:10]
    if not urls:
        return False
    api = bot_api()
    try:
        if len(urls) == 1:  # an album needs 2–10 items
            api.send_photo(chat_id, urls[0], caption=caption)
        else:
            api.send_media_group(chat_id, [
                {"type": "photo", "media": url, **({"caption": caption} if i == 0 else {})}
                for i, url in enumerate(urls)])
    except BotForbidden:
        logger.info("bot cannot write to user", extra={"user_id": generation.user_id})
        return True
    except TelegramApiError as error:  # e.g. Telegram could not fetch the image links
        logger.warning("generation album not sent",
                       extra={"generation_id": generation.generation_id, "error": str(error)})
        return False
    logger.info("generation album sent", extra={"generation_id": generation.generation_id,
                                                "images": len(urls)})
    return True


def _failed(user_id: str, generation_id: str) -> None:
    from photoshoot.generation.records import get_generation  # noqa: PLC0415
    from photoshoot.telegram.notifications import notify_user  # noqa: PLC0415

    generation = get_generation(user_id, generation_id, consistent=True)
    if generation.source != "bot":
        return  # the web shows it on the page
    keyboard = _styles_again(generation)
    notify_user(user_id, f"😔 Фотосессия «{generation.style_title or 'ваш стиль'}» не "
                         f"получилась. {_final_reason(generation)}{_next_step(keyboard)}",
                reply_markup=keyboard)


# Errors whose own message says "trying again": right while the state machine retries,
# wrong in the last word about a photoshoot that is over.
_RETRIED_CODES = ("provider_timeout", "provider_unavailable")


def _final_reason(generation) -> str:
    """The stored message says what went wrong, the refund and what to do next."""
    from photoshoot.errors import ProviderError  # noqa: PLC0415
    from photoshoot.generation.refunds import failure_message  # noqa: PLC0415

    if generation.error_code in _RETRIED_CODES or not generation.error_message:
        from photoshoot.generation.steps import error_for  # noqa: PLC0415

        error = error_for("ProviderTimeout") if generation.error_message else ProviderError()
        return failure_message(error)
    return generation.error_message


def _styles_again(generation) -> dict | None:
    """The style keyboard for the same photo, if it is still stored: the next try is one
    tap, not a dead end."""
    from photoshoot.telegram.photos import styles_again_keyboard  # noqa: PLC0415

    try:
        return styles_again_keyboard(generation)
    except Exception:  # noqa: BLE001 - without buttons the message still says what to do
        logger.warning("styles keyboard not rebuilt",
                       extra={"generation_id": generation.generation_id}, exc_info=True)
        return None


def _next_step(keyboard: dict | None) -> str:
    return "" if keyboard else "\nПришлите фото товара ещё раз — начнём заново."


def generation_cancelled(user_id: str, generation_id: str) -> None:
    """A bot photoshoot was cancelled (in the bot or on the site): the chat learns it once,
    with the styles for the same photo. Never raises."""
    try:
        _cancelled(user_id, generation_id)
    except Exception:  # noqa: BLE001 - the cancel and its refund are already saved
        logger.warning("cancel notification failed", extra={"generation_id": generation_id},
                       exc_info=True)


def _cancelled(user_id: str, generation_id: str) -> None:
    from photoshoot.errors import RateLimited  # noqa: PLC0415
    from photoshoot.generation.records import get_generation  # noqa: PLC0415
    from photoshoot.ratelimit import hit  # noqa: PLC0415
    from photoshoot.telegram.notifications import notify_user  # noqa: PLC0415

    generation = get_generation(user_id, generation_id, consistent=True)
    if generation.source != "bot" or generation.status != "cancelled":
        return
    try:  # both the cancel itself and the bot's /cancel may report it: say it once
        hit("telegram-cancelled", generation_id, 1, 48 * 3600)
    except RateLimited:
        return
    keyboard = _styles_again(generation)
    notify_user(user_id, f"Фотосессия «{generation.style_title or 'ваш стиль'}» отменена и "
                         f"вернулась на баланс."
                         + (" Выберите стиль ещё раз — фото уже у меня." if keyboard
                            else _next_step(keyboard)),
                reply_markup=keyboard)
