"""The ``generation`` Standard state machine: start one execution per generation (named by
the generation id, so a retried start can never run or charge twice) and stop it."""
from __future__ import annotations

import json
from functools import lru_cache

from photoshoot.errors import PhotoshootError
from photoshoot.observability import logger
from photoshoot.settings import get_settings


class WorkflowUnavailable(PhotoshootError):
    status = 503
    code = "workflow_unavailable"
    message = "Не получилось запустить генерацию."
    advice = "Попробуйте ещё раз через минуту."


def execution_exists(generation_id: str) -> bool:
    client = sfn_client()
    try:
        client.describe_execution(executionArn=execution_arn(generation_id))
        return True
    except client.exceptions.ExecutionDoesNotExist:
        return False


@lru_cache(maxsize=1)
def sfn_client():
    import boto3  # noqa: PLC0415
    from botocore.config import Config  # noqa: PLC0415

    settings = get_settings()
    # Short timeouts: a start that hangs must fail (and refund) well inside the API
    # function's 25 s, not be cut off by the Lambda timeout between charge and start.
    return boto3.client("stepfunctions", region_name=settings.region,
                        endpoint_url=settings.aws_endpoint_url or None,
                        config=Config(connect_timeout=2, read_timeout=5,
                                      retries={"max_attempts": 2, "mode": "standard"}))


def reset_client() -> None:
    sfn_client.cache_clear()


def execution_input(user_id: str, generation_id: str) -> dict:
    return {"user_id": user_id, "generation_id": generation_id}


def execution_arn(generation_id: str) -> str:
    """``arn:…:stateMachine:<name>`` → ``arn:…:execution:<name>:<generation_id>``."""
    machine = get_settings().state_machine_arn
    prefix, _, name = machine.rpartition(":stateMachine:")
    return f"{prefix}:execution:{name}:{generation_id}"


def start(user_id: str, generation_id: str) -> str:
    settings = get_settings()
    if not settings.state_machine_arn:
        raise WorkflowUnavailable()
    client = sfn_client()
    try:
        answer = client.start_execution(
            stateMachineArn=settings.state_machine_arn, name=generation_id,
            input=json.dumps(execution_input(user_id, generation_id)))
        return answer["executionArn"]
    except client.exceptions.ExecutionAlreadyExists:
        return execution_arn(generation_id)


def stop(arn: str | None, generation_id: str, cause: str) -> None:
    """Stop the execution if it still runs (best effort: the state is already final)."""
    client = sfn_client()
    try:
        client.stop_execution(executionArn=arn or execution_arn(generation_id),
                              error="GenerationCancelled", cause=cause)
    except Exception:  # noqa: BLE001 - finished or unknown executions need no stop
        logger.info("execution not stopped", extra={"generation_id": generation_id},
                    exc_info=True)
