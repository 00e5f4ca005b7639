"""Money paths of the pipeline: a failed, cancelled or timed-out generation refunds exactly
once, whoever gets there first; a succeeded one never."""
from __future__ import annotations

import json
import threading
import time

import boto3
import pytest

from infra.local.events import execution_status_event
from photoshoot import errors
from photoshoot.billing import BalanceContention, balance_of, ledger_of
from photoshoot.errors import ProviderTimeout, ProviderUnavailable
from photoshoot.generation import workflow
from photoshoot.settings import get_settings
from tests.unit.generation import fakes
from tests.unit.generation.conftest import (execution_history, make_user, upload_photo,
                                            wait_for_execution)


def _start(api, token, **body):
    upload_id = upload_photo(api, token)
    answer = api.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "studio_sweep", "format": "1:1", **body})
    assert answer.status_code == 202, answer.json
    return answer.json["generation_id"]


def _entries(user_id):
    return sorted(e.entry_id for e in ledger_of(user_id))


def _held_in_analyze(pipeline, monkeypatch, user_id, provider=None):
    """A generation of a new user with one photoshoot, held inside Analyze until the test
    sets the returned event: ``(token, generation_id, release)``."""
    provider = provider or fakes.ScriptedProvider()
    provider.hold["analyze"] = release = threading.Event()
    provider.entered["analyze"] = analyzing = threading.Event()
    fakes.install(monkeypatch, provider)
    token = make_user(user_id, balance=1)
    generation_id = _start(pipeline, token)
    assert analyzing.wait(30)
    return token, generation_id, release


def _reconcile(event):
    from app import app

    return app.handler_map["reconcile_generation"](event, None)


def _event(generation_id, status):
    sfn = boto3.client("stepfunctions", region_name=get_settings().region)
    described = sfn.describe_execution(executionArn=workflow.execution_arn(generation_id))
    described["status"] = status
    return execution_status_event(described, get_settings().region, "123456789012")


def test_failing_provider_is_retried_then_refunded(pipeline, monkeypatch, pushes):
    provider = fakes.ScriptedProvider()
    provider.fail["render"] = ProviderTimeout
    fakes.install(monkeypatch, provider)
    token = make_user("2001", balance=1)

    generation_id = _start(pipeline, token)
    execution = wait_for_execution(generation_id)

    assert execution["status"] == "FAILED" and execution["error"] == "GenerationFailed"
    # Render retried with backoff (1 try + 3 retries) before the Catch routed to Fail
    history = execution_history(generation_id)
    entered = [e["stateEnteredEventDetails"]["name"] for e in history
               if e["type"].endswith("StateEntered")]
    assert "Fail" in entered and "Finalize" not in entered
    assert 4 in provider.render_attempts.values()  # ProviderTimeout: MaxAttempts 3
    assert max(provider.render_attempts.values()) == 4
    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert state["status"] == "failed"
    assert state["error"]["code"] == "provider_error"
    # retries exhausted: said as such, the refund once, and what to do next
    assert state["error"]["message"] == ("Сервис генерации так и не ответил. "
                                         "Фотосессия вернулась на баланс. Попробуйте чуть позже.")
    assert balance_of("2001") == 1
    assert _entries("2001") == [f"charge#{generation_id}", f"refund#{generation_id}"]
    assert pushes.for_generation(generation_id)[-1]["status"] == "failed"
    # the open pages learn the refunded balance (the header showed the charged one)
    assert ("2001", {"type": "balance", "balance": 1}) in pushes.messages

    # EventBridge then reports the FAILED execution: Reconcile finds it refunded already
    assert _reconcile(_event(generation_id, "FAILED"))["refunded"] is False
    assert balance_of("2001") == 1


def test_transient_provider_error_recovers_without_refund(pipeline, monkeypatch):
    provider = fakes.ScriptedProvider()
    provider.fail["analyze"] = ProviderUnavailable
    provider.fail_times["analyze"] = 1
    fakes.install(monkeypatch, provider)
    token = make_user("2002", balance=1)

    generation_id = _start(pipeline, token)

    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"
    assert provider.calls["analyze"] == 2
    assert balance_of("2002") == 0
    assert _entries("2002") == [f"charge#{generation_id}"]


