"""The generations API: charging under concurrency, ownership, limits, history, results."""
from __future__ import annotations

import io
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from photoshoot.billing import balance_of, ledger_of
from photoshoot.errors import InsufficientBalance, RateLimited
from photoshoot.models import Generation
from photoshoot.settings import get_settings, reset_settings_cache
from tests.unit.generation import fakes
from tests.unit.generation.conftest import make_user, upload_photo, wait_for_execution


@pytest.fixture
def quick(monkeypatch):
    provider = fakes.QuickProvider()
    fakes.install(monkeypatch, provider)
    return provider


def _create(api, token, upload_id, **extra):
    return api.post("/api/generations", token=token, body={
        "upload_id": upload_id, "style_id": "wood", "format": "1:1", **extra})


def test_twenty_concurrent_creates_on_a_balance_of_three_accept_exactly_three(
        pipeline, quick, monkeypatch):
    from photoshoot.generation.create import create_generation

    monkeypatch.setenv("GENERATION_RATE_PER_MINUTE", "100")  # this test is about money
    reset_settings_cache()
    token = make_user("4001", balance=3)
    upload_id = upload_photo(pipeline, token)
    # the page asks for style suggestions first, which validates the photo once
    assert pipeline.get(f"/api/uploads/{upload_id}/suggestions", token=token).status_code == 200

    def create(_):
        try:
            return create_generation("4001", {"upload_id": upload_id, "style_id": "wood",
                                              "format": "1:1"})["generation_id"]
        except InsufficientBalance as error:
            assert error.details == {"packages_url": "/packages"}
            return "402"

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(create, range(20)))

    accepted = [r for r in results if r != "402"]
    assert len(accepted) == 3 and results.count("402") == 17
    assert balance_of("4001") == 0
    entries = ledger_of("4001")
    assert sorted(e.entry_id for e in entries) == sorted(f"charge#{g}" for g in accepted)
    assert sum(e.delta for e in entries) == -3
    assert sorted(g.generation_id for g in Generation.query("4001")) == sorted(accepted)
    for generation_id in accepted:
        assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"


def test_empty_balance_is_402_with_a_link_to_packages(pipeline, quick):
    token = make_user("4002", balance=0)
    upload_id = upload_photo(pipeline, token)

    answer = _create(pipeline, token, upload_id)

    assert answer.status_code == 402
    assert answer.json["error"]["code"] == "insufficient_balance"
    assert answer.json["error"]["details"]["packages_url"] == "/packages"
    assert list(Generation.query("4002")) == []


def test_reading_one_generation_is_a_consistent_read(pipeline, quick, monkeypatch):
    """Read right after the create and while polling: an eventually consistent read may
    miss the new item (a 404 for a running photoshoot) or move its progress back."""
    token = make_user("4003", balance=1)
    generation_id = _create(pipeline, token, upload_photo(pipeline, token)).json["generation_id"]
    wait_for_execution(generation_id)  # the steps' own reads are not this test's
    reads = []
    real_get = Generation.get.__func__

    def spy(cls, *args, **kwargs):
        reads.append(kwargs.get("consistent_read"))
        return real_get(cls, *args, **kwargs)

    monkeypatch.setattr(Generation, "get", classmethod(spy))
    answer = pipeline.get(f"/api/generations/{generation_id}", token=token)

    assert answer.status_code == 200 and answer.json["generation_id"] == generation_id
    assert reads == [True]


def test_eleventh_generation_in_a_minute_is_rate_limited(pipeline, quick, monkeypatch):
    from photoshoot.generation import create

    token = make_user("4003", balance=0)
    upload_id = upload_photo(pipeline, token)
    statuses = [_create(pipeline, token, upload_id).status_code for _ in range(11)]

    assert statuses == [402] * 10 + [429]  # the limit counts attempts, paid or not
    with pytest.raises(RateLimited):
        create.create_generation("4003", {"upload_id": upload_id, "style_id": "wood"})


def test_another_users_generation_upload_and_images_are_404(pipeline, quick):
    owner = make_user("4004", balance=1)
    stranger = make_user("4005", balance=1)
    upload_id = upload_photo(pipeline, owner)
    generation_id = _create(pipeline, owner, upload_id).json["generation_id"]
    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"

    for method, path in [("GET", f"/api/generations/{generation_id}"),
                         ("POST", f"/api/generations/{generation_id}/cancel"),
                         ("GET", f"/api/generations/{generation_id}/archive"),
                         ("DELETE", f"/api/generations/{generation_id}"),
                         ("GET", f"/api/uploads/{upload_id}/suggestions")]:
        answer = pipeline.request(method, path, token=stranger)
        assert answer.status_code == 404, (method, path, answer.json)
    # the stranger cannot generate from the owner's upload either, and pays nothing
    assert _create(pipeline, stranger, upload_id).status_code == 404
    assert balance_of("4005") == 1
    assert pipeline.get("/api/generations", token=stranger).json["items"] == []
    # the owner still has everything
    state = pipeline.get(f"/api/generations/{generation_id}", token=owner).json
    assert len(state["images"]) == 4
    assert all(f"results/4004/{generation_id}/" in i["url"] for i in state["images"])
    # the link to save a photo makes the browser save it, under a readable name
    first = state["images"][0]["download_url"]
    assert "response-content-disposition=attachment" in first
    assert f"photoshoot-{generation_id[:8].lower()}-1.jpg" in first
    assert "response-content-disposition" not in state["images"][0]["url"]


