"""The person's latest product photo in the bot, so that a plain text message sent after it
can be read as the scene for it (``telegram.scene_texts``).

Telegram gives a text message no link to the photo before it, so the bot remembers the last
photo it accepted (its style keyboard was shown) on the account: ``User.bot_last_upload``.
A memory older than the uploads' lifetime, or one whose photo is gone, means nothing.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from photoshoot import storage
from photoshoot.formats import FORMATS, OutputFormat
from photoshoot.telegram import bot_formats
from photoshoot.models import User
from photoshoot.models.base import utc_now_iso
from photoshoot.models.users import BotPhoto
from photoshoot.observability import logger

# template.yaml's "expire-unused-uploads" lifecycle rule deletes uploads after this; S3 runs
# the rule lazily, so a photo may still be stored a little longer, but it is due to vanish.
UPLOAD_LIFETIME = timedelta(days=30)


def remember(user_id: str, upload_id: str, format_id: str) -> None:
    """This photo is now the one a text describes (best effort: without it the person only
    gets the hint to send a caption)."""
    photo = BotPhoto(upload_id=upload_id, format_id=format_id, accepted_at=utc_now_iso())
    try:
        User(user_id).update(actions=[User.bot_last_upload.set(photo)],
                             condition=User.user_id.exists())
    except Exception:  # noqa: BLE001 - the photoshoot from the keyboard goes on
        logger.warning("latest bot photo not remembered", extra={"upload_id": upload_id})


def follow_format(user_id: str, upload_id: str, format_id: str) -> None:
    """A format picked on the latest photo's keyboard applies to a scene written after it;
    a format picked on an older photo's keyboard leaves the latest photo as it is."""
    try:
        User(user_id).update(actions=[User.bot_last_upload.format_id.set(format_id)],
                             condition=User.bot_last_upload.upload_id == upload_id)
    except Exception:  # noqa: BLE001 - an older photo, or the write lost: the format stays
        logger.info("latest bot photo format unchanged", extra={"upload_id": upload_id})


def recent(user: User) -> tuple[str, OutputFormat] | None:
    """``(upload id, format)`` of the person's latest photo while it can still be shot."""
    photo = user.bot_last_upload
    if photo is None or _expired(photo.accepted_at):
        return None
    if storage.head(storage.upload_key(user.user_id, photo.upload_id)) is None:
        return None  # deleted early, or the lifecycle rule was quicker than the clock
    return photo.upload_id, FORMATS.get(photo.format_id) or bot_formats.from_code(None)


def _expired(accepted_at: str) -> bool:
    try:
        moment = datetime.fromisoformat(accepted_at.replace("Z", "+00:00"))
    except ValueError:
        return True
    return datetime.now(timezone.utc) - moment > UPLOAD_LIFETIME
