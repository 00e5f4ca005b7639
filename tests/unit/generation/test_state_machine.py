"""The ``generation`` state machine from infra/ runs locally: Task states execute our Python
handlers, Catch routes a raised named error, and the async-provider branch polls."""
from __future__ import annotations

from photoshoot.billing import balance_of
from photoshoot.errors import LowMaskQuality
from tests.unit.generation import fakes
from tests.unit.generation.conftest import (execution_history, make_user, upload_photo,
                                            wait_for_execution)


def _start(api, token):
    answer = api.post("/api/generations", token=token, body={
        "upload_id": upload_photo(api, token), "custom_prompt": "розовый фон и цветы",
        "format": "4:5"})
    assert answer.status_code == 202, answer.json
    return answer.json["generation_id"]


def _entered(history):
    return [e["stateEnteredEventDetails"]["name"] for e in history
            if e["type"].endswith("StateEntered")]


def test_task_states_run_our_handlers_to_succeeded(pipeline, monkeypatch):
    provider = fakes.QuickProvider()
    fakes.install(monkeypatch, provider)
    token = make_user("5001", balance=1)

    generation_id = _start(pipeline, token)
    execution = wait_for_execution(generation_id)

    assert execution["status"] == "SUCCEEDED"
    history = execution_history(generation_id)
    entered = _entered(history)
    assert entered[:3] == ["Analyze", "BuildPrompt", "RenderShots"]
    assert entered.count("Render") == 4 and entered[-1] == "Finalize"
    assert "Fail" not in entered and "StartRender" not in entered
    succeeded = [e for e in history if e["type"] == "LambdaFunctionSucceeded"]
    assert len(succeeded) == 1 + 1 + 4 + 1
    assert provider.calls == {"analyze": 1, "build_prompt": 1, "render": 4}


def test_catch_routes_a_named_error_to_fail_without_retrying_it(pipeline, monkeypatch):
    provider = fakes.QuickProvider()
    provider.fail["analyze"] = LowMaskQuality
    fakes.install(monkeypatch, provider)
    token = make_user("5002", balance=1)

    generation_id = _start(pipeline, token)
    execution = wait_for_execution(generation_id)

    assert execution["status"] == "FAILED"
    history = execution_history(generation_id)
    assert _entered(history) == ["Analyze", "Fail", "GenerationFailed"]
    failed = [e for e in history if e["type"] == "LambdaFunctionFailed"]
    assert failed[0]["lambdaFunctionFailedEventDetails"]["error"] == "LowMaskQuality"
    assert provider.calls["analyze"] == 1  # not a transient error: no retry
    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert state["status"] == "failed" and state["error"]["code"] == "low_mask_quality"
    assert "однотонном фоне" in state["error"]["message"]
    assert balance_of("5002") == 1


def test_async_provider_is_polled_with_wait_and_choice(pipeline, monkeypatch):
    provider = fakes.AsyncQuickProvider(polls_needed=3)
    fakes.install(monkeypatch, provider)
    token = make_user("5003", balance=1)

    generation_id = _start(pipeline, token)
    execution = wait_for_execution(generation_id)

    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    entered = _entered(execution_history(generation_id))
    assert entered.count("StartRender") == 4 and "Render" not in entered
    assert entered.count("PollRender") == 12 and entered.count("WaitForRender") == 12
    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert [i["index"] for i in state["images"]] == [0, 1, 2, 3]
    assert (state["images"][0]["width"], state["images"][0]["height"]) == (1080, 1350)


def test_analyze_reuses_the_analysis_made_for_style_suggestions(pipeline, monkeypatch):
    provider = fakes.QuickProvider()
    fakes.install(monkeypatch, provider)
    token = make_user("5004", balance=1)
    upload_id = upload_photo(pipeline, token)
    suggested = pipeline.get(f"/api/uploads/{upload_id}/suggestions", token=token)
    assert suggested.status_code == 200
    assert provider.calls == {"analyze": 1}
    # the seller sees the cut-out before paying: a short-lived link to their own object
    cutout_url = suggested.json["cutout_url"]
    assert f"uploads/5004/{upload_id}.cutout.png" in cutout_url and "Signature" in cutout_url
    photo_url = suggested.json["photo_url"]
    assert f"uploads/5004/{upload_id}?" in photo_url and "Signature" in photo_url
    again = pipeline.get(f"/api/uploads/{upload_id}/suggestions", token=token).json
    assert provider.calls == {"analyze": 1} and f"{upload_id}.cutout.png" in again["cutout_url"]

    answer = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "wood"})
    generation_id = answer.json["generation_id"]

    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"
    assert provider.calls["analyze"] == 1  # the photo was not cut out twice
    from photoshoot.models import Generation
    generation = Generation.get("5004", generation_id)
    assert generation.cutout_key == f"uploads/5004/{upload_id}.cutout.png"
    assert generation.timings.as_dict()["analyze_reused"] == 1
