from __future__ import annotations

from pynamodb.attributes import (JSONAttribute, ListAttribute, MapAttribute,
                                 NumberAttribute, UnicodeAttribute)
from pynamodb.models import Model

from photoshoot.models.base import table_meta


class Generation(Model):
    """One photoshoot: a source photo, a style and format, and its result images."""

    Meta = table_meta("generations")

    user_id = UnicodeAttribute(hash_key=True)
    generation_id = UnicodeAttribute(range_key=True)  # ULID: time-ordered
    source = UnicodeAttribute(default="web")  # web | bot
    upload_id = UnicodeAttribute(null=True)
    original_key = UnicodeAttribute(null=True)
    cutout_key = UnicodeAttribute(null=True)
    style_id = UnicodeAttribute(null=True)
    saved_style_id = UnicodeAttribute(null=True)
    custom_prompt = UnicodeAttribute(null=True)
    style_title = UnicodeAttribute(null=True)
    format = UnicodeAttribute(default="1:1")
    image_count = NumberAttribute(default=4)
    provider = UnicodeAttribute(null=True)
    # Written once and always read whole by the steps: one JSON string each, so a step's
    # read or write does not (de)serialise dozens of nested attributes.
    analysis = JSONAttribute(null=True)
    prompts = JSONAttribute(null=True)  # [ShotSpec dict per index]
    images = ListAttribute(null=True)  # [{index, key, thumb_key, width, height}]
    status = UnicodeAttribute(default="queued")  # queued|running|succeeded|failed|cancelled
    step = UnicodeAttribute(default="upload")  # upload|analyze|prompt|generate|done
    progress = NumberAttribute(default=0)
    message = UnicodeAttribute(null=True)
    eta_s = NumberAttribute(null=True)
    error_code = UnicodeAttribute(null=True)
    error_message = UnicodeAttribute(null=True)
    execution_arn = UnicodeAttribute(null=True)
    timings = MapAttribute(null=True)  # step -> seconds
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute(null=True)
    finished_at = UnicodeAttribute(null=True)
