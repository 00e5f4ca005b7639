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
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from infra.local import allocator

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


def test_renderer_and_aws_clients_are_warmed_up_then_the_heap_frozen(local_stack):
    line = local_stack.wait_warm(timeout_s=30)
    assert '"message": "warmed up"' in line, local_stack.logs()[-3000:]
    assert json.loads(line)["frozen_objects"] > 100_000
    assert "warm-up failed" not in local_stack.logs()


def test_the_stack_runs_with_its_malloc_tunables(local_stack):
    # glibc cuts GLIBC_TUNABLES short in /proc/<pid>/environ as it parses it: ask the log
    line = next(line for line in local_stack.logs().splitlines()
                if '"message": "allocator"' in line)
    value = json.loads(line)["glibc_tunables"]
    assert {entry.split("=")[0] for entry in value.split(":")} >= set(allocator.TUNABLES)


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
    try:
        socket = connect(f"{local_stack.ws_url}?token={token}", open_timeout=10)
    except InvalidStatus as refused:
        pytest.fail(f"valid token refused ({refused}); stack log:\n{local_stack.logs()[-3000:]}")
    with socket:
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


def test_logging_out_closes_the_open_sockets_of_the_account(local_stack, user_token):
    """A page still open with the revoked token must not go on receiving the account's
    photoshoots: logout closes every socket of the user, and a reconnect is refused."""
    import requests

    user_id, token = user_token
    sockets = [connect(f"{local_stack.ws_url}?token={token}", open_timeout=10)
               for _ in range(2)]
    try:
        assert wait_until(lambda: len(connections_of(local_stack, user_id)) == 2)
        answer = requests.post(f"{local_stack.base_url}/api/auth/logout",
                               headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert answer.status_code == 200, answer.text
        for socket in sockets:
            with pytest.raises(ConnectionClosed):
                socket.recv(timeout=5)
        assert wait_until(lambda: not connections_of(local_stack, user_id))
        with pytest.raises(InvalidStatus):
            connect(f"{local_stack.ws_url}?token={token}", open_timeout=10)
    finally:
        for socket in sockets:
            socket.close()


def test_websocket_without_token_is_refused(local_stack):
    with pytest.raises(InvalidStatus) as refused:
        connect(local_stack.ws_url, open_timeout=10)
    assert refused.value.response.status_code in (401, 403)


# --- the front server's translations, in-process ----------------------------------------------
def demo_sandbox(environ, start_response):
    """A WSGI app mounted as a sandbox: echoes how it was mounted."""
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps({"script_name": environ["SCRIPT_NAME"],
                        "path_info": environ["PATH_INFO"]}).encode()]


@pytest.fixture
def front(tmp_path):
    from chalice import Chalice
    from werkzeug.test import Client

    from infra.local import lambda_runner
    from infra.local.front import FrontApp

    app = Chalice(app_name="front-test")

    @app.lambda_function(name="hook_function")
    def hook_function(event, context):
        return {"statusCode": 202, "headers": {"Content-Type": "text/plain"},
                "body": json.dumps(event), "cookies": ["seen=1"]}

    @app.lambda_function(name="broken_function")
    def broken_function(event, context):
        raise RuntimeError("boom")

    @app.route("/api/items/{item_id}", methods=["GET", "POST"])
    def item(item_id):
        request = app.current_request
        return {"item_id": item_id, "query": request.query_params,
                "source_ip": request.context["identity"]["sourceIp"],
                "body": request.raw_body.decode() if request.raw_body else None}

    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets" / "app-1a2b3c.js").write_text("console.log(1)")
    lambda_runner.install(app.handler_map)
    front_app = FrontApp(
        app, webhooks={"hook": "hook_function", "broken": "broken_function",
                       "later": "not_written_yet"},
        sandboxes={"demo": f"{__name__}:demo_sandbox", "absent": "infra.sandboxes.nope:app"},
        dist_dir=tmp_path, region="eu-central-1")
    yield Client(front_app)
    lambda_runner.uninstall()


