"""Which photo of an album the bot takes. Telegram delivers each photo of an album as its
own update (sharing a ``media_group_id``); the bot makes one offer per album, from the first
photo it *accepted* — a rejected or undelivered photo must not use the album up.

The taken photo is kept as a ``rate_limits`` item (the table of short-lived counters that
expire by TTL): ``telegram-album-taken#<hash of chat:album>`` whose ``count`` is the
message id of the accepted photo, written once with a conditional put. The same update
delivered again (its message id is the stored one) is still the album's photo.
"""
from __future__ import annotations

import hashlib
import time
from datetime import datetime, timezone

from pynamodb.exceptions import PutError

# Telegram redelivers an update for up to 24 h; the mark outlives that.
TAKEN_TTL_S = 48 * 3600


def _marker(chat_id: int, group: str):
    from photoshoot.models import RateCounter  # noqa: PLC0415

    digest = hashlib.sha256(f"{chat_id}:{group}".encode()).hexdigest()[:32]
    return RateCounter(f"telegram-album-taken#{digest}")


def taken_by_another(chat_id: int, group: str, message_id: int) -> bool:
    """True when another photo of this album was accepted already."""
    from photoshoot.models import RateCounter  # noqa: PLC0415

    try:
        taken = RateCounter.get(_marker(chat_id, group).bucket_id, consistent_read=True)
    except RateCounter.DoesNotExist:
        return False
    return int(taken.count or 0) != int(message_id)


def take(chat_id: int, group: str, message_id: int) -> bool:
    """Claim the album for this accepted photo; False when another photo got there first
    (two photos of one album processed at the same time)."""
    from photoshoot.models import RateCounter  # noqa: PLC0415

    marker = _marker(chat_id, group)
    marker.count = int(message_id)
    marker.expires_at = datetime.fromtimestamp(time.time() + TAKEN_TTL_S, tz=timezone.utc)
    try:
        marker.save(condition=RateCounter.bucket_id.does_not_exist())
        return True
    except PutError as error:
        if getattr(error, "cause_response_code", None) != "ConditionalCheckFailedException":
            raise
    return not taken_by_another(chat_id, group, message_id)
