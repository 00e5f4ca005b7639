"""ETAs come from the recent median duration of each step, learned as runs finish."""
from __future__ import annotations

from photoshoot.generation import eta
from tests.unit.generation import fakes
from tests.unit.generation.conftest import make_user, upload_photo, wait_for_execution


def test_eta_uses_the_median_of_the_recent_samples_only(aws):
    eta.clear_cache()
    for seconds in [100.0] * 5 + [2.0, 3.0, 4.0] * 5:  # old outliers roll out of the ring
        eta.record_durations("studio", {"render": seconds})
    assert eta.medians("studio")["render"] == 3.0
    assert eta.medians("studio")["analyze"] == eta.DEFAULT_S["analyze"]  # no history yet
    # 4 images, 2 at a time: two rounds of renders left, then finalize
    assert eta.remaining_seconds("studio", "generate", 0, 4, 2) == 7  # 2 × 3.0 + 0.3 → 7
    assert eta.remaining_seconds("studio", "generate", 3, 4, 2) == 4  # 3.0 + 0.3, rounded up
    assert eta.remaining_seconds("studio", "done", 4, 4, 2) == 0


def test_a_finished_run_teaches_the_eta(pipeline, monkeypatch, pushes):
    fakes.install(monkeypatch, fakes.QuickProvider())
    token = make_user("7001", balance=1)
    answer = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_photo(pipeline, token), "style_id": "wood"})
    generation_id = answer.json["generation_id"]
    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"

    eta.clear_cache()
    learned = eta.medians("studio")
    assert learned["render"] < 0.5  # the quick renders, not the 1.2 s default
    assert learned["prompt"] != eta.DEFAULT_S["prompt"]
    messages = pushes.for_generation(generation_id)
    assert all(m["eta_s"] is None or m["eta_s"] >= 0 for m in messages)
    assert any(m["eta_s"] for m in messages if m["status"] in ("queued", "running"))
