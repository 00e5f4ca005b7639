"""A local API Gateway WebSocket API: ``GET /ws`` upgrades and calls the ``$connect``,
``$default`` and ``$disconnect`` handlers with API Gateway-shaped events; the Management API
(``POST/GET/DELETE /@connections/{id}``) on the same port lets the unchanged boto3
``apigatewaymanagementapi`` client push to sockets, with ``GoneException`` (410) for ids that
are gone.

Handlers are plain ``handler(event, context) -> dict`` callables (Chalice's
``app.handler_map`` entries); they run in a thread pool so the event loop never blocks. The
gateway runs in its own thread with its own event loop.
"""
from __future__ import annotations

import asyncio
import base64
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import formatdate
from typing import Any

from aiohttp import WSMsgType, web

from infra.local.lambda_runner import LambdaContext

log = logging.getLogger("infra.local.ws")

ROUTE_CONNECT, ROUTE_DISCONNECT, ROUTE_DEFAULT = "$connect", "$disconnect", "$default"
MAX_POST_BYTES = 128 * 1024  # API Gateway's WebSocket frame limit


@dataclass
class Connection:
    connection_id: str
    socket: web.WebSocketResponse
    source_ip: str
    user_agent: str
    connected_at: float = field(default_factory=time.time)
    last_active_at: float = field(default_factory=time.time)


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(
        timespec="milliseconds").replace("+00:00", "Z")


def _new_connection_id() -> str:
    """API Gateway ids look like ``L0SM9cOFvHcCIhw=``: 10 random bytes, base64."""
    return base64.b64encode(os.urandom(10)).decode()


def _error(status: int, error_type: str, message: str) -> web.Response:
    """An error botocore's rest-json parser maps to ``client.exceptions.<error_type>``."""
    return web.json_response({"message": message}, status=status,
                             headers={"x-amzn-ErrorType": error_type,
                                      "x-amzn-RequestId": str(uuid.uuid4())})


