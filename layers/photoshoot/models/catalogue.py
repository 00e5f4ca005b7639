from __future__ import annotations

from pynamodb.attributes import (BooleanAttribute, ListAttribute, NumberAttribute,
                                 UnicodeAttribute, VersionAttribute)
from pynamodb.models import Model

from photoshoot.models.base import table_meta


class Package(Model):
    Meta = table_meta("packages")

    package_id = UnicodeAttribute(hash_key=True)
    title = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    photoshoots = NumberAttribute()
    price_kopecks = NumberAttribute()
    images_per_photoshoot = NumberAttribute(default=4)
    stars_price = NumberAttribute(null=True)
    popular = BooleanAttribute(default=False)
    active = BooleanAttribute(default=True)
    sort = NumberAttribute(default=0)
    # Optimistic locking for admin edits: save() only succeeds while the stored version is
    # the one loaded. Seeded and older items have none; PynamoDB then requires it absent.
    version = VersionAttribute()


class Style(Model):
    Meta = table_meta("styles")

    style_id = UnicodeAttribute(hash_key=True)
    title = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    prompt = UnicodeAttribute()
    tags = ListAttribute(of=UnicodeAttribute, null=True)
    preview_url = UnicodeAttribute(null=True)
    active = BooleanAttribute(default=True)
    sort = NumberAttribute(default=0)
    version = VersionAttribute()  # as Package.version


class SavedStyle(Model):
    """A seller's own style: a title and a description, optionally based on a preset."""

    Meta = table_meta("saved_styles")

    user_id = UnicodeAttribute(hash_key=True)
    style_id = UnicodeAttribute(range_key=True)
    title = UnicodeAttribute()
    prompt = UnicodeAttribute()
    base_style_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute(null=True)
