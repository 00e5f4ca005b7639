"""Fixed-window rate limits on the ``rate_limits`` table.

``hit(scope, key, limit, window_s)`` counts one request of ``key`` (a user id, a username,
an IP …) in the current window of ``window_s`` seconds with one atomic ``ADD`` and raises
``RateLimited`` once the count passes ``limit``. The counter item is
``<scope>#<key>#<window index>`` and carries a TTL, so DynamoDB removes old windows by
itself; a window ends for everybody at the same instant (``now // window_s``).

Keys are hashed before they are stored: usernames and IP addresses never sit in the table.
"""
from __future__ import annotations

import hashlib
import time
from datetime import datetime, timezone

from photoshoot.errors import RateLimited


def _bucket_id(scope: str, key: str, window_index: int) -> str:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"{scope}#{digest}#{window_index}"


def hit(scope: str, key: str, limit: int, window_s: int, *, message: str | None = None,
        now: float | None = None) -> int:
    """Count one request; returns the count in this window, or raises ``RateLimited``
    (HTTP 429) when it is above ``limit``. ``message`` overrides the Russian text."""
    from photoshoot.models import RateCounter  # noqa: PLC0415 - keeps importers light

    if limit <= 0 or window_s <= 0:
        raise ValueError("limit and window_s must be positive")
    now = time.time() if now is None else now
    window_index = int(now // window_s)
    window_end = (window_index + 1) * window_s
    counter = RateCounter(_bucket_id(scope, key, window_index))
    # One UpdateItem: ADD creates the item on the first hit, and is atomic under concurrency.
    counter.update(actions=[
        RateCounter.count.add(1),
        # Keep the item one extra window so a late reader never sees a reset counter early.
        RateCounter.expires_at.set(datetime.fromtimestamp(window_end + window_s,
                                                          tz=timezone.utc)),
    ])
    count = int(counter.count)
    if count > limit:
        retry_after = max(1, int(window_end - now))
        raise RateLimited(message, details={"retry_after_s": retry_after})
    return count
