"""Fixed-window rate limits on the ``rate_limits`` table.

``hit(scope, key, limit, window_s)`` counts one request of ``key`` (a user id, a username,
an IP …) in the current window of ``window_s`` seconds with one atomic ``ADD`` and raises
``RateLimited`` once the count passes ``limit``. The counter item is
``<scope>#<key>#<window index>`` and carries a TTL, so DynamoDB removes old windows by
itself; a window ends for everybody at the same instant (``now // window_s``).

Keys are hashed before they are stored: usernames and IP addresses never sit in the table.
Per-address limits key by ``address_key``: one IPv6 subscriber holds a whole /64.
"""
from __future__ import annotations

import hashlib
import ipaddress
import time
from datetime import datetime, timezone

from photoshoot.errors import RateLimited

IPV6_SUBSCRIBER_PREFIX = 64


def address_key(address: str | None) -> str:
    """The rate-limit key of a caller's address. An IPv6 address counts by its /64: a home
    or a server gets a whole /64 and picks any address in it, so per-address buckets would
    be 2^64 fresh limits for one attacker. IPv4 (also written IPv4-mapped) as it is."""
    try:
        ip = ipaddress.ip_address((address or "").strip().strip("[]"))
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_SUBSCRIBER_PREFIX), strict=False))
    return str(ip)


def _bucket_id(scope: str, key: str, window_index: int) -> str:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"{scope}#{digest}#{window_index}"


def count(scope: str, key: str, window_s: int, *, now: float | None = None) -> int:
    """How many times ``key`` was counted in the current window (without counting)."""
    from photoshoot.models import RateCounter  # noqa: PLC0415 - keeps importers light

    now = time.time() if now is None else now
    try:
        counter = RateCounter.get(_bucket_id(scope, key, int(now // window_s)),
                                  consistent_read=True)
    except RateCounter.DoesNotExist:
        return 0
    return int(counter.count or 0)


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
