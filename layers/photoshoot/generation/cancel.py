"""Cancel and delete a seller's generation."""
from __future__ import annotations

from photoshoot import storage
from photoshoot.errors import Conflict
from photoshoot.generation import workflow
from photoshoot.generation.records import (GenerationNotFound, generation_to_dict,
                                           get_generation, is_active)
from photoshoot.generation.refunds import refund_generation
from photoshoot.observability import logger


class AlreadyFinished(Conflict):
    code = "generation_finished"
    message = "Генерация уже завершена — отменять нечего."


class AlreadyCancelled(AlreadyFinished):
    message = "Генерация уже отменена, фотосессия вернулась на баланс."


def _finished(generation) -> AlreadyFinished:
    return AlreadyCancelled() if generation.status == "cancelled" else AlreadyFinished()


def cancel_generation(user_id: str, generation_id: str) -> dict:
    """Mark cancelled and refund once (one transaction), then stop the execution. A
    finished generation cannot be cancelled (409)."""
    generation = get_generation(user_id, generation_id, consistent=True)
    if not is_active(generation):
        raise _finished(generation)
    refunded = refund_generation(user_id, generation.generation_id, "cancelled_by_user",
                                 status="cancelled")
    try:
        generation.refresh(consistent_read=True)
    except type(generation).DoesNotExist:
        raise GenerationNotFound() from None  # deleted meanwhile (another tab): refunded
    if not refunded:  # another request cancelled it, or it finished, in the meantime
        raise _finished(generation)
    workflow.stop(generation.execution_arn, generation.generation_id, "cancelled by the user")
    logger.info("generation cancelled", extra={"generation_id": generation.generation_id})
    return generation_to_dict(generation)


def delete_generation(user_id: str, generation_id: str) -> None:
    """Remove the generation and its images (a running one is cancelled and refunded
    first, so deleting never loses a photoshoot)."""
    generation = get_generation(user_id, generation_id, consistent=True)
    if is_active(generation):
        try:
            cancel_generation(user_id, generation.generation_id)
        except AlreadyFinished:
            pass
    storage.delete_prefix(storage.results_prefix(user_id, generation.generation_id))
    storage.delete_prefix(storage.work_prefix(user_id, generation.generation_id))
    generation.delete()
    logger.info("generation deleted", extra={"generation_id": generation.generation_id})