def test_cancelled_run_refunds_once(pipeline, monkeypatch):
    provider = fakes.ScriptedProvider()
    provider.hold["render"] = release = threading.Event()
    provider.entered["render"] = rendering = threading.Event()
    fakes.install(monkeypatch, provider)
    token = make_user("2003", balance=1)
    generation_id = _start(pipeline, token)
    assert rendering.wait(30)

    cancelled = pipeline.post(f"/api/generations/{generation_id}/cancel", token=token)
    assert cancelled.status_code == 200, cancelled.json
    assert cancelled.json["status"] == "cancelled"
    again = pipeline.post(f"/api/generations/{generation_id}/cancel", token=token)
    assert again.status_code == 409
    assert again.json["error"]["message"] == (
        "Генерация уже отменена, фотосессия вернулась на баланс.")
    release.set()
    execution = wait_for_execution(generation_id)
    assert execution["status"] in ("ABORTED", "FAILED")
    assert _reconcile(_event(generation_id, execution["status"]))["refunded"] is False

    time.sleep(0.3)  # let any render still in flight finish: it must not revive the run
    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert state["status"] == "cancelled"
    assert balance_of("2003") == 1
    assert _entries("2003") == [f"charge#{generation_id}", f"refund#{generation_id}"]


def test_cancelling_a_finished_generation_is_a_conflict(pipeline):
    token = make_user("2004", balance=1)
    generation_id = _start(pipeline, token)
    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"

    answer = pipeline.post(f"/api/generations/{generation_id}/cancel", token=token)

    assert answer.status_code == 409
    assert answer.json["error"]["code"] == "generation_finished"
    assert balance_of("2004") == 0


def test_reconcile_after_timed_out_execution_refunds_once(pipeline, monkeypatch):
    token, generation_id, release = _held_in_analyze(pipeline, monkeypatch, "2005")
    event = _event(generation_id, "TIMED_OUT")

    first = _reconcile(event)
    second = _reconcile(event)  # EventBridge delivers at least once

    assert first["refunded"] is True and second["refunded"] is False
    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert state["status"] == "failed"
    assert state["error"]["message"] == (
        "Генерация заняла слишком много времени и была остановлена. "
        "Фотосессия вернулась на баланс. Попробуйте ещё раз чуть позже.")
    # the step that was still running finds the generation finished and changes nothing
    release.set()
    assert wait_for_execution(generation_id)["status"] == "FAILED"
    assert balance_of("2005") == 1
    assert _entries("2005") == [f"charge#{generation_id}", f"refund#{generation_id}"]


def test_reconcile_ignores_other_state_machines_and_successes(pipeline):
    event = {"detail-type": "Step Functions Execution Status Change", "detail": {
        "status": "FAILED", "name": "x", "input": json.dumps({"order_id": "o1"})}}
    assert _reconcile(event)["refunded"] is False
    assert _reconcile({"detail": {"status": "SUCCEEDED"}})["refunded"] is False


def test_deleting_a_running_generation_cancels_and_refunds_it_once(pipeline, monkeypatch):
    provider = fakes.ScriptedProvider()
    provider.hold["render"] = release = threading.Event()
    provider.entered["render"] = rendering = threading.Event()
    fakes.install(monkeypatch, provider)
    token = make_user("2006", balance=1)
    generation_id = _start(pipeline, token)
    assert rendering.wait(30)

    assert pipeline.delete(f"/api/generations/{generation_id}", token=token).status_code == 200
    release.set()
    wait_for_execution(generation_id)

    assert pipeline.get(f"/api/generations/{generation_id}", token=token).status_code == 404
    assert balance_of("2006") == 1
    assert _entries("2006") == [f"charge#{generation_id}", f"refund#{generation_id}"]


def test_a_refund_cancelled_by_contention_is_retried_not_dropped(pipeline, monkeypatch,
                                                                 contention):
    """DynamoDB cancelling the Fail step's refund for contention (other transactions on
    the same user, every retry) is not "refunded before": the step fails, the state
    machine retries it, and the photoshoot comes back exactly once."""
    provider = fakes.QuickProvider()
    provider.fail["analyze"] = errors.ProviderError
    token, generation_id, release = _held_in_analyze(pipeline, monkeypatch, "2011", provider)
    contention.hold(5)  # the Fail step's first try: its first commit and all four retries

    release.set()
    execution = wait_for_execution(generation_id)

    assert execution["status"] == "FAILED" and contention.cancelled == 5
    fail_tasks = [e for e in execution_history(generation_id)
                  if e["type"] == "TaskStateEntered"
                  and e["stateEnteredEventDetails"]["name"] == "Fail"]
    assert len(fail_tasks) == 1
    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert state["status"] == "failed"
    assert balance_of("2011") == 1
    assert _entries("2011") == [f"charge#{generation_id}", f"refund#{generation_id}"]


