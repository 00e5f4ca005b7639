from __future__ import annotations

from pynamodb.attributes import (BooleanAttribute, MapAttribute, NumberAttribute,
                                 UnicodeAttribute)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from photoshoot.models.base import table_meta


class UsernameIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "username-index"
        projection = AllProjection()

    username_lc = UnicodeAttribute(hash_key=True)


class BotPhoto(MapAttribute):
    """The person's latest product photo the bot accepted (its style keyboard was shown)."""

    upload_id = UnicodeAttribute()
    format_id = UnicodeAttribute()
    accepted_at = UnicodeAttribute()  # ISO 8601 UTC, as ``created_at``


class User(Model):
    """A seller. ``user_id`` is the Telegram user id as a string."""

    Meta = table_meta("users")

    user_id = UnicodeAttribute(hash_key=True)
    telegram_id = NumberAttribute()
    username = UnicodeAttribute(null=True)
    username_lc = UnicodeAttribute(null=True)
    first_name = UnicodeAttribute(null=True)
    last_name = UnicodeAttribute(null=True)
    photo_url = UnicodeAttribute(null=True)
    balance = NumberAttribute(default=0)
    # Photoshoots spent so far; a refund of a purchase may not take back what was used.
    spent = NumberAttribute(default=0)
    email = UnicodeAttribute(null=True)
    email_notifications = BooleanAttribute(default=False)
    # Telegram private chat with the bot (equals the user id once the user started the bot).
    bot_chat_id = NumberAttribute(null=True)
    bot_format = UnicodeAttribute(null=True)  # the bot's photoshoot format, once picked
    # What a plain text message describes: the scene for this photo (``telegram.latest_photo``).
    bot_last_upload = BotPhoto(null=True)
    utm = MapAttribute(null=True)
    metrika_client_id = UnicodeAttribute(null=True)
    # Yandex Direct click id of the first ad visit seen: identifies a payer to Metrika's
    # offline conversions when no Metrika ClientID is known.
    yclid = UnicodeAttribute(null=True)
    # "<Moscow day>#<source>" the sign-up was counted under; the first payment is counted in
    # the same cell (``signup_paid``). Absent for accounts made before that was tracked.
    signup_cohort = UnicodeAttribute(null=True)
    # When ``infra.backfill_cohorts`` gave an older account its ``signup_cohort`` (derived
    # from ``created_at`` and ``utm``, not seen at sign-up): marks the cohort as derived and
    # lets a re-run finish an account whose first payment was not counted yet.
    signup_cohort_backfilled_at = UnicodeAttribute(null=True)
    # The user's first paid order, set once (conditionally) when it is counted.
    first_paid_order_id = UnicodeAttribute(null=True)
    first_paid_at = UnicodeAttribute(null=True)
    signup_source = UnicodeAttribute(null=True)
    token_version = NumberAttribute(default=0)
    is_admin = BooleanAttribute(default=False)
    created_at = UnicodeAttribute()
    web_signup_at = UnicodeAttribute(null=True)  # first login on the web (Metrika signup)
    last_active = UnicodeAttribute(null=True)

    username_index = UsernameIndex()
