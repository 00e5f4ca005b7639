"""The local WebSocket gateway speaks API Gateway: shaped events to the handlers, and the
Management API answers the unchanged boto3 client (GoneException for a gone id)."""
from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import boto3
import pytest
from botocore.config import Config

from infra.local.ws_gateway import WsGateway

aiohttp = pytest.importorskip("aiohttp")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self):
        self.events: list[dict] = []
        self.changed = threading.Condition()

    def __call__(self, event, context):
        with self.changed:
            self.events.append(event)
            self.changed.notify_all()
        route = event["requestContext"]["routeKey"]
        if route == "$connect":
            token = (event.get("queryStringParameters") or {}).get("token")
            if token != "good":
                return {"statusCode": 401, "body": ""}
        return {"statusCode": 200}

    def wait_for(self, route: str, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for event in self.events:
                    if event["requestContext"]["routeKey"] == route:
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {route} event")
                self.changed.wait(left)


@pytest.fixture
def gateway():
    recorder = Recorder()
    port = free_port()
    handlers = {"$connect": recorder, "$disconnect": recorder, "$default": recorder}
    gw = WsGateway(handlers, "127.0.0.1", port, region="eu-central-1")
    gw.start()
    gw.recorder = recorder
    gw.url = f"ws://127.0.0.1:{port}/ws"
    gw.management = boto3.client(
        "apigatewaymanagementapi", endpoint_url=f"http://localhost:{port}",
        region_name="eu-central-1", aws_access_key_id="x", aws_secret_access_key="x",
        config=Config(retries={"max_attempts": 1}))
    yield gw
    gw.stop()


async def _session_roundtrip(gw: WsGateway):
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(gw.url + "?token=good&x=1") as ws:
            connect = await asyncio.to_thread(gw.recorder.wait_for, "$connect")
            connection_id = connect["requestContext"]["connectionId"]
            await ws.send_str(json.dumps({"action": "ping"}))
            message = await asyncio.to_thread(gw.recorder.wait_for, "$default")
            await asyncio.to_thread(gw.management.post_to_connection,
                                    ConnectionId=connection_id, Data=b'{"type":"pong"}')
            received = await ws.receive(timeout=5)
            info = await asyncio.to_thread(gw.management.get_connection,
                                           ConnectionId=connection_id)
        disconnect = await asyncio.to_thread(gw.recorder.wait_for, "$disconnect")
    return connect, message, received, info, disconnect


def test_events_have_api_gateway_shape_and_post_reaches_the_socket(gateway):
    connect, message, received, info, disconnect = asyncio.run(_session_roundtrip(gateway))

    context = connect["requestContext"]
    assert context["eventType"] == "CONNECT"
    assert context["stage"] == "local" and context["apiId"] == "local"
    assert context["domainName"].startswith("127.0.0.1:")
    assert isinstance(context["requestTimeEpoch"], int)
    assert connect["queryStringParameters"] == {"token": "good", "x": "1"}
    assert context["identity"]["sourceIp"] == "127.0.0.1"

    assert message["requestContext"]["eventType"] == "MESSAGE"
    assert message["requestContext"]["routeKey"] == "$default"
    assert message["requestContext"]["messageId"]
    assert json.loads(message["body"]) == {"action": "ping"}
    assert message["isBase64Encoded"] is False

    assert received.type == aiohttp.WSMsgType.TEXT and json.loads(received.data) == {
        "type": "pong"}
    assert info["Identity"]["SourceIp"] == "127.0.0.1"
    assert info["ConnectedAt"] <= info["LastActiveAt"]

    assert disconnect["requestContext"]["eventType"] == "DISCONNECT"
    assert disconnect["requestContext"]["connectionId"] == context["connectionId"]


def test_post_to_unknown_connection_raises_gone(gateway):
    client = gateway.management
    with pytest.raises(client.exceptions.GoneException):
        client.post_to_connection(ConnectionId="bm90LWEtc29ja2V0PQ==", Data=b"{}")
    with pytest.raises(client.exceptions.GoneException):
        client.get_connection(ConnectionId="nope")
    with pytest.raises(client.exceptions.GoneException):
        client.delete_connection(ConnectionId="nope")


def test_connect_refused_when_handler_answers_401(gateway):
    async def attempt():
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(gateway.url)
            return refused.value.status

    assert asyncio.run(attempt()) == 401
    assert gateway.connection_ids == []


def test_delete_connection_closes_the_socket_and_fires_disconnect(gateway):
    async def scenario():
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(gateway.url + "?token=good") as ws:
                connect = await asyncio.to_thread(gateway.recorder.wait_for, "$connect")
                connection_id = connect["requestContext"]["connectionId"]
                await asyncio.to_thread(gateway.management.delete_connection,
                                        ConnectionId=connection_id)
                closed = await ws.receive(timeout=5)
                await asyncio.to_thread(gateway.recorder.wait_for, "$disconnect")
                return connection_id, closed

    connection_id, closed = asyncio.run(scenario())
    assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    with pytest.raises(gateway.management.exceptions.GoneException):
        gateway.management.post_to_connection(ConnectionId=connection_id, Data=b"{}")


def test_stage_path_of_the_management_endpoint_is_accepted(gateway):
    client = boto3.client(
        "apigatewaymanagementapi", endpoint_url=f"http://localhost:{gateway.port}/local",
        region_name="eu-central-1", aws_access_key_id="x", aws_secret_access_key="x")
    with pytest.raises(client.exceptions.GoneException):
        client.post_to_connection(ConnectionId="gone", Data=b"{}")


def test_port_in_use_is_reported(gateway):
    clash = WsGateway({}, "127.0.0.1", gateway.port)
    with pytest.raises(OSError):
        clash.start()