def test_archive_is_a_zip_of_every_image(pipeline, quick):
    token = make_user("4006", balance=1)
    generation_id = _create(pipeline, token, upload_photo(pipeline, token)).json[
        "generation_id"]
    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"

    answer = pipeline.get(f"/api/generations/{generation_id}/archive", token=token)

    assert answer.status_code == 200, answer.json
    assert "archive.zip" in answer.json["url"] and "X-Amz-Signature" in answer.json["url"]
    settings = get_settings()
    data = boto3.client("s3", region_name=settings.region).get_object(
        Bucket=settings.images_bucket, Key=f"results/4006/{generation_id}/archive.zip")[
        "Body"].read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == [f"photo-{i}.jpg" for i in range(1, 5)]
        assert archive.read("photo-1.jpg")[:3] == b"\xff\xd8\xff"


def test_delete_removes_the_item_and_its_objects(pipeline, quick):
    token = make_user("4007", balance=1)
    generation_id = _create(pipeline, token, upload_photo(pipeline, token)).json[
        "generation_id"]
    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"
    pipeline.get(f"/api/generations/{generation_id}/archive", token=token)

    answer = pipeline.delete(f"/api/generations/{generation_id}", token=token)

    assert answer.status_code == 200
    assert pipeline.get(f"/api/generations/{generation_id}", token=token).status_code == 404
    settings = get_settings()
    listed = boto3.client("s3", region_name=settings.region).list_objects_v2(
        Bucket=settings.images_bucket, Prefix=f"results/4007/{generation_id}/")
    assert listed.get("KeyCount", 0) == 0
    assert balance_of("4007") == 0  # a finished photoshoot is not refunded by deleting it


def test_deleting_while_shots_render_leaves_no_objects_behind(pipeline, quick, monkeypatch):
    """The shots rendering when the seller deletes finish after the prefix was emptied:
    they must not store images nobody can see or remove."""
    import time

    from photoshoot.generation import steps

    finished = []  # shots whose store-and-record step has ended (stored, or stopped)
    image_done = steps._image_done

    def recorded(*args, **kwargs):
        try:
            return image_done(*args, **kwargs)
        finally:
            finished.append(args[1])

    monkeypatch.setattr(steps, "_image_done", recorded)
    token = make_user("4010", balance=1)
    quick.hold["render"] = release = threading.Event()
    quick.entered["render"] = rendering = threading.Event()
    generation_id = _create(pipeline, token, upload_photo(pipeline, token)).json[
        "generation_id"]
    assert rendering.wait(30)

    assert pipeline.delete(f"/api/generations/{generation_id}", token=token).status_code == 200
    release.set()
    wait_for_execution(generation_id)
    # The aborted execution starts no more shots but does not stop those rendering (one or
    # two): the results are looked at once every one of them has stored and cleaned up.
    deadline = time.monotonic() + 20
    while len(finished) < quick.calls.get("render", 0):
        assert time.monotonic() < deadline, (finished, quick.calls)
        time.sleep(0.05)

    settings = get_settings()
    listed = boto3.client("s3", region_name=settings.region).list_objects_v2(
        Bucket=settings.images_bucket, Prefix=f"results/4010/{generation_id}/")
    assert [o["Key"] for o in listed.get("Contents", [])] == []
    assert balance_of("4010") == 1  # the running photoshoot was refunded, once
    assert [e.entry_id for e in ledger_of("4010")] == [f"charge#{generation_id}",
                                                      f"refund#{generation_id}"]


