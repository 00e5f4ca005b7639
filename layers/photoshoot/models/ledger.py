from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from photoshoot.models.base import table_meta


class LedgerEntry(Model):
    """One balance change. ``entry_id`` is ``<kind>#<reference>`` (``purchase#<order>``,
    ``charge#<generation>``, ``refund#<generation>``, ``bonus#signup`` …) and is written with
    ``attribute_not_exists`` in the same transaction as the balance update: exactly once."""

    Meta = table_meta("ledger")

    user_id = UnicodeAttribute(hash_key=True)
    entry_id = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    delta = NumberAttribute()
    reference = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