class WsGateway:
    def __init__(self, handlers: Mapping[str, Callable[[dict, Any], Any]], host: str,
                 port: int, *, api_id: str = "local", stage: str = "local",
                 region: str = "eu-central-1", max_workers: int = 16) -> None:
        self._handlers = handlers
        self.host, self.port = host, port
        self.api_id, self.stage, self.region = api_id, stage, region
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ws-lambda")
        self._connections: dict[str, Connection] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._start_error: BaseException | None = None

    # --- lifecycle ---------------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        self._thread = threading.Thread(target=self._run, name="ws-gateway", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("WebSocket gateway did not start")
        if self._start_error is not None:
            raise self._start_error

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        except BaseException as error:  # noqa: BLE001 - handed to start()
            self._start_error = error
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(self._shutdown())
        loop.close()

    async def _serve(self) -> None:
        app = web.Application(client_max_size=MAX_POST_BYTES + 1024)
        app.router.add_get("/ws", self._websocket)
        for prefix in ("", "/{stage}"):
            path = prefix + "/@connections/{connection_id}"
            app.router.add_post(path, self._post_to_connection)
            app.router.add_get(path, self._get_connection)
            app.router.add_delete(path, self._delete_connection)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False,
                                     shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()

    async def _shutdown(self) -> None:
        for connection in list(self._connections.values()):
            await connection.socket.close(code=1001, message=b"Going away")
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self, timeout: float = 3.0) -> None:
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout)
        self._pool.shutdown(wait=False, cancel_futures=True)

    @property
    def connection_ids(self) -> list[str]:
        return list(self._connections)

    # --- events --------------------------------------------------------------------------
    def _event(self, route_key: str, connection_id: str, request: web.Request,
               body: str | None = None, is_base64: bool = False, **extra: Any) -> dict:
        now_ms = int(time.time() * 1000)
        event_type = {ROUTE_CONNECT: "CONNECT", ROUTE_DISCONNECT: "DISCONNECT"}.get(
            route_key, "MESSAGE")
        context = {
            "routeKey": route_key, "eventType": event_type,
            "extendedRequestId": str(uuid.uuid4()), "requestId": str(uuid.uuid4()),
            "requestTime": formatdate(now_ms / 1000, usegmt=True),
            "messageDirection": "IN", "stage": self.stage,
            "connectedAt": int(self._connected_at(connection_id) * 1000),
            "requestTimeEpoch": now_ms, "apiId": self.api_id,
            "domainName": request.host or f"localhost:{self.port}",
            "connectionId": connection_id,
            "identity": {"sourceIp": request.remote or "", "userAgent":
                         request.headers.get("User-Agent", "")},
        }
        if event_type == "MESSAGE":
            context["messageId"] = base64.b64encode(os.urandom(9)).decode()
        context.update(extra)
        event: dict[str, Any] = {"requestContext": context, "isBase64Encoded": is_base64}
        if route_key == ROUTE_CONNECT:
            event["headers"] = dict(request.headers)
            event["multiValueHeaders"] = {k: request.headers.getall(k)
                                          for k in request.headers.keys()}
            query = request.query
            event["queryStringParameters"] = dict(query) if query else None
            event["multiValueQueryStringParameters"] = (
                {k: query.getall(k) for k in query.keys()} if query else None)
        if body is not None:
            event["body"] = body
        return event

    def _connected_at(self, connection_id: str) -> float:
        connection = self._connections.get(connection_id)
        return connection.connected_at if connection else time.time()

    async def _call(self, route_key: str, event: dict) -> dict | None:
        handler = self._handlers.get(route_key)
        if handler is None:
            return {"statusCode": 200}
        loop = asyncio.get_running_loop()
        context = LambdaContext(f"ws-{route_key.strip('$')}", timeout_s=29)
        return await loop.run_in_executor(self._pool, handler, event, context)

    # --- WebSocket -----------------------------------------------------------------------
    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        connection_id = _new_connection_id()
        try:
            answer = await self._call(ROUTE_CONNECT, self._event(
                ROUTE_CONNECT, connection_id, request))
        except Exception:  # noqa: BLE001 - API Gateway answers 500 when $connect fails
            log.exception("ws connect handler failed")
            return web.Response(status=500, text="Internal server error")
        status = int((answer or {}).get("statusCode") or 200)
        if not 200 <= status < 300:
            log.info("ws connect refused", extra={"status": status})
            return web.Response(status=status if 400 <= status < 600 else 403,
                                text=(answer or {}).get("body") or "Forbidden")

        socket = web.WebSocketResponse(max_msg_size=MAX_POST_BYTES)
        await socket.prepare(request)
        connection = Connection(connection_id, socket, request.remote or "",
                                request.headers.get("User-Agent", ""))
        self._connections[connection_id] = connection
        log.info("ws connected", extra={"connection_id": connection_id})
        tasks: set[asyncio.Task] = set()
        try:
            async for message in socket:
                connection.last_active_at = time.time()
                if message.type == WSMsgType.TEXT:
                    body, is_base64 = message.data, False
                elif message.type == WSMsgType.BINARY:
                    body, is_base64 = base64.b64encode(message.data).decode(), True
                else:
                    continue
                # API Gateway invokes $default per frame, concurrently.
                task = asyncio.create_task(self._message(connection_id, request, body,
                                                         is_base64))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        finally:
            await self._disconnect(connection_id, request, socket)
            self._connections.pop(connection_id, None)
        return socket

    async def _message(self, connection_id: str, request: web.Request, body: str,
                       is_base64: bool) -> None:
        try:
            await self._call(ROUTE_DEFAULT, self._event(ROUTE_DEFAULT, connection_id, request,
                                                        body, is_base64))
        except Exception:  # noqa: BLE001 - a failing message handler leaves the socket open
            log.exception("ws message handler failed")

    async def _disconnect(self, connection_id: str, request: web.Request,
                          socket: web.WebSocketResponse) -> None:
        code = socket.close_code or 1005
        try:
            await self._call(ROUTE_DISCONNECT, self._event(
                ROUTE_DISCONNECT, connection_id, request, disconnectStatusCode=code,
                disconnectReason=""))
        except Exception:  # noqa: BLE001 - $disconnect is best effort in AWS too
            log.exception("ws disconnect handler failed")
        log.info("ws disconnected", extra={"connection_id": connection_id})

    # --- Management API ------------------------------------------------------------------
    def _live(self, request: web.Request) -> Connection | None:
        connection = self._connections.get(request.match_info["connection_id"])
        if connection is None or connection.socket.closed:
            return None
        return connection

    async def _post_to_connection(self, request: web.Request) -> web.Response:
        connection = self._live(request)
        if connection is None:
            return _error(410, "GoneException", "")
        data = await request.read()
        if len(data) > MAX_POST_BYTES:
            return _error(413, "PayloadTooLargeException", "Message too long")
        try:
            await connection.socket.send_str(data.decode("utf-8"))
        except UnicodeDecodeError:
            await connection.socket.send_bytes(data)
        except ConnectionError:
            return _error(410, "GoneException", "")
        return web.Response(status=200)

    async def _get_connection(self, request: web.Request) -> web.Response:
        connection = self._live(request)
        if connection is None:
            return _error(410, "GoneException", "")
        return web.json_response({
            "connectedAt": _iso(connection.connected_at),
            "lastActiveAt": _iso(connection.last_active_at),
            "identity": {"sourceIp": connection.source_ip,
                         "userAgent": connection.user_agent}})

    async def _delete_connection(self, request: web.Request) -> web.Response:
        connection = self._live(request)
        if connection is None:
            return _error(410, "GoneException", "")
        await connection.socket.close(code=1000, message=b"")
        return web.Response(status=204)


def chalice_ws_handlers(app) -> dict[str, Callable]:
    """Route key → the Chalice handler registered for it (``@app.on_ws_*``)."""
    return {route: app.handler_map[config.name]
            for route, config in getattr(app, "websocket_handlers", {}).items()
            if config.name in app.handler_map}
