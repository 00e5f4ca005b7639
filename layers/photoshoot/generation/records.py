"""Load a user's Generation and present it as the public JSON of the API and WebSocket."""
from __future__ import annotations

import re

from photoshoot.errors import Conflict, NotFound
from photoshoot.models import Generation

ACTIVE = ("queued", "running")
TERMINAL = ("succeeded", "failed", "cancelled")
STEPS = ("upload", "analyze", "prompt", "generate", "done")
_ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}\Z")


class GenerationNotFound(NotFound):
    message = "Такой генерации нет. Возможно, она удалена."


def check_generation_id(generation_id: str) -> str:
    generation_id = str(generation_id or "").strip().upper()
    if not _ULID.match(generation_id):
        raise GenerationNotFound()
    return generation_id


def get_generation(user_id: str, generation_id: str, consistent: bool = False,
                   attributes: tuple[str, ...] | None = None) -> Generation:
    """The generation of *this* user; another user's id is simply not found (404).
    ``attributes`` limits the read to those (the others stay unset on the object)."""
    generation_id = check_generation_id(generation_id)
    try:
        return Generation.get(user_id, generation_id, consistent_read=consistent,
                              attributes_to_get=list(attributes) if attributes else None)
    except Generation.DoesNotExist:
        raise GenerationNotFound() from None


def update_generation(generation: Generation, actions: list, condition=None,
                      returning: bool = False, **local) -> dict:
    """``Model.update`` without echoing the whole item back: PynamoDB always asks for
    ALL_NEW, and the item carries the analysis, the shot plan and the images, so every step
    write would ship all of it. Returns the updated attributes as DynamoDB wrote them when
    ``returning`` (UPDATED_NEW), and sets ``local`` (attribute=value) on the object so it
    matches what was written."""
    from pynamodb.constants import ATTRIBUTES, NONE, UPDATED_NEW  # noqa: PLC0415

    data = Generation._get_connection().update_item(
        generation.user_id, range_key=generation.generation_id, actions=actions,
        condition=condition, return_values=UPDATED_NEW if returning else NONE)
    for name, value in local.items():
        setattr(generation, name, value)
    return (data or {}).get(ATTRIBUTES) or {}


def returned_images(attributes: dict) -> list[dict]:
    """The ``images`` list out of an UPDATED_NEW answer."""
    raw = attributes.get(Generation.images.attr_name)
    return list(Generation.images.deserialize(Generation.images.get_value(raw))) if raw else []


def is_active(generation: Generation) -> bool:
    return generation.status in ACTIVE


def images_of(generation: Generation) -> list[dict]:
    """Finished images, one per index (a retried Render may have appended twice)."""
    by_index: dict[int, dict] = {}
    for raw in generation.images or []:
        item = dict(raw)
        by_index[int(item["index"])] = item
    return [by_index[i] for i in sorted(by_index)]


def image_file_name(generation_id: str, index: int) -> str:
    return f"photoshoot-{generation_id[:8].lower()}-{int(index) + 1}.jpg"


def images_to_dicts(generation: Generation, images: list[dict] | None = None) -> list[dict]:
    """The public entries of ``images`` (default: every finished one) of this generation:
    the photos themselves only once it has succeeded."""
    full_size = generation.status == "succeeded"
    return [_image_to_dict(image, generation.generation_id, full_size)
            for image in (images_of(generation) if images is None else images)]


def _image_to_dict(image: dict, generation_id: str, full_size: bool) -> dict:
    """Short-lived URLs of one image: its thumbnail and — once the photoshoot has succeeded
    (``full_size``) — the photo itself and a link that saves it (a cross-origin link cannot
    make the browser save with ``download``, the answer's Content-Disposition can). While it
    runs the gallery fills with thumbnails only: a run cancelled (and refunded) after three
    shots must not have delivered three full-size photos."""
    from photoshoot import storage  # noqa: PLC0415

    index = int(image["index"])
    body = {"index": index, "thumb_url": storage.presigned_get(image["thumb_key"]),
            "width": int(image["width"]), "height": int(image["height"])}
    if full_size:
        body["url"] = storage.presigned_get(image["key"])
        body["download_url"] = storage.presigned_get(
            image["key"], download_name=image_file_name(generation_id, index))
    return body


def generation_to_dict(generation: Generation) -> dict:
    """The Generation JSON of the public contract, with short-lived image URLs."""
    body = {
        "generation_id": generation.generation_id,
        "status": generation.status,
        "step": generation.step,
        "progress": int(generation.progress or 0),
        "message": generation.message or "",
        "eta_s": int(generation.eta_s) if generation.eta_s is not None else None,
        "style_id": generation.style_id,
        "saved_style_id": generation.saved_style_id,
        "custom_prompt": generation.custom_prompt,
        "style_title": generation.style_title,
        "format": generation.format,
        "image_count": int(generation.image_count or 0),
        "source": generation.source,
        "created_at": generation.created_at,
        "finished_at": generation.finished_at,
        "images": images_to_dicts(generation),
    }
    if generation.error_code:
        body["error"] = {"code": generation.error_code, "message": generation.error_message}
    return body


class GenerationStopped(Conflict):
    """The generation was cancelled, failed or deleted while a step was running; the step
    stops without writing (the state machine routes this name to the Fail step, whose
    refund then finds nothing left to do)."""
    code = "generation_stopped"
    message = "Генерация уже остановлена."
