from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from photoshoot.models.base import table_meta


class AuthChallenge(Model):
    """A pending login: a hashed 6-digit code or a deep-link confirmation."""

    Meta = table_meta("auth_challenges")

    challenge_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # code | link
    user_id = UnicodeAttribute(null=True)
    code_hash = UnicodeAttribute(null=True)
    attempts_left = NumberAttribute(default=5)
    status = UnicodeAttribute(default="pending")  # pending|confirmed|consumed|burned
    browser_secret_hash = UnicodeAttribute(null=True)
    utm = UnicodeAttribute(null=True)  # JSON of first-touch attribution sent with the request
    username = UnicodeAttribute(null=True)  # code logins: the lower-case @username asked for
    device = UnicodeAttribute(null=True)  # link logins: «Chrome на Windows» (auth/devices.py)
    created_at = UnicodeAttribute()
    expires_at = TTLAttribute()


class ConnectionUserIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "user-index"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)


class Connection(Model):
    """An open WebSocket (a user may have several tabs)."""

    Meta = table_meta("connections")

    connection_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    connected_at = UnicodeAttribute()
    expires_at = TTLAttribute()

    user_index = ConnectionUserIndex()


class RateCounter(Model):
    """A fixed-window counter (``bucket_id`` = ``<scope>#<key>#<window>``) that expires."""

    Meta = table_meta("rate_limits")

    bucket_id = UnicodeAttribute(hash_key=True)
    count = NumberAttribute(default=0)
    expires_at = TTLAttribute()


class StatCounter(Model):
    """Atomic counters for the admin page and step-duration samples for ETAs."""

    Meta = table_meta("stats")

    day = UnicodeAttribute(hash_key=True)
    metric = UnicodeAttribute(range_key=True)  # <source>#<metric>
    value = NumberAttribute(default=0)
