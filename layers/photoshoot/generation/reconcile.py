"""Reconcile: EventBridge tells us an execution of the ``generation`` machine FAILED, TIMED_OUT
or was ABORTED; refund it if nobody did (the Fail step cannot run after a timeout or an
abort, and may itself have failed)."""
from __future__ import annotations

import json

from photoshoot.errors import ProviderError
from photoshoot.generation.refunds import refund_generation
from photoshoot.observability import logger

FAILURE_STATUSES = ("FAILED", "TIMED_OUT", "ABORTED")
_ERRORS = {
    "TIMED_OUT": ProviderError("Генерация заняла слишком много времени и была остановлена.",
                               advice="Попробуйте ещё раз чуть позже."),
    "ABORTED": ProviderError("Генерация была остановлена.", advice="Попробуйте ещё раз."),
    "FAILED": ProviderError(),
}


def reconcile_execution(event: dict) -> dict:
    detail = event.get("detail") or {}
    status = detail.get("status")
    if status not in FAILURE_STATUSES:
        return {"refunded": False, "reason": "not_a_failure"}
    try:
        payload = json.loads(detail.get("input") or "{}")
    except ValueError:
        payload = {}
    user_id, generation_id = payload.get("user_id"), payload.get("generation_id")
    if not user_id or not generation_id or (detail.get("name") not in (None, generation_id)):
        logger.info("reconcile: not a generation execution",
                    extra={"execution": detail.get("executionArn")})
        return {"refunded": False, "reason": "not_a_generation"}
    refunded = refund_generation(str(user_id), str(generation_id),
                                 f"execution_{status.lower()}", error=_ERRORS[status])
    logger.info("reconciled", extra={"generation_id": generation_id, "status": status,
                                     "refunded": refunded})
    return {"generation_id": generation_id, "refunded": refunded}


# The API function stops at 25 s; a generation still queued well after that, with no
# execution, was charged by a create that never got to start it.
NEVER_STARTED_AFTER_S = 120


def settle_never_started(generation):
    """Refund a generation whose execution never started (its create was cut off between
    the charge and the start: nothing else would ever finish it). Called where the seller
    reads it; returns the generation as it is now. Checks Step Functions only for queued
    generations older than ``NEVER_STARTED_AFTER_S``."""
    from datetime import datetime, timezone  # noqa: PLC0415

    from photoshoot.generation import workflow  # noqa: PLC0415
    from photoshoot.generation.records import get_generation  # noqa: PLC0415

    if generation.status != "queued" or not generation.created_at:
        return generation
    created = datetime.fromisoformat(generation.created_at.replace("Z", "+00:00"))
    if (datetime.now(timezone.utc) - created).total_seconds() < NEVER_STARTED_AFTER_S:
        return generation
    try:
        if workflow.execution_exists(generation.generation_id):
            return generation  # it runs (or ran): the steps, Fail or Reconcile finish it
    except Exception:  # noqa: BLE001 - Step Functions unreachable: decide on a later read
        logger.warning("never-started check failed",
                       extra={"generation_id": generation.generation_id}, exc_info=True)
        return generation
    refunded = refund_generation(generation.user_id, generation.generation_id,
                                 "never_started", error=workflow.WorkflowUnavailable())
    logger.warning("generation never started: refunded",
                   extra={"generation_id": generation.generation_id, "refunded": refunded})
    return get_generation(generation.user_id, generation.generation_id, consistent=True)