def test_reconcile_under_contention_raises_so_eventbridge_delivers_again(pipeline,
                                                                          monkeypatch,
                                                                          contention):
    token, generation_id, release = _held_in_analyze(pipeline, monkeypatch, "2012")
    event = _event(generation_id, "TIMED_OUT")
    contention.hold(5)

    with pytest.raises(BalanceContention):
        _reconcile(event)  # an error: the asynchronous invoke is retried, then the DLQ
    assert balance_of("2012") == 0

    assert _reconcile(event)["refunded"] is True  # the redelivery
    release.set()
    wait_for_execution(generation_id)
    assert balance_of("2012") == 1
    assert _entries("2012") == [f"charge#{generation_id}", f"refund#{generation_id}"]


def _age(user_id, generation_id, seconds):
    from datetime import datetime, timedelta, timezone

    from photoshoot.models import Generation

    created = datetime.now(timezone.utc) - timedelta(seconds=seconds)
    Generation(user_id, generation_id).update(actions=[
        Generation.created_at.set(created.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))])


def test_a_start_that_fails_refunds_at_once_and_says_so(pipeline, monkeypatch):
    fakes.install(monkeypatch, fakes.QuickProvider())
    token = make_user("2013", balance=1)
    upload_id = upload_photo(pipeline, token)

    def unreachable(user_id, generation_id):
        raise ConnectionError("states.eu-central-1.amazonaws.com unreachable")

    monkeypatch.setattr(workflow, "start", unreachable)
    answer = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "studio_sweep", "format": "1:1"})

    assert answer.status_code == 503
    assert answer.json["error"]["message"] == (
        "Не получилось запустить генерацию. Фотосессия вернулась на баланс. "
        "Попробуйте ещё раз через минуту.")
    [generation] = pipeline.get("/api/generations", token=token).json["items"]
    assert generation["status"] == "failed"
    assert balance_of("2013") == 1
    assert _entries("2013") == [f"charge#{generation['generation_id']}",
                                f"refund#{generation['generation_id']}"]


class _FunctionTimedOut(BaseException):
    """What the Lambda runtime does at the timeout: no except or finally of ours runs."""


def test_a_create_cut_off_between_charge_and_start_is_refunded_when_read(pipeline,
                                                                         monkeypatch):
    from photoshoot.generation import reconcile

    fakes.install(monkeypatch, fakes.QuickProvider())
    token = make_user("2014", balance=1)
    upload_id = upload_photo(pipeline, token)

    def cut_off(user_id, generation_id):
        raise _FunctionTimedOut()

    monkeypatch.setattr(workflow, "start", cut_off)
    with pytest.raises(_FunctionTimedOut):
        pipeline.post("/api/generations", token=token, body={
            "upload_id": upload_id, "style_id": "studio_sweep", "format": "1:1"})
    monkeypatch.undo()
    [queued] = pipeline.get("/api/generations", token=token).json["items"]
    generation_id = queued["generation_id"]
    assert queued["status"] == "queued" and balance_of("2014") == 0  # too fresh to judge

    _age("2014", generation_id, reconcile.NEVER_STARTED_AFTER_S + 5)
    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    history = pipeline.get("/api/generations", token=token).json["items"]
    again = pipeline.get(f"/api/generations/{generation_id}", token=token).json

    assert state["status"] == "failed" and history[0]["status"] == again["status"] == "failed"
    assert state["error"]["message"].startswith("Не получилось запустить генерацию.")
    assert balance_of("2014") == 1
    assert _entries("2014") == [f"charge#{generation_id}", f"refund#{generation_id}"]


