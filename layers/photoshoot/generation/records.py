"""Load a user's Generation and present it as the public JSON of the API and WebSocket."""
from __future__ import annotations

import re

from photoshoot.errors import Conflict, NotFound
from photoshoot.models import Generation

ACTIVE = ("queued", "running")
TERMINAL = ("succeeded", "failed", "cancelled")
STEPS = ("upload", "analyze", "prompt", "generate", "done")
_ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


class GenerationNotFound(NotFound):
    message = "Такой генерации нет. Возможно, она удалена."


def check_generation_id(generation_id: str) -> str:
    generation_id = str(generation_id or "").strip().upper()
    if not _ULID.match(generation_id):
        raise GenerationNotFound()
    return generation_id


def get_generation(user_id: str, generation_id: str, consistent: bool = False) -> Generation:
    """The generation of *this* user; another user's id is simply not found (404)."""
    generation_id = check_generation_id(generation_id)
    try:
        return Generation.get(user_id, generation_id, consistent_read=consistent)
    except Generation.DoesNotExist:
        raise GenerationNotFound() from None


def is_active(generation: Generation) -> bool:
    return generation.status in ACTIVE


def images_of(generation: Generation) -> list[dict]:
    """Finished images, one per index (a retried Render may have appended twice)."""
    by_index: dict[int, dict] = {}
    for raw in generation.images or []:
        item = dict(raw)
        by_index[int(item["index"])] = item
    return [by_index[i] for i in sorted(by_index)]


def image_to_dict(image: dict) -> dict:
    from photoshoot import storage  # noqa: PLC0415

    return {"index": int(image["index"]), "url": storage.presigned_get(image["key"]),
            "thumb_url": storage.presigned_get(image["thumb_key"]),
            "width": int(image["width"]), "height": int(image["height"])}


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
        "images": [image_to_dict(image) for image in images_of(generation)],
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
