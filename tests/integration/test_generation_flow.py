"""A photoshoot over real HTTP and WebSocket on the local stack: presigned POST to the moto
server, the real ASL executed by moto with our step handlers, live statuses over the local
WebSocket gateway, presigned result URLs, the ZIP — and the refund paths."""
from __future__ import annotations

import io
import json
import time
import uuid
import zipfile

import boto3
import pytest
import requests
from PIL import Image
from websockets.sync.client import connect

pytestmark = pytest.mark.integration


class Seller:
    """A user of the local stack, seen only through HTTP, WebSocket and boto3."""

    def __init__(self, stack, balance: int = 1):
        from photoshoot.auth.sessions import issue_token

        self.stack = stack
        self.prefix = stack.env.get("TABLE_PREFIX", "photoshoot-")
        self.dynamodb = boto3.client("dynamodb", endpoint_url=stack.moto_url,
                                     region_name="eu-central-1", aws_access_key_id="local",
                                     aws_secret_access_key="local")
        self.user_id = str(700000000 + uuid.uuid4().int % 100000000)
        self.dynamodb.put_item(TableName=f"{self.prefix}users", Item={
            "user_id": {"S": self.user_id}, "telegram_id": {"N": self.user_id},
            "balance": {"N": str(balance)}, "spent": {"N": "0"},
            "token_version": {"N": "0"}, "created_at": {"S": "2026-01-01T00:00:00Z"}})
        self.token = issue_token(self.user_id, 0)
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.stack.base_url}{path}", headers=self.headers,
                                timeout=30, **kwargs)

    def upload(self, data: bytes, content_type: str = "image/jpeg") -> str:
        presigned = self.api("POST", "/api/uploads",
                             json={"content_type": content_type, "size": len(data)})
        assert presigned.status_code == 200, presigned.text
        body = presigned.json()
        stored = requests.post(body["url"], data=body["fields"],
                               files={"file": ("photo.jpg", data, content_type)}, timeout=30)
        assert stored.status_code in (200, 201, 204), stored.text
        return body["upload_id"]

    def balance(self) -> int:
        item = self.dynamodb.get_item(TableName=f"{self.prefix}users", ConsistentRead=True,
                                      Key={"user_id": {"S": self.user_id}})["Item"]
        return int(item["balance"]["N"])

    def ledger(self) -> list[str]:
        items = self.dynamodb.query(
            TableName=f"{self.prefix}ledger", ConsistentRead=True,
            KeyConditionExpression="user_id = :u",
            ExpressionAttributeValues={":u": {"S": self.user_id}})["Items"]
        return sorted(item["entry_id"]["S"] for item in items)

    def wait_for(self, generation_id: str, statuses=("succeeded", "failed", "cancelled"),
                 timeout_s: float = 90.0) -> dict:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            state = self.api("GET", f"/api/generations/{generation_id}").json()
            if state["status"] in statuses:
                return state
            time.sleep(0.2)
        raise AssertionError(f"{generation_id} not in {statuses}")


