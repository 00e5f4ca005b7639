"""The real ``generation`` state machine, in-process: moto executes the ASL of
``infra/statemachine/generation.asl.json`` and its Task states run our handlers from
``app.handler_map`` through the local Lambda runner. WebSocket pushes are recorded."""
from __future__ import annotations

import io
import json
import threading
import time

import boto3
import pytest

from infra import resources
from infra.local import lambda_runner, sfn_clock, sfn_warm
from infra.local.provision import lambda_function_names, state_machine_substitutions
from photoshoot.auth.sessions import issue_token
from photoshoot.models import User
from photoshoot.models.base import utc_now_iso
from photoshoot.settings import get_settings, reset_settings_cache

TERMINAL = ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")


class Pushes:
    """Every ``generation.status`` message the pipeline pushed, per user."""

    def __init__(self):
        self.messages: list[tuple[str, dict]] = []
        self._lock = threading.Lock()

    def record(self, user_id, message):
        with self._lock:
            self.messages.append((user_id, json.loads(json.dumps(message))))
        return 1

    def for_generation(self, generation_id):
        return [m for _, m in self.messages if m.get("generation_id") == generation_id]


@pytest.fixture
def pushes(monkeypatch):
    recorder = Pushes()
    from photoshoot import realtime

    monkeypatch.setattr(realtime, "push_to_user", recorder.record)
    return recorder


@pytest.fixture
def pipeline(api, monkeypatch, pushes):
    """The API client with the generation state machine deployed and running locally."""
    from app import app
    from photoshoot import storage
    from photoshoot.generation import eta, workflow

    settings = get_settings()
    lambda_runner.install(app.handler_map)
    sfn_warm.install()
    try:
        arns = lambda_runner.register_functions(
            boto3.client("lambda", region_name=settings.region), lambda_function_names(app))
        text = (resources.STATE_MACHINE_DIR / "generation.asl.json").read_text()
        definition = resources.state_machine_definition(
            "generation", state_machine_substitutions(text, arns))
        machine = boto3.client("stepfunctions", region_name=settings.region).create_state_machine(
            name="generation", definition=definition, type="STANDARD",
            roleArn="arn:aws:iam::123456789012:role/photoshoot-states")["stateMachineArn"]
        monkeypatch.setenv("STATE_MACHINE_ARN", machine)
        reset_settings_cache()
        storage.reset_client()
        workflow.reset_client()
        eta.clear_cache()
        sfn_clock.install(0.01)  # Retry/Wait intervals of the real ASL, 100× faster
        yield api
    finally:
        sfn_clock.uninstall()
        lambda_runner.uninstall()
        sfn_warm.uninstall()
        reset_settings_cache()


def make_user(user_id: str = "1001", balance: int = 1) -> str:
    User(user_id, telegram_id=int(user_id), balance=balance, created_at=utc_now_iso()).save()
    return issue_token(user_id, 0)


def product_photo_bytes(kind: str = "bottle", size=(480, 640), fmt: str = "JPEG") -> bytes:
    from PIL import Image

    from photoshoot.providers.studio.specimens import make_specimen

    specimen = make_specimen(kind, "plain", seed=1, size=size)
    buffer = io.BytesIO()
    Image.fromarray(specimen.image, "RGB").save(buffer, fmt, quality=92)
    return buffer.getvalue()


def upload_photo(api, token: str, data: bytes | None = None,
                 content_type: str = "image/jpeg") -> str:
    """What the browser does: ask for a presigned POST, then store the file at its key."""
    data = product_photo_bytes() if data is None else data
    answer = api.post("/api/uploads", body={"content_type": content_type, "size": len(data)},
                      token=token)
    assert answer.status_code == 200, answer.json
    s3 = boto3.client("s3", region_name=get_settings().region)
    s3.put_object(Bucket=get_settings().images_bucket, Key=answer.json["fields"]["key"],
                  Body=data, ContentType=content_type)
    return answer.json["upload_id"]


def wait_for_execution(generation_id: str, timeout_s: float = 60.0) -> dict:
    from photoshoot.generation import workflow

    sfn = boto3.client("stepfunctions", region_name=get_settings().region)
    arn = workflow.execution_arn(generation_id)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] in TERMINAL:
            return described
        time.sleep(0.05)
    raise AssertionError(f"execution {generation_id} still running after {timeout_s} s")


def execution_history(generation_id: str) -> list[dict]:
    from photoshoot.generation import workflow

    sfn = boto3.client("stepfunctions", region_name=get_settings().region)
    return sfn.get_execution_history(executionArn=workflow.execution_arn(generation_id),
                                     maxResults=1000)["events"]
