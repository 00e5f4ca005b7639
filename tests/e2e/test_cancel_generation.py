"""In a real browser on a phone-sized screen: «Отменить» on a running photoshoot asks first.
Tapping it, then «Не отменять» or Esc, sends nothing and the run goes on; confirming cancels
it and the photoshoot is back on the balance; a run that ends while the question is open
takes the question away. Deleting a running photoshoot from the history asks in the page too
(never the browser's own dialog), says that it stops and comes back to the balance, and does.

A local run takes under a second, too short to tap anything, so this module runs a stack of
its own whose provider is an asynchronous one (Stability's API shape) served by a fake in
this process: every job stays "in progress" (HTTP 202) until a test makes it refuse.
"""
from __future__ import annotations

import io
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest
import requests

from infra.local import launcher
from tests.integration.conftest import start_local_stack

pytestmark = pytest.mark.e2e

EDIT_PATH = "/v2beta/stable-image/edit/replace-background-and-relight"
RESULT_PATH = "/v2beta/results/"


class HeldRenderer(ThreadingHTTPServer):
    """Accepts every render job and keeps it running; ``refuse`` makes the next polls fail."""

    daemon_threads = True
    refuse = False
    jobs = 0


class _Handler(BaseHTTPRequestHandler):
    server: HeldRenderer

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != EDIT_PATH:
            self._answer(404, {"errors": ["unknown path"]})
            return
        self.server.jobs += 1
        self._answer(200, {"id": f"job-{self.server.jobs}"})

    def do_GET(self):  # noqa: N802
        if not self.path.startswith(RESULT_PATH):
            self._answer(404, {"errors": ["unknown path"]})
        elif self.server.refuse:
            self._answer(400, {"name": "bad_request", "errors": ["refused by the test"]})
        else:
            self._answer(202, {"id": self.path[len(RESULT_PATH):], "status": "in-progress"})

    def log_message(self, *args):  # the stack's polls would flood the test output
        pass


@pytest.fixture(scope="module")
def renderer():
    server = HeldRenderer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def held_stack(renderer):
    # time scale 0.1: a poll every 0.3 s, so the 120 polls allowed per image outlast the test
    stack = start_local_stack({
        "GENERATION_PROVIDER": "stability",
        "STABILITY_API_BASE": f"http://127.0.0.1:{renderer.server_address[1]}",
        "STABILITY_API_KEY": "local-test-key",
        "LOCAL_SFN_TIME_SCALE": "0.1",
    })
    yield stack
    launcher.stop(stack)
    stack.log_path.unlink(missing_ok=True)


@pytest.fixture
def phone(browser, held_stack, renderer):
    renderer.refuse = False
    context = browser.new_context(base_url=held_stack.base_url, locale="ru-RU",
                                  viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


class Seller:
    """A seller with one photoshoot, seen through HTTP and the users table."""

    def __init__(self, stack):
        from photoshoot.auth.sessions import issue_token

        self.stack = stack
        self.user_id = str(600000000 + uuid.uuid4().int % 100000000)
        self.table = f"{stack.env.get('TABLE_PREFIX', 'photoshoot-')}users"
        self.dynamodb = boto3.client("dynamodb", endpoint_url=stack.moto_url,
                                     region_name="eu-central-1", aws_access_key_id="local",
                                     aws_secret_access_key="local")
        self.dynamodb.put_item(TableName=self.table, Item={
            "user_id": {"S": self.user_id}, "telegram_id": {"N": self.user_id},
            "first_name": {"S": "Анна"}, "balance": {"N": "1"}, "spent": {"N": "0"},
            "token_version": {"N": "0"}, "created_at": {"S": "2026-01-01T00:00:00Z"}})
        self.token = issue_token(self.user_id, 0)

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.stack.base_url}{path}", timeout=30,
                                headers={"Authorization": f"Bearer {self.token}"}, **kwargs)

    def start_photoshoot(self) -> str:
        from PIL import Image

        from photoshoot.providers.studio.specimens import make_specimen

        buffer = io.BytesIO()
        Image.fromarray(make_specimen("jar", "plain", seed=2, size=(600, 800)).image).save(
            buffer, "JPEG", quality=90)
        data = buffer.getvalue()
        presigned = self.api("POST", "/api/uploads",
                             json={"content_type": "image/jpeg", "size": len(data)}).json()
        stored = requests.post(presigned["url"], data=presigned["fields"], timeout=30,
                               files={"file": ("photo.jpg", data, "image/jpeg")})
        assert stored.status_code in (200, 201, 204), stored.text
        created = self.api("POST", "/api/generations", json={
            "upload_id": presigned["upload_id"], "style_id": "marble", "format": "1:1"})
        assert created.status_code == 202, created.text
        return created.json()["generation_id"]

    def status(self, generation_id: str) -> str:
        return self.api("GET", f"/api/generations/{generation_id}").json()["status"]

    def balance(self) -> int:
        item = self.dynamodb.get_item(TableName=self.table, ConsistentRead=True,
                                      Key={"user_id": {"S": self.user_id}})["Item"]
        return int(item["balance"]["N"])


