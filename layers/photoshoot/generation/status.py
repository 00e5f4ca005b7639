"""Live status: what each step tells the seller, and the push to all of the user's sockets.

Every step first writes ``status/step/progress/message/eta_s`` to the Generation item (the
source of truth, also served by ``GET /api/generations/{id}``) and then calls
``publish_status``, which posts ``generation.status`` to every open connection of the user
(gone ones are dropped by ``realtime``). A client that (re)connects sends ``subscribe`` and
gets ``status_message`` at once, so nothing is missed across reconnects.
"""
from __future__ import annotations

from photoshoot import realtime
from photoshoot.generation.records import get_generation, images_to_dicts
from photoshoot.models import Generation
from photoshoot.observability import logger

MESSAGE_TYPE = "generation.status"

_PROGRESS = {"upload": 3, "analyze": 8, "prompt": 18, "done": 100}
GENERATE_FROM, GENERATE_TO = 22, 95


def progress_for(step: str, images_done: int = 0, image_count: int = 1) -> int:
    if step == "generate":
        share = min(1.0, images_done / max(1, image_count))
        return int(GENERATE_FROM + (GENERATE_TO - GENERATE_FROM) * share)
    return _PROGRESS.get(step, 0)


def step_message(step: str, images_done: int = 0, image_count: int = 1) -> str:
    if step == "upload":
        return "Фото загружено. Готовим студию…"
    if step == "analyze":
        return "Изучаем товар: отделяем его от фона, определяем форму и цвета"
    if step == "prompt":
        return "Подбираем сцену, свет и композицию под выбранный стиль"
    if step == "generate":
        if images_done >= image_count:
            return "Все кадры готовы, собираем галерею"
        return f"Снимаем кадр {images_done + 1} из {image_count}"
    if step == "done":
        return f"Готово! {image_count} фото в галерее"
    return ""


CANCELLED_MESSAGE = "Генерация отменена. Фотосессия вернулась на баланс."


def message_of(generation: Generation, images: list[dict] | None = None) -> dict:
    """The ``generation.status`` message; ``images`` are raw image records to include
    (``None``: every image finished so far)."""
    message = {
        "type": MESSAGE_TYPE,
        "generation_id": generation.generation_id,
        "status": generation.status,
        "step": generation.step,
        "progress": int(generation.progress or 0),
        "message": generation.message or "",
        "eta_s": int(generation.eta_s) if generation.eta_s is not None else None,
        "images": images_to_dicts(generation, images),
    }
    if generation.error_code:
        message["error"] = {"code": generation.error_code,
                            "message": generation.error_message}
    return message


def status_message(user_id: str, generation_id: str) -> dict:
    """The current state of one of the user's generations, as a ``generation.status``
    message (what ``subscribe`` answers at once). 404 for someone else's generation."""
    return message_of(get_generation(user_id, generation_id, consistent=True))


def publish_status(generation: Generation, images: list[dict] | None = None) -> int:
    """Push the generation's state to all of its owner's open connections; returns how
    many received it. Best effort: the state is already stored."""
    try:
        delivered = realtime.push_to_user(generation.user_id, message_of(generation, images))
    except Exception:  # noqa: BLE001 - a push never fails a step; clients can re-subscribe
        logger.warning("status push failed", extra={
            "generation_id": generation.generation_id}, exc_info=True)
        return 0
    return delivered
