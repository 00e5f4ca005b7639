"""Bot webhook updates: de-duplicated by ``update_id``, then routed by kind.

Telegram redelivers an update until it gets a 2xx (for up to 24 h), so the same update may
arrive twice. Powertools' idempotency utility keeps one record per ``update_id`` in the
``<TABLE_PREFIX>idempotency`` table (48 h): a repeat gets the stored result and runs nothing;
an update whose processing raised is not recorded, so Telegram's retry runs it again.

``ROUTES`` is the bot's table of contents: update kind → ``"module:function"`` (imported on
first use, so a webhook that only logs people in never loads the generation pipeline).
Every ``command:`` route is also in ``bot_commands.BOT_COMMANDS`` (the «/» menu and /help);
``tests/unit/telegram/test_bot_commands.py`` fails when the two differ.
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any, Callable

from photoshoot.observability import logger
from photoshoot.settings import get_settings

IDEMPOTENCY_TTL_S = 48 * 3600

ROUTES: dict[str, str] = {
    "command:start": "photoshoot.telegram.commands:on_start",
    "command:balance": "photoshoot.telegram.commands:on_balance",
    "command:help": "photoshoot.telegram.commands:on_help",
    "callback:login": "photoshoot.telegram.commands:on_login_confirm",
    # main-menu buttons, else the scene for the latest photo (scene_texts), else help
    "text": "photoshoot.telegram.commands:on_text",
    # Buying with Telegram Stars
    "command:buy": "photoshoot.telegram.purchases:on_buy",
    "command:paysupport": "photoshoot.telegram.purchases:on_paysupport",
    "callback:buy": "photoshoot.telegram.purchases:on_buy_pressed",
    "callback:pkg": "photoshoot.telegram.purchases:on_package_chosen",
    "pre_checkout_query": "photoshoot.telegram.purchases:on_pre_checkout",
    "successful_payment": "photoshoot.telegram.purchases:on_successful_payment",
    # A photoshoot from a photo
    "photo": "photoshoot.telegram.photos:on_photo",
    "not_a_photo": "photoshoot.telegram.photos:on_not_a_photo",
    "callback:st": "photoshoot.telegram.photos:on_style_chosen",
    "callback:cst": "photoshoot.telegram.photos:on_custom_style_chosen",
    "callback:stl": "photoshoot.telegram.photos:on_styles_again",
    "callback:allst": "photoshoot.telegram.photos:on_all_styles",
    "callback:fmt": "photoshoot.telegram.photos:on_format_menu",
    "callback:fmtset": "photoshoot.telegram.photos:on_format_chosen",
    "command:cancel": "photoshoot.telegram.photos:on_cancel",
}
# Any other /command gets the help text; any other button (an old keyboard) is answered,
# or its spinner would turn until Telegram gives up.
UNKNOWN_COMMAND = "photoshoot.telegram.commands:on_help"
UNKNOWN_CALLBACK = "photoshoot.telegram.commands:on_stale_button"


def update_kind(update: dict) -> str | None:
    message = update.get("message")
    if isinstance(message, dict):
        if message.get("successful_payment"):
            return "successful_payment"
        if message.get("photo") or _is_image_document(message.get("document")):
            return "photo"
        if any(message.get(media) for media in _OTHER_MEDIA):
            return "not_a_photo"
        text = message.get("text") or ""
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
            return f"command:{command}"
        return "text" if text else None
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        return "callback:" + str(callback.get("data") or "").split(":", 1)[0]
    if isinstance(update.get("pre_checkout_query"), dict):
        return "pre_checkout_query"
    return None


# What a seller may send instead of a product photo; each gets the hint, not silence.
# Listed, not "anything without text": service messages (a pinned message, a member who
# joined …) must get no answer.
_OTHER_MEDIA = ("document", "video", "animation", "sticker", "voice", "audio", "video_note",
                "location", "venue", "contact", "poll", "dice", "game", "story", "paid_media",
                "checklist")
_IMAGE_NAME_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def _is_image_document(document: Any) -> bool:
    """An image sent as a file; by its name too, as some apps send any file as
    application/octet-stream (the photo is checked by its content anyway)."""
    if not isinstance(document, dict):
        return False
    return (str(document.get("mime_type", "")).startswith("image/")
            or str(document.get("file_name", "")).lower().endswith(_IMAGE_NAME_SUFFIXES))


def _handler(kind: str | None) -> Callable[[dict], Any] | None:
    target = ROUTES.get(kind or "")
    if target is None and kind and kind.startswith("command:"):
        target = UNKNOWN_COMMAND
    elif target is None and kind and kind.startswith("callback:"):
        target = UNKNOWN_CALLBACK
    if target is None:
        return None
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def dispatch(update: dict) -> dict:
    """Run the handler of this update (no de-duplication: see ``process_update``)."""
    kind = update_kind(update)
    handler = _handler(kind)
    if handler is None:
        logger.info("telegram update ignored", extra={"update_id": update.get("update_id"),
                                                      "kind": kind})
        return {"update_id": update.get("update_id"), "kind": kind, "handled": False}
    from photoshoot.telegram.bot_api import BotForbidden  # noqa: PLC0415

    try:
        handler(update)
    except BotForbidden:
        # The person blocked the bot (or left) while this update waited: nothing can reach
        # them, and Telegram's redeliveries would fail the same way for a day. What the
        # handler did before the refused send (a charge, a started photoshoot) is kept.
        logger.info("telegram update: the bot may not write to this chat",
                    extra={"update_id": update.get("update_id"), "kind": kind})
        return {"update_id": update.get("update_id"), "kind": kind, "handled": False,
                "blocked": True}
    logger.info("telegram update handled", extra={"update_id": update.get("update_id"),
                                                  "kind": kind})
    return {"update_id": update.get("update_id"), "kind": kind, "handled": True}


def _mark_duplicate(response: Any, data_record: Any) -> Any:
    if isinstance(response, dict):
        return {**response, "duplicate": True}
    return response


@lru_cache(maxsize=4)
def _deduplicated(table_name: str, endpoint_url: str, region: str) -> tuple[Callable, Any]:
    import boto3  # noqa: PLC0415 - Powertools and boto3 load on the first update only
    from aws_lambda_powertools.utilities.idempotency import (  # noqa: PLC0415
        DynamoDBPersistenceLayer, IdempotencyConfig, idempotent_function)

    client = boto3.client("dynamodb", region_name=region, endpoint_url=endpoint_url or None)
    persistence = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=client)
    config = IdempotencyConfig(event_key_jmespath="update_id", raise_on_no_idempotency_key=True,
                               expires_after_seconds=IDEMPOTENCY_TTL_S,
                               response_hook=_mark_duplicate)

    def handle_update_once(update: dict) -> dict:
        return dispatch(update)

    once = idempotent_function(handle_update_once, data_keyword_argument="update",
                               persistence_store=persistence, config=config,
                               key_prefix="telegram-update")
    return once, config


def process_update(update: dict, lambda_context=None) -> dict:
    """Handle a Telegram update exactly once per ``update_id``. A repeat answers the stored
    result with ``duplicate: True``. With the Lambda context, an invocation that times out
    mid-update leaves a record that expires with the invocation, so Telegram's retry runs."""
    from aws_lambda_powertools.utilities.idempotency.exceptions import (  # noqa: PLC0415
        IdempotencyAlreadyInProgressError)

    settings = get_settings()
    once, config = _deduplicated(settings.table_name("idempotency"), settings.aws_endpoint_url,
                                 settings.region)
    if lambda_context is not None and hasattr(lambda_context, "get_remaining_time_in_millis"):
        config.register_lambda_context(lambda_context)
    try:
        return once(update=update)
    except IdempotencyAlreadyInProgressError:
        # The same update is being handled right now by another invocation.
        return {"update_id": update.get("update_id"), "duplicate": True, "in_progress": True}
