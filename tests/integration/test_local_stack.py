"""`make run` as the outside world sees it: one URL for API and SPA, the WebSocket gateway
with API Gateway semantics, moto behind both."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

pytestmark = pytest.mark.integration

DIST = Path(__file__).resolve().parents[2] / "static_site" / "dist" / "index.html"


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def aws(local_stack, service: str):
    return boto3.client(service, endpoint_url=local_stack.moto_url, region_name="eu-central-1",
                        aws_access_key_id="local", aws_secret_access_key="local")


def table(name: str) -> str:
    from photoshoot.settings import get_settings

    return get_settings().table_name(name)


@pytest.fixture
def user_token(local_stack) -> tuple[str, str]:
    from photoshoot.auth.sessions import issue_token

    user_id = str(700000000 + uuid.uuid4().int % 1000000)
    aws(local_stack, "dynamodb").put_item(TableName=table("users"), Item={
        "user_id": {"S": user_id}, "telegram_id": {"N": user_id}, "balance": {"N": "1"},
        "spent": {"N": "0"}, "token_version": {"N": "0"}, "is_admin": {"BOOL": False},
        "email_notifications": {"BOOL": False}, "created_at": {"S": "2026-01-01T00:00:00Z"}})
    return user_id, issue_token(user_id, 0)


def management(local_stack):
    ws_port = local_stack.env["WS_PORT"]
    return boto3.client("apigatewaymanagementapi", endpoint_url=f"http://localhost:{ws_port}",
                        region_name="eu-central-1", aws_access_key_id="local",
                        aws_secret_access_key="local")


def connections_of(local_stack, user_id: str) -> list[str]:
    answer = aws(local_stack, "dynamodb").query(
        TableName=table("connections"), IndexName="user-index",
        KeyConditionExpression="user_id = :u", ExpressionAttributeValues={":u": {"S": user_id}})
    return [item["connection_id"]["S"] for item in answer["Items"]]


def wait_until(predicate, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return predicate()


def test_health(local_stack):
    status, headers, body = get(f"{local_stack.base_url}/api/health")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    assert headers["Content-Type"].startswith("application/json")


def test_config_points_the_spa_at_the_local_websocket(local_stack):
    status, _, body = get(f"{local_stack.base_url}/api/config")
    config = json.loads(body)
    assert status == 200
    assert config["ws_url"] == local_stack.ws_url
    assert config["formats"]


def test_packages_are_the_four_seeded_with_one_popular(local_stack):
    status, _, body = get(f"{local_stack.base_url}/api/packages")
    items = json.loads(body)["items"]
    assert status == 200 and len(items) == 4
    assert sum(1 for p in items if p["popular"]) == 1


def test_styles_are_seeded(local_stack):
    status, _, body = get(f"{local_stack.base_url}/api/styles")
    assert status == 200 and len(json.loads(body)["items"]) >= 12


def test_unknown_api_path_is_a_json_404(local_stack):
    status, headers, body = get(f"{local_stack.base_url}/api/no-such-thing")
    assert 400 <= status < 500
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "not_found"


def test_unknown_webhook_and_sandbox_are_404(local_stack):
    assert get(f"{local_stack.base_url}/webhooks/nothing")[0] == 404
    assert get(f"{local_stack.base_url}/sandbox/nothing/x")[0] == 404


def test_spa_fallback_serves_index_for_client_routes(local_stack):
    status, headers, body = get(f"{local_stack.base_url}/profile")
    if not DIST.is_file():
        assert status == 503 and b"npm --prefix static_site run build" in body
        pytest.skip("static_site/dist is not built")
    assert status == 200 and body == DIST.read_bytes()
    assert headers["Cache-Control"] == "no-cache"
    assert get(f"{local_stack.base_url}/assets/missing-0000.js")[0] == 404


def test_websocket_with_valid_token_is_stored_and_receives_pushes(local_stack, user_token):
    user_id, token = user_token
    client = management(local_stack)
    with connect(f"{local_stack.ws_url}?token={token}", open_timeout=10) as socket:
        ids = wait_until(lambda: connections_of(local_stack, user_id))
        assert len(ids) == 1
        connection_id = ids[0]
        client.post_to_connection(ConnectionId=connection_id,
                                  Data=json.dumps({"type": "balance", "balance": 1}).encode())
        assert json.loads(socket.recv(timeout=5)) == {"type": "balance", "balance": 1}
        socket.send(json.dumps({"action": "ping"}))
        assert json.loads(socket.recv(timeout=5)) == {"type": "pong"}
    assert wait_until(lambda: not connections_of(local_stack, user_id))
    with pytest.raises(client.exceptions.GoneException):
        client.post_to_connection(ConnectionId=connection_id, Data=b"{}")
    with pytest.raises(client.exceptions.GoneException):
        client.post_to_connection(ConnectionId="dW5rbm93bj0=", Data=b"{}")


def test_websocket_without_token_is_refused(local_stack):
    with pytest.raises(InvalidStatus) as refused:
        connect(local_stack.ws_url, open_timeout=10)
    assert refused.value.response.status_code in (401, 403)