def test_cancel_after_another_tab_deleted_the_generation_is_404(pipeline, quick,
                                                                 monkeypatch):
    from photoshoot.generation import cancel

    token = make_user("4011", balance=1)
    quick.hold["analyze"] = release = threading.Event()
    generation_id = _create(pipeline, token, upload_photo(pipeline, token)).json[
        "generation_id"]
    real_refund = cancel.refund_generation

    def refund_then_the_other_tab_deletes(user_id, generation_id, *args, **kwargs):
        refunded = real_refund(user_id, generation_id, *args, **kwargs)
        Generation.get(user_id, generation_id).delete()
        return refunded

    monkeypatch.setattr(cancel, "refund_generation", refund_then_the_other_tab_deletes)
    answer = pipeline.post(f"/api/generations/{generation_id}/cancel", token=token)
    release.set()

    assert answer.status_code == 404
    assert answer.json["error"]["message"] == "Такой генерации нет. Возможно, она удалена."
    assert balance_of("4011") == 1
    wait_for_execution(generation_id)
    assert balance_of("4011") == 1


def test_history_is_newest_first_with_filters_and_cursor_paging(pipeline):
    from datetime import datetime, timedelta, timezone

    from ulid import ULID

    make_user("4008", balance=0)
    now = datetime.now(timezone.utc)
    made = []
    for days_ago, style, status in [(10, "wood", "succeeded"), (5, "marble", "failed"),
                                    (3, "wood", "succeeded"), (2, "wood", "cancelled"),
                                    (1, "marble", "succeeded"), (0, "wood", "succeeded")]:
        moment = now - timedelta(days=days_ago)
        generation_id = str(ULID.from_datetime(moment))
        Generation("4008", generation_id, style_id=style, status=status, step="done",
                   created_at=moment.isoformat(), images=[]).save()
        made.append((generation_id, style, status, moment))
    token = make_user("4009")  # a second user with nothing
    from photoshoot.auth.sessions import issue_token
    owner = issue_token("4008", 0)

    page1 = pipeline.get("/api/generations?limit=4", token=owner).json
    page2 = pipeline.get(f"/api/generations?limit=4&cursor={page1['next_cursor']}",
                         token=owner).json
    newest_first = [g[0] for g in sorted(made, key=lambda g: g[3], reverse=True)]
    assert [i["generation_id"] for i in page1["items"]] == newest_first[:4]
    assert [i["generation_id"] for i in page2["items"]] == newest_first[4:]
    assert page2["next_cursor"] is None

    wood_done = pipeline.get("/api/generations?style=wood&status=succeeded",
                             token=owner).json["items"]
    assert [i["generation_id"] for i in wood_done] == [
        g[0] for g in sorted(made, key=lambda g: g[3], reverse=True)
        if g[1] == "wood" and g[2] == "succeeded"]
    # several statuses at once, as the SPA's «Создаются» (queued,running) asks
    not_done = pipeline.get("/api/generations?status=failed,cancelled", token=owner).json
    assert {i["generation_id"] for i in not_done["items"]} == {
        g[0] for g in made if g[2] in ("failed", "cancelled")}

    since = (now - timedelta(days=4)).date().isoformat()
    until = (now - timedelta(days=1)).date().isoformat()
    ranged = pipeline.get(f"/api/generations?from={since}&to={until}", token=owner).json
    assert {i["generation_id"] for i in ranged["items"]} == {
        g[0] for g in made if since <= g[3].date().isoformat() <= until}

    assert pipeline.get("/api/generations", token=token).json == {"items": [],
                                                                 "next_cursor": None}
    assert pipeline.get("/api/generations?from=yesterday", token=owner).status_code == 400


def test_history_refuses_odd_filters_with_a_reason_and_never_fails(pipeline):
    owner = make_user("4012", balance=0)

    # a status list that names nothing filters nothing (it used to be an empty IN: 500)
    for empty in (",", " , ", ",,"):
        answer = pipeline.get(f"/api/generations?status={empty}", token=owner)
        assert answer.status_code == 200 and answer.json["items"] == [], empty
    backwards = pipeline.get("/api/generations?from=2026-05-02&to=2026-05-01", token=owner)
    assert backwards.status_code == 400
    assert backwards.json["error"]["message"] == (
        "Начальная дата позже конечной: поменяйте их местами.")
    wordy = pipeline.get("/api/generations?limit=ten", token=owner)
    assert wordy.status_code == 400 and "limit" not in wordy.json["error"]["message"]
    assert pipeline.get("/api/generations?status=done", token=owner).status_code == 400


def test_subscribe_answers_the_current_state_at_once(pipeline, quick):
    from photoshoot.errors import NotFound
    from photoshoot.generation.status import status_message

    token = make_user("4010", balance=1)
    generation_id = _create(pipeline, token, upload_photo(pipeline, token)).json[
        "generation_id"]
    assert wait_for_execution(generation_id)["status"] == "SUCCEEDED"

    message = status_message("4010", generation_id)

    assert message["type"] == "generation.status"
    assert message["status"] == "succeeded" and message["progress"] == 100
    assert len(message["images"]) == 4
    with pytest.raises(NotFound):
        status_message("4011", generation_id)