def product_photo() -> bytes:
    from photoshoot.providers.studio.specimens import make_specimen

    buffer = io.BytesIO()
    Image.fromarray(make_specimen("jar", "plain", seed=2, size=(600, 800)).image).save(
        buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_photoshoot_runs_end_to_end_with_live_statuses(local_stack):
    seller = Seller(local_stack, balance=2)
    upload_id = seller.upload(product_photo())
    suggestions = seller.api("GET", f"/api/uploads/{upload_id}/suggestions").json()
    assert suggestions["suggestions"], suggestions
    style_id = suggestions["suggestions"][0]["style_id"]
    # the cut-out preview the page shows before paying: a transparent PNG of the product
    cutout = requests.get(suggestions["cutout_url"], timeout=10)
    assert cutout.status_code == 200
    preview = Image.open(io.BytesIO(cutout.content))
    assert preview.mode == "RGBA" and preview.getextrema()[3][0] == 0
    # and the validated photo itself, which a restored draft shows again
    photo = requests.get(suggestions["photo_url"], timeout=10)
    assert photo.status_code == 200 and Image.open(io.BytesIO(photo.content)).size[0] > 0

    messages: list[dict] = []
    with connect(f"{local_stack.ws_url}?token={seller.token}", open_timeout=10) as socket:
        created = seller.api("POST", "/api/generations", json={
            "upload_id": upload_id, "style_id": style_id, "format": "3:4"})
        assert created.status_code == 202, created.text
        generation_id = created.json()["generation_id"]
        socket.send(json.dumps({"action": "subscribe", "generation_id": generation_id}))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            message = json.loads(socket.recv(timeout=30))
            if message.get("generation_id") != generation_id:
                continue
            messages.append(message)
            if message["status"] in ("succeeded", "failed", "cancelled"):
                break

    assert messages[-1]["status"] == "succeeded", messages[-1]
    steps = [m["step"] for m in messages]
    assert len({"analyze", "prompt", "generate", "done"} & set(steps)) >= 3
    streamed = [m["images"][0]["index"] for m in messages
                if m["step"] == "generate" and len(m["images"]) == 1]
    assert sorted(streamed) == [0, 1, 2, 3]  # each image pushed as soon as it was done
    assert all(isinstance(m["message"], str) and m["message"] for m in messages)

    state = seller.api("GET", f"/api/generations/{generation_id}").json()
    assert state["status"] == "succeeded" and len(state["images"]) == 4
    picture = requests.get(state["images"][0]["url"], timeout=30)
    assert picture.status_code == 200
    assert Image.open(io.BytesIO(picture.content)).size == (900, 1200)
    assert requests.get(state["images"][0]["thumb_url"], timeout=30).status_code == 200

    archive = seller.api("GET", f"/api/generations/{generation_id}/archive").json()
    zipped = requests.get(archive["url"], timeout=30)
    assert zipped.status_code == 200
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as files:
        assert len(files.namelist()) == 4

    history = seller.api("GET", "/api/generations?status=succeeded").json()
    assert [item["generation_id"] for item in history["items"]] == [generation_id]
    assert seller.balance() == 1
    assert seller.ledger() == [f"charge#{generation_id}"]


def test_cancel_over_http_refunds_once_even_after_reconcile(local_stack):
    seller = Seller(local_stack, balance=1)
    upload_id = seller.upload(product_photo())
    created = seller.api("POST", "/api/generations", json={
        "upload_id": upload_id, "custom_prompt": "тёмный фон, дым", "format": "16:9"})
    generation_id = created.json()["generation_id"]

    cancelled = seller.api("POST", f"/api/generations/{generation_id}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    time.sleep(3)  # the aborted execution reaches Reconcile through the local EventBridge

    assert seller.api("POST", f"/api/generations/{generation_id}/cancel").status_code == 409
    assert seller.balance() == 1
    assert seller.ledger() == [f"charge#{generation_id}", f"refund#{generation_id}"]
    assert seller.wait_for(generation_id)["status"] == "cancelled"


def test_bad_upload_over_http_is_a_clear_4xx(local_stack):
    seller = Seller(local_stack, balance=1)
    upload_id = seller.upload(b"GIF89a" + b"\0" * 64 + "текст".encode())

    answer = seller.api("POST", "/api/generations", json={
        "upload_id": upload_id, "style_id": "marble", "format": "1:1"})

    assert answer.status_code == 422
    # a GIF is named as such: the seller learns what to send instead
    assert answer.json()["error"]["message"] == (
        "Формат GIF не подходит. Загрузите фото в формате JPEG, PNG или WebP.")
    assert seller.balance() == 1 and seller.ledger() == []
    other = Seller(local_stack)
    assert other.api("GET", f"/api/uploads/{upload_id}/suggestions").status_code == 404


def test_twenty_concurrent_http_creates_on_a_balance_of_three(local_stack):
    from concurrent.futures import ThreadPoolExecutor

    seller = Seller(local_stack, balance=3)
    upload_id = seller.upload(product_photo())
    assert seller.api("GET", f"/api/uploads/{upload_id}/suggestions").status_code == 200

    def create(_):
        return seller.api("POST", "/api/generations", json={
            "upload_id": upload_id, "style_id": "wood", "format": "1:1"})

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(create, range(20)))

    codes = sorted(a.status_code for a in answers)
    accepted = [a.json()["generation_id"] for a in answers if a.status_code == 202]
    # the per-user limit (10/min) answers 429 first; of the rest exactly the balance passes
    assert len(accepted) == 3 and codes.count(429) == 10 and codes.count(402) == 7, codes
    assert all(a.json()["error"]["details"]["packages_url"] == "/packages"
               for a in answers if a.status_code == 402)
    assert seller.balance() == 0
    assert seller.ledger() == sorted(f"charge#{g}" for g in accepted)
    for generation_id in accepted:
        assert seller.wait_for(generation_id)["status"] == "succeeded"
