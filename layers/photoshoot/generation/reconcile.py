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
