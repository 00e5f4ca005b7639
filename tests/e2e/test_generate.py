"""In a real browser on the local stack: upload a product photo, pick a style, watch the steps
arrive over the WebSocket, see the gallery fill, download the ZIP.

Uses the shared ``page`` (headless Debian Chromium) and ``local_stack`` fixtures of
``tests/e2e/conftest.py``; the session token is put where the SPA keeps it
(``localStorage['photoshoot.token']``), as after a login."""
from __future__ import annotations

import io
import json
import uuid
import zipfile

import boto3
import pytest

pytestmark = pytest.mark.e2e


def _seller(stack, balance: int) -> tuple[str, str]:
    from photoshoot.auth.sessions import issue_token

    user_id = str(500000000 + uuid.uuid4().int % 100000000)
    boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name="eu-central-1",
                 aws_access_key_id="local", aws_secret_access_key="local").put_item(
        TableName=f"{stack.env.get('TABLE_PREFIX', 'photoshoot-')}users", Item={
            "user_id": {"S": user_id}, "telegram_id": {"N": user_id},
            "first_name": {"S": "Анна"}, "balance": {"N": str(balance)},
            "spent": {"N": "0"}, "token_version": {"N": "0"},
            "created_at": {"S": "2026-01-01T00:00:00Z"}})
    return user_id, issue_token(user_id, 0)


def _product_photo(tmp_path) -> str:
    from PIL import Image

    from photoshoot.providers.studio.specimens import make_specimen

    path = tmp_path / "bottle.jpg"
    Image.fromarray(make_specimen("bottle", "plain", seed=4, size=(720, 960)).image).save(
        path, "JPEG", quality=90)
    return str(path)


def upload_until_cutout_shown(page, photo_path: str) -> None:
    """Pick the product photo on /generate and wait until it is checked and the studio's
    cut-out (shown before paying) has really loaded."""
    page.get_by_test_id("upload-input").set_input_files(photo_path)
    page.get_by_test_id("upload-ready").wait_for(timeout=30_000)
    cutout = page.get_by_test_id("upload-cutout").locator("img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=cutout.element_handle())


def test_seller_generates_a_photoshoot_and_downloads_the_zip(local_stack, page, tmp_path):
    stack = local_stack
    _, token = _seller(stack, balance=1)
    page.add_init_script(f"localStorage.setItem('photoshoot.token', {json.dumps(token)})")
    statuses: list[dict] = []

    def on_socket(socket):
        def on_frame(payload):
            try:
                message = json.loads(payload)
            except (TypeError, ValueError):
                return
            if isinstance(message, dict) and message.get("type") == "generation.status":
                statuses.append(message)
        socket.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    page.goto("/generate")

    upload_until_cutout_shown(page, _product_photo(tmp_path))
    page.get_by_test_id("style-option-marble").click()
    page.get_by_test_id("generate-button").click()

    page.wait_for_url("**/generations/**", timeout=30_000)
    page.get_by_test_id("generation-view").wait_for()
    # the live view opens at its top, not at the scroll position of the long form before
    assert page.evaluate("window.scrollY") == 0
    page.locator('[data-testid="generation-view"][data-status="succeeded"]').wait_for(
        timeout=120_000)
    gallery = page.get_by_test_id("gallery")
    gallery.wait_for()
    assert gallery.get_attribute("data-count") == "4"
    for index in range(4):
        assert page.get_by_test_id(f"gallery-image-{index}").is_visible()

    steps = [m["step"] for m in statuses]
    assert len(set(steps) & {"upload", "analyze", "prompt", "generate", "done"}) >= 3, steps
    assert statuses[-1]["status"] == "succeeded"
    assert sorted(m["images"][0]["index"] for m in statuses
                  if m["step"] == "generate" and len(m["images"]) == 1) == [0, 1, 2, 3]

    with page.expect_download(timeout=30_000) as download:
        page.get_by_test_id("download-all").click()
    data = open(download.value.path(), "rb").read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
    assert names == ["photo-1.jpg", "photo-2.jpg", "photo-3.jpg", "photo-4.jpg"]
    assert download.value.suggested_filename.endswith(".zip")