def test_an_old_queued_generation_with_an_execution_is_left_to_its_workflow(pipeline,
                                                                             monkeypatch):
    from photoshoot.generation import reconcile
    from photoshoot.models import Generation

    token, generation_id, release = _held_in_analyze(pipeline, monkeypatch, "2015",
                                                     fakes.QuickProvider())
    Generation("2015", generation_id).update(actions=[Generation.status.set("queued")])
    _age("2015", generation_id, reconcile.NEVER_STARTED_AFTER_S + 5)

    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json

    assert state["status"] == "queued" and balance_of("2015") == 0
    release.set()
    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"
    assert _entries("2015") == [f"charge#{generation_id}"]


class _TwoThenHold(fakes.QuickProvider):
    """Renders shots 0 and 1 at once; shots 2 and 3 wait for ``release``."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()
        self.started = 0

    def render(self, cutout, analysis, shot):
        with self._lock:
            self.started += 1
        if shot.index >= 2:
            self.release.wait(30)
        return super().render(cutout, analysis, shot)


def test_a_photoshoot_cancelled_after_some_shots_delivers_none_of_them(pipeline, monkeypatch,
                                                                        pushes):
    """Refunded means nothing delivered: while it runs only thumbnails are handed out, and
    the shots done before the cancel are removed with the refund."""
    from photoshoot.models import Generation

    from photoshoot.generation import steps

    provider = _TwoThenHold()
    fakes.install(monkeypatch, provider)
    stored = []  # each shot's store-and-record step, finished (or stopped)
    image_done = steps._image_done

    def recorded(*args, **kwargs):
        try:
            return image_done(*args, **kwargs)
        finally:
            stored.append(args[1])

    monkeypatch.setattr(steps, "_image_done", recorded)
    token = make_user("2016", balance=1)
    generation_id = _start(pipeline, token)
    deadline = time.monotonic() + 30
    while len(Generation.get("2016", generation_id).images or []) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    running = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert len(running["images"]) == 2
    assert all("url" not in image and image["thumb_url"] for image in running["images"])

    cancelled = pipeline.post(f"/api/generations/{generation_id}/cancel", token=token)
    provider.release.set()
    wait_for_execution(generation_id)

    assert cancelled.status_code == 200
    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert state["status"] == "cancelled" and state["images"] == []
    # the stopped execution starts no more shots, but does not stop those already rendering
    # (one or two, as the Map had got to): each finishes, finds the generation cancelled and
    # removes what it stored — so the results empty out and stay empty
    settings = get_settings()
    s3 = boto3.client("s3", region_name=settings.region)

    def results() -> list[str]:
        listed = s3.list_objects_v2(Bucket=settings.images_bucket,
                                    Prefix=f"results/2016/{generation_id}/")
        return [o["Key"] for o in listed.get("Contents", [])]

    deadline, quiet_since = time.monotonic() + 20, None
    while True:
        settled = len(stored) == provider.started and not results()
        quiet_since = (quiet_since or time.monotonic()) if settled else None
        if quiet_since is not None and time.monotonic() - quiet_since > 0.5:
            break
        assert time.monotonic() < deadline, (stored, provider.started, results())
        time.sleep(0.05)
    assert balance_of("2016") == 1
    assert _entries("2016") == [f"charge#{generation_id}", f"refund#{generation_id}"]
    assert pipeline.get(f"/api/generations/{generation_id}/archive",
                        token=token).status_code == 409


def test_reconcile_for_an_account_removed_mid_run_ends_it_without_failing_again(
        pipeline, monkeypatch):
    """An account removed by hand while its photoshoot runs has no balance to refund to:
    Reconcile must still end the generation and answer, or EventBridge delivers the event
    again and again (and the alarm fires for nothing a person can do)."""
    from photoshoot.models import Generation, User

    token, generation_id, release = _held_in_analyze(pipeline, monkeypatch, "2011")
    User("2011").delete()
    event = _event(generation_id, "TIMED_OUT")

    assert _reconcile(event)["refunded"] is False
    assert _reconcile(event)["refunded"] is False  # a redelivery: calm too
    stored = Generation.get("2011", generation_id, consistent_read=True)
    assert stored.status == "failed" and not stored.images
    release.set()
    assert wait_for_execution(generation_id)["status"] == "FAILED"
    assert _entries("2011") == [f"charge#{generation_id}"]  # nothing written for nobody