def _watch_rendering(page, seller: Seller) -> tuple[str, list[str]]:
    """Opens the seller's new photoshoot once it is rendering; returns its id and the cancel
    requests the page will send."""
    generation_id = seller.start_photoshoot()
    cancels: list[str] = []
    page.on("request", lambda r: cancels.append(r.url)
            if r.method == "POST" and r.url.endswith("/cancel") else None)
    page.add_init_script(f"localStorage.setItem('photoshoot.token', {json.dumps(seller.token)})")
    page.goto(f"/generations/{generation_id}")
    page.locator('[data-testid="generation-steps"][data-step="generate"]').wait_for(
        timeout=60_000)
    return generation_id, cancels


def test_cancel_asks_first_and_only_the_confirmation_cancels(held_stack, phone):
    seller = Seller(held_stack)
    generation_id, cancels = _watch_rendering(phone, seller)
    dialog = phone.get_by_test_id("cancel-generation-dialog")

    phone.get_by_test_id("generation-cancel").tap()
    dialog.wait_for()
    assert dialog.get_by_role("heading").inner_text() == "Отменить фотосессию?"
    assert "Фотосессия вернётся на баланс" in dialog.inner_text()
    # the safe answer has the focus: Enter after a stray tap keeps the run going
    assert phone.evaluate("document.activeElement.dataset.testid") == "cancel-generation-keep"
    phone.get_by_test_id("cancel-generation-keep").tap()
    dialog.wait_for(state="detached")

    phone.get_by_test_id("generation-cancel").tap()
    dialog.wait_for()
    phone.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert cancels == []
    assert seller.status(generation_id) == "running"
    assert seller.balance() == 0

    phone.get_by_test_id("generation-cancel").tap()
    phone.get_by_test_id("cancel-generation-confirm").tap()
    phone.locator('[data-testid="generation-view"][data-status="cancelled"]').wait_for()
    assert "вернулась на баланс" in phone.get_by_test_id("generation-cancelled").inner_text()
    assert not dialog.is_visible()
    assert len(cancels) == 1
    assert seller.status(generation_id) == "cancelled"
    assert seller.balance() == 1


def test_a_run_that_ends_while_asked_takes_the_question_away(held_stack, renderer, phone):
    seller = Seller(held_stack)
    generation_id, cancels = _watch_rendering(phone, seller)
    dialog = phone.get_by_test_id("cancel-generation-dialog")

    phone.get_by_test_id("generation-cancel").tap()
    dialog.wait_for()
    renderer.refuse = True  # the renderer gives up: the run fails (and is refunded) by itself
    phone.locator('[data-testid="generation-view"][data-status="failed"]').wait_for(
        timeout=30_000)
    dialog.wait_for(state="detached")
    assert cancels == []
    deadline = time.monotonic() + 10
    while seller.balance() != 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert seller.balance() == 1
    assert seller.status(generation_id) == "failed"


def test_deleting_a_running_photoshoot_asks_in_the_page_and_refunds_it(held_stack, phone):
    seller = Seller(held_stack)
    generation_id = seller.start_photoshoot()
    deadline = time.monotonic() + 60
    while seller.status(generation_id) != "running" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert seller.status(generation_id) == "running"
    deletes: list[str] = []
    browser_dialogs: list[str] = []
    phone.on("request", lambda r: deletes.append(r.url) if r.method == "DELETE" else None)
    # window.confirm is unreliable in Telegram's WebView: the question must be the page's own
    phone.on("dialog", lambda d: (browser_dialogs.append(d.message), d.dismiss()))
    phone.add_init_script(f"localStorage.setItem('photoshoot.token', {json.dumps(seller.token)})")
    phone.goto("/profile")
    row = phone.get_by_test_id(f"history-item-{generation_id}")
    dialog = phone.get_by_test_id("delete-generation-dialog")

    phone.get_by_test_id(f"history-delete-{generation_id}").tap()
    dialog.wait_for()
    assert dialog.get_by_role("heading").inner_text() == "Удалить фотосессию?"
    assert "фотосессия вернётся на баланс" in dialog.inner_text()
    assert phone.evaluate("document.activeElement.dataset.testid") == "delete-generation-keep"
    phone.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert deletes == []
    assert seller.status(generation_id) == "running"

    phone.get_by_test_id(f"history-delete-{generation_id}").tap()
    phone.get_by_test_id("delete-generation-confirm").tap()
    row.wait_for(state="detached")
    assert not dialog.is_visible()
    assert len(deletes) == 1
    assert browser_dialogs == []
    assert seller.api("GET", f"/api/generations/{generation_id}").status_code == 404
    assert seller.balance() == 1