def test_api_gets_path_params_query_body_and_peer_address(front):
    answer = front.post("/api/items/42?color=red", data=b'{"a": 1}',
                        environ_base={"REMOTE_ADDR": "10.1.2.3"},
                        headers={"Content-Type": "application/json"})
    assert answer.status_code == 200
    assert answer.json == {"item_id": "42", "query": {"color": "red"},
                           "source_ip": "10.1.2.3", "body": '{"a": 1}'}


def test_webhook_gets_a_function_url_event(front):
    front.set_cookie("a", "1")
    front.set_cookie("b", "2")
    answer = front.post("/webhooks/hook?x=1&x=2", data=b'{"event": "payment.succeeded"}',
                        headers={"Content-Type": "application/json", "X-Custom": "v"},
                        environ_base={"REMOTE_ADDR": "185.71.76.5"})
    assert answer.status_code == 202
    assert answer.headers["Content-Type"] == "text/plain"
    assert answer.headers.getlist("Set-Cookie") == ["seen=1"]
    event = json.loads(answer.data)
    assert event["version"] == "2.0" and event["routeKey"] == "$default"
    assert event["rawPath"] == "/webhooks/hook" and event["rawQueryString"] == "x=1&x=2"
    assert event["queryStringParameters"] == {"x": "1,2"}
    assert event["headers"]["x-custom"] == "v" and "cookie" not in event["headers"]
    assert event["cookies"] == ["a=1", "b=2"]
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["requestContext"]["http"]["sourceIp"] == "185.71.76.5"
    assert event["body"] == '{"event": "payment.succeeded"}'
    assert event["isBase64Encoded"] is False


def test_webhook_binary_body_is_base64(front):
    answer = front.post("/webhooks/hook", data=b"\x00\xff",
                        headers={"Content-Type": "application/octet-stream"})
    event = json.loads(answer.data)
    assert event["isBase64Encoded"] is True and event["body"] == "AP8="


def test_webhook_failure_is_502_and_unwritten_function_is_404(front):
    assert front.post("/webhooks/broken", data=b"{}").status_code == 502
    assert front.post("/webhooks/later", data=b"{}").status_code == 404
    assert front.post("/webhooks/unknown", data=b"{}").status_code == 404


def test_sandbox_is_mounted_under_its_prefix(front):
    answer = front.get("/sandbox/demo/bot123:abc/sendMessage")
    assert answer.json == {"script_name": "/sandbox/demo",
                           "path_info": "/bot123:abc/sendMessage"}
    assert front.get("/sandbox/absent/x").status_code == 404


def test_static_cache_headers_and_spa_fallback(front):
    asset = front.get("/assets/app-1a2b3c.js")
    assert asset.status_code == 200
    assert "immutable" in asset.headers["Cache-Control"]
    for path in ("/", "/profile", "/generations/01J0/view"):
        page = front.get(path)
        assert page.status_code == 200 and b"id=root" in page.data
        assert page.headers["Cache-Control"] == "no-cache"
    assert front.get("/assets/gone-000.js").status_code == 404
    escaped = front.get("/../../etc/passwd")
    assert b"root:" not in escaped.data and b"id=root" in escaped.data


def test_execution_failure_event_has_the_eventbridge_shape():
    from datetime import datetime, timezone

    from infra.local.events import execution_status_event

    started = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    stopped = datetime(2026, 1, 1, 12, 1, tzinfo=timezone.utc)
    event = execution_status_event({
        "executionArn": "arn:aws:states:eu-central-1:123456789012:execution:generation:g1",
        "stateMachineArn": "arn:aws:states:eu-central-1:123456789012:stateMachine:generation",
        "name": "g1", "status": "FAILED", "startDate": started, "stopDate": stopped,
        "input": '{"generation_id": "g1"}', "error": "ProviderTimeout", "cause": "slow"},
        "eu-central-1", "123456789012")
    assert event["source"] == "aws.states"
    assert event["detail-type"] == "Step Functions Execution Status Change"
    assert event["resources"] == [event["detail"]["executionArn"]]
    detail = event["detail"]
    assert detail["status"] == "FAILED" and detail["name"] == "g1"
    assert detail["startDate"] == 1767268800000 and detail["stopDate"] == 1767268860000
    assert detail["input"] == '{"generation_id": "g1"}'
    assert detail["error"] == "ProviderTimeout"
