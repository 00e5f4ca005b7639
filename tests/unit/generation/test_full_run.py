"""The real state machine runs a photoshoot end to end with the studio renderer."""
from __future__ import annotations

import io

import boto3
from PIL import Image

from photoshoot.analytics import counters
from photoshoot.billing import balance_of, ledger_of
from photoshoot.models import StatCounter
from photoshoot.settings import get_settings
from tests.unit.generation.conftest import make_user, upload_photo, wait_for_execution


def test_generation_runs_to_succeeded_with_real_images(pipeline, pushes):
    token = make_user("1001", balance=2)
    upload_id = upload_photo(pipeline, token)

    created = pipeline.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "marble", "format": "3:4"})
    assert created.status_code == 202, created.json
    generation_id = created.json["generation_id"]
    assert created.json["status"] == "queued"

    execution = wait_for_execution(generation_id)
    assert execution["status"] == "SUCCEEDED", execution.get("cause")

    state = pipeline.get(f"/api/generations/{generation_id}", token=token).json
    assert state["status"] == "succeeded" and state["step"] == "done"
    assert state["progress"] == 100
    assert state["style_id"] == "marble" and state["format"] == "3:4"
    assert [image["index"] for image in state["images"]] == [0, 1, 2, 3]
    s3 = boto3.client("s3", region_name=get_settings().region)
    bucket = get_settings().images_bucket
    for image in state["images"]:
        assert (image["width"], image["height"]) == (900, 1200)
        key = f"results/1001/{generation_id}/{image['index']}.jpg"
        stored = Image.open(io.BytesIO(s3.get_object(Bucket=bucket, Key=key)["Body"].read()))
        assert stored.size == (900, 1200) and stored.format == "JPEG"
        thumb = s3.get_object(Bucket=bucket, Key=f"results/1001/{generation_id}/"
                                                 f"{image['index']}_thumb.jpg")
        assert Image.open(io.BytesIO(thumb["Body"].read())).size[1] <= 480
        assert key in image["url"] and "X-Amz-Signature" in image["url"]

    # charged exactly once, never refunded
    assert balance_of("1001") == 1
    assert [e.entry_id for e in ledger_of("1001")] == [f"charge#{generation_id}"]

    # live status: the steps in order, each image pushed as soon as it was done
    messages = pushes.for_generation(generation_id)
    steps = [m["step"] for m in messages]
    assert steps[0] == "upload"
    assert {"analyze", "prompt", "generate", "done"} <= set(steps)
    assert steps.index("analyze") < steps.index("prompt") < steps.index("generate")
    image_pushes = [m for m in messages if m["step"] == "generate" and m["images"]]
    assert sorted(m["images"][0]["index"] for m in image_pushes) == [0, 1, 2, 3]
    # while it runs the gallery fills with thumbnails; the photos come with the success
    assert all(set(m["images"][0]) == {"index", "thumb_url", "width", "height"}
               for m in image_pushes)
    assert all(image["url"] and image["download_url"] for image in messages[-1]["images"])
    progress = [m["progress"] for m in messages]
    assert progress == sorted(progress) and progress[-1] == 100
    assert messages[-1]["status"] == "succeeded" and len(messages[-1]["images"]) == 4
    assert all(m["message"] for m in messages)

    # the admin funnel counted the start and the completion once each
    day = counters.today()
    for metric in ("generation_start", "generation_complete"):
        assert StatCounter.get(day, f"direct#{metric}").value == 1
