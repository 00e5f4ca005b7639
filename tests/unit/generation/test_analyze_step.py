"""The Analyze step: its "analysing" status travels while the renderer works, a cancellation
that status write sees still stops the step, and the work cut-out it hands to the Render
steps keeps every pixel and the transparency."""
from __future__ import annotations

import io
import threading

import numpy as np
from PIL import Image

from photoshoot.billing import balance_of, ledger_of
from photoshoot.generation import steps
from photoshoot.generation.records import get_generation
from tests.unit.generation import fakes
from tests.unit.generation.conftest import make_user, upload_photo, wait_for_execution


def _start(pipeline, token) -> str:
    answer = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_photo(pipeline, token), "style_id": "marble", "format": "1:1"})
    assert answer.status_code == 202, answer.json
    return answer.json["generation_id"]


def test_the_renderer_starts_while_the_analysing_status_is_on_its_way(pipeline, monkeypatch,
                                                                      pushes):
    provider = fakes.ScriptedProvider()
    provider.entered["analyze"] = analyzing = threading.Event()
    fakes.install(monkeypatch, provider)
    seen_while_announcing: list[bool] = []
    real_publish = steps.publish_status

    def slow_publish(generation, **kwargs):
        if generation.step == "analyze":  # a slow push: the renderer must not wait for it
            seen_while_announcing.append(analyzing.wait(10))
        return real_publish(generation, **kwargs)

    monkeypatch.setattr(steps, "publish_status", slow_publish)
    token = make_user("7101", balance=1)

    generation_id = _start(pipeline, token)

    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"
    assert seen_while_announcing == [True]
    sent = [m["step"] for m in pushes.for_generation(generation_id)]
    assert sent.index("analyze") < sent.index("prompt") < sent.index("generate")


def test_a_cancel_seen_by_the_analysing_status_stops_analyze_before_its_result(
        pipeline, monkeypatch, pushes):
    fakes.install(monkeypatch, fakes.ScriptedProvider())
    token = make_user("7102", balance=1)
    real_advance = steps._advance
    stopped: list[str] = []

    def cancelled_first(generation, step, *args, **kwargs):
        if step == "analyze":  # the seller cancels between the step's read and its write
            answer = pipeline.post(f"/api/generations/{generation.generation_id}/cancel",
                                   token=token)
            assert answer.status_code == 200, answer.json
        try:
            return real_advance(generation, step, *args, **kwargs)
        except steps.GenerationStopped:
            stopped.append(step)
            raise

    monkeypatch.setattr(steps, "_advance", cancelled_first)

    generation_id = _start(pipeline, token)

    assert wait_for_execution(generation_id)["status"] in ("ABORTED", "FAILED")
    assert stopped == ["analyze"]
    generation = get_generation("7102", generation_id, consistent=True)
    assert generation.status == "cancelled" and not generation.analysis
    assert not generation.cutout_key
    assert "prompt" not in [m["step"] for m in pushes.for_generation(generation_id)]
    assert balance_of("7102") == 1
    assert sorted(e.entry_id for e in ledger_of("7102")) == [f"charge#{generation_id}",
                                                             f"refund#{generation_id}"]


def test_the_work_cutout_round_trips_every_pixel_and_its_transparency():
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, size=(97, 61, 4), dtype=np.uint8)
    pixels[:20, :, 3] = 0  # a transparent band, as around a cut-out product
    cutout = Image.fromarray(pixels, "RGBA")

    decoded = Image.open(io.BytesIO(steps.work_cutout_bytes(cutout)))

    assert decoded.format == "TIFF" and decoded.mode == "RGBA"
    assert np.array_equal(np.asarray(decoded), pixels)
