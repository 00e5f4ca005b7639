"""The output format of a bot photoshoot: the marketplace card 3:4 unless the person picked
another one, which is then remembered on their account for the next photos.

Callback data is at most 64 bytes and our format ids contain ``:`` (the callback separator),
so buttons carry a short code instead of the id.
"""
from __future__ import annotations

from photoshoot.formats import FORMATS, OutputFormat
from photoshoot.models import User
from photoshoot.observability import logger

DEFAULT_FORMAT = "3:4"  # what sellers need most: a Wildberries / Ozon card
CODES = {"1:1": "sq", "3:4": "34", "3:4-hd": "34hd", "4:5": "45", "16:9": "169"}
_BY_CODE = {code: format_id for format_id, code in CODES.items()}


def code_of(format_id: str) -> str:
    return CODES.get(format_id, CODES[DEFAULT_FORMAT])


def from_code(code: str | None, fallback: str = DEFAULT_FORMAT) -> OutputFormat:
    """The format a button names; an unknown or missing code (an old message) → fallback."""
    format_id = _BY_CODE.get(code or "") or (fallback if fallback in FORMATS
                                             else DEFAULT_FORMAT)
    return FORMATS[format_id]


def preferred(user: User) -> OutputFormat:
    return FORMATS.get(getattr(user, "bot_format", None) or "", FORMATS[DEFAULT_FORMAT])


def remember(user_id: str, format_id: str) -> None:
    """The person's choice becomes their default (best effort: the photoshoot goes on)."""
    try:
        User(user_id).update(actions=[User.bot_format.set(format_id)],
                             condition=User.user_id.exists())
    except Exception:  # noqa: BLE001 - a lost preference only costs one more tap
        logger.warning("bot format not remembered", extra={"user_id": user_id})


def short_title(output: OutputFormat) -> str:
    """«3:4 (900×1200)»."""
    return f"{output.format_id.replace('-hd', ' HD')} ({output.width}×{output.height})"
