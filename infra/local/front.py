"""The one local URL: ``/api/*`` → Chalice (as API Gateway would call it), ``/webhooks/<name>``
→ a function as its Lambda Function URL would call it, ``/sandbox/<name>/…`` → provider
sandboxes (WSGI), everything else → the built SPA with index.html fallback.
"""
from __future__ import annotations

import base64
import importlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from chalice.config import Config
from chalice.local import (ForbiddenError, LocalGateway, LocalGatewayException,
                           NotAuthorizedError)
from werkzeug.security import safe_join
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.utils import send_file
from werkzeug.wrappers import Request, Response

from infra.local import lambda_runner
from infra.resources import gateway_response
from infra.site_files import INDEX, cache_control, content_type, is_client_route

log = logging.getLogger("infra.local.front")

JSON = "application/json; charset=utf-8"
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript",
              "application/x-www-form-urlencoded", "+json", "+xml")
DIST_MISSING_PAGE = """<!doctype html><html lang="ru"><meta charset="utf-8">
<title>Photoshoot — SPA не собрана</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto">
<h1>Интерфейс ещё не собран</h1>
<p>Соберите SPA и обновите страницу:</p>
<pre>npm --prefix static_site run build</pre>
<p>API уже работает: <a href="/api/health">/api/health</a>.</p></body></html>"""


class UnknownRoute(LocalGatewayException):
    """No method of the API matches the request's path and method. API Gateway answers it
    itself, before any authorizer runs, with its MISSING_AUTHENTICATION_TOKEN response
    (template.yaml makes that a 404 in our envelope) — with or without an Authorization
    header, and for a wrong method on a known path as for an unknown path."""
    CODE = 403


def _error_json(status: int, code: str, message: str) -> Response:
    return Response(json.dumps({"error": {"code": code, "message": message}},
                               ensure_ascii=False), status=status, content_type=JSON)


class _PerThread:
    """A data descriptor holding one value per thread."""

    def __init__(self) -> None:
        self._values = threading.local()

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return getattr(self._values, "value", None)

    def __set__(self, instance, value) -> None:
        self._values.value = value


def one_invocation_per_thread(chalice_app) -> None:
    """Chalice keeps the invocation in progress on the app object (``app.current_request``,
    ``app.lambda_context``): right in Lambda, where an execution environment serves one
    invocation at a time, but the front serves requests on concurrent threads. Shared, a
    private view read a public request that arrived meanwhile (no authorizer context: a 401
    that logged the SPA out) or another user's. Per thread, each request is its own
    environment, as in AWS."""
    cls = type(chalice_app)
    if isinstance(cls.__dict__.get("current_request"), _PerThread):
        return
    chalice_app.__class__ = type(cls.__name__, (cls,), {
        "__module__": cls.__module__, "current_request": _PerThread(),
        "lambda_context": _PerThread()})


class PeerAwareGateway(LocalGateway):
    """Chalice's LocalGateway, with the caller's address and API Gateway's request ids in
    ``requestContext`` (Chalice hard-codes 127.0.0.1)."""

    def __init__(self, app_object, config: Config, stage: str = "local") -> None:
        super().__init__(app_object, config)
        self._request = threading.local()
        self._stage = stage

    def handle_request_from(self, source_ip: str, user_agent: str, method: str, path: str,
                            headers: dict, body: bytes | None) -> dict:
        self._request.source_ip, self._request.user_agent = source_ip, user_agent
        return self.handle_request(method, path, headers, body)

    def _generate_lambda_event(self, method, path, headers, body):
        # Routing is decided here, before Chalice's authorizer and view: Chalice would answer
        # an unknown path with a token as a denied token (401 session_invalid, which logs the
        # SPA out) and a wrong method with its own English 405, neither of which API Gateway
        # ever sends, since it never invokes anything for a method the API does not declare.
        try:
            event = super()._generate_lambda_event(method, path, headers, body)
        except ValueError:  # chalice.local.RouteMatcher: no resource matches the path
            raise UnknownRoute({}) from None
        resource = event["requestContext"]["resourcePath"]
        if method not in self._app_object.routes.get(resource, {}):
            raise UnknownRoute({})
        context = event["requestContext"]
        context["identity"] = {"sourceIp": getattr(self._request, "source_ip", "127.0.0.1"),
                               "userAgent": getattr(self._request, "user_agent", "")}
        context.update({"requestId": str(uuid.uuid4()), "stage": self._stage,
                        "requestTimeEpoch": int(time.time() * 1000),
                        "domainName": headers.get("host", "localhost"),
                        "protocol": "HTTP/1.1"})
        return event


class FrontApp:
    def __init__(self, chalice_app, *, webhooks: Mapping[str, str],
                 sandboxes: Mapping[str, str], dist_dir: Path, region: str,
                 lambda_timeout_s: int = 29, lambda_memory_mb: int = 256) -> None:
        one_invocation_per_thread(chalice_app)
        self.chalice_app = chalice_app
        config = Config.create(chalice_stage="local", app_name=chalice_app.app_name,
                               lambda_timeout=lambda_timeout_s,
                               lambda_memory_size=lambda_memory_mb)
        self.gateway = PeerAwareGateway(chalice_app, config)
        self.webhooks, self.sandboxes = webhooks, sandboxes
        self.dist_dir, self.region = dist_dir, region
        self._sandbox_apps: dict[str, Any] = {}
        self._sandbox_lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path
        try:
            if path == "/api" or path.startswith("/api/"):
                response = self.api(request)
            elif path.startswith("/webhooks/"):
                response = self.webhook(request, path[len("/webhooks/"):].split("/", 1)[0])
            elif path.startswith("/sandbox/"):
                return self.sandbox(environ, start_response, path)
            else:
                response = self.static(request)
        except Exception:  # noqa: BLE001 - one request must never take the server down
            log.exception("front request failed", extra={"path": path})
            response = _error_json(500, "internal", "Что-то пошло не так. Попробуйте ещё раз.")
        return response(environ, start_response)

    # --- /api: API Gateway REST → Chalice ------------------------------------------------
    def api(self, request: Request) -> Response:
        headers = {}
        for name, value in request.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        query = request.query_string.decode("latin-1")
        path = request.path + (f"?{query}" if query else "")
        body = request.get_data(cache=False) or None
        try:
            answer = self.gateway.handle_request_from(
                request.remote_addr or "", request.user_agent.string, request.method, path,
                headers, body)
        except LocalGatewayException as error:
            return _gateway_error(error)
        return _proxy_response(answer)

    # --- /webhooks: Lambda Function URL ---------------------------------------------------
    def webhook(self, request: Request, name: str) -> Response:
        function = self.webhooks.get(name)
        if function is None or function not in self.chalice_app.handler_map:
            return _error_json(404, "not_found", "Такого вебхука нет.")
        event = function_url_event(request, self.region)
        context = lambda_runner.LambdaContext(function, timeout_s=29)
        result, failed = lambda_runner.run_handler(function, event, context)
        if failed:
            log.error("webhook function failed", extra={"function": function,
                                                        "error_type": result["errorType"]})
            return Response(json.dumps({"Message": "Internal Server Error"}), status=502,
                            content_type="application/json")
        return _function_url_response(result)

    # --- /sandbox: provider sandboxes (WSGI) -----------------------------------------------
    def sandbox(self, environ, start_response, path: str):
        name, _, rest = path[len("/sandbox/"):].partition("/")
        app = self._sandbox_app(name)
        if app is None:
            return _error_json(404, "not_found", f"Песочница «{name}» не подключена.")(
                environ, start_response)
        mounted = dict(environ)
        mounted["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/sandbox/{name}"
        mounted["PATH_INFO"] = "/" + rest if rest or path.endswith("/") else ""
        return app(mounted, start_response)

    def _sandbox_app(self, name: str):
        target = self.sandboxes.get(name)
        if target is None:
            return None
        with self._sandbox_lock:
            if name not in self._sandbox_apps:
                module_name, _, attribute = target.partition(":")
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as error:
                    if error.name and module_name.startswith(error.name):
                        log.info("sandbox not present", extra={"sandbox": name})
                        return None
                    raise
                self._sandbox_apps[name] = getattr(module, attribute or "app")
            return self._sandbox_apps[name]

    # --- SPA -------------------------------------------------------------------------------
    def static(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return Response("Method Not Allowed", status=405, headers={"Allow": "GET, HEAD"})
        index = self.dist_dir / "index.html"
        if not index.is_file():
            return Response(DIST_MISSING_PAGE, status=503, content_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-store"})
        relative = request.path.lstrip("/")
        candidate = safe_join(str(self.dist_dir), relative) if relative else None
        if candidate and Path(candidate).is_file():
            response = send_file(candidate, request.environ, conditional=True, etag=True,
                                 max_age=None)
            # the bucket's metadata, not this machine's mimetypes (.xml, .js differ by machine)
            response.headers["Content-Type"] = content_type(relative)
            response.headers["Cache-Control"] = cache_control(relative)
            return response
        if not is_client_route(relative):  # a missing file, not a client-side route
            return Response("Not Found", status=404, content_type="text/plain")
        response = send_file(str(index), request.environ, conditional=True, etag=True,
                             max_age=None)
        response.headers["Cache-Control"] = cache_control(INDEX)
        return response


def _proxy_response(answer: dict) -> Response:
    body = answer.get("body") or b""
    if answer.get("isBase64Encoded"):
        body = base64.b64decode(body)
    elif isinstance(body, str):
        body = body.encode("utf-8")
    response = Response(body, status=int(answer.get("statusCode") or 200))
    response.headers.pop("Content-Type", None)
    for name, value in (answer.get("headers") or {}).items():
        response.headers[name] = value
    for name, values in (answer.get("multiValueHeaders") or {}).items():
        response.headers.remove(name)
        for value in values:
            response.headers.add(name, value)
    if "Content-Type" not in response.headers:  # API Gateway's default for proxy answers
        response.headers["Content-Type"] = "application/json"
    return response


def _is_text(content_type: str) -> bool:
    content_type = content_type.lower()
    return any(marker in content_type for marker in TEXT_TYPES)


def function_url_event(request: Request, region: str) -> dict:
    """A Lambda Function URL request event (payload format version 2.0)."""
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        key = name.lower()
        if key == "cookie":
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    cookies = [c.strip() for c in request.headers.get("Cookie", "").split(";") if c.strip()]
    query: dict[str, str] = {}
    for key, values in request.args.lists():
        query[key] = ",".join(values)
    raw = request.get_data(cache=False)
    if raw and not _is_text(request.content_type or ""):
        body, is_base64 = base64.b64encode(raw).decode(), True
    else:
        try:
            body, is_base64 = raw.decode("utf-8"), False
        except UnicodeDecodeError:
            body, is_base64 = base64.b64encode(raw).decode(), True
    now = datetime.now(timezone.utc)
    url_id = "local"
    event = {
        "version": "2.0", "routeKey": "$default", "rawPath": request.path,
        "rawQueryString": request.query_string.decode("latin-1"), "headers": headers,
        "requestContext": {
            "accountId": "anonymous", "apiId": url_id,
            "domainName": f"{url_id}.lambda-url.{region}.on.aws", "domainPrefix": url_id,
            "http": {"method": request.method, "path": request.path, "protocol": "HTTP/1.1",
                     "sourceIp": request.remote_addr or "",
                     "userAgent": request.user_agent.string},
            "requestId": str(uuid.uuid4()), "routeKey": "$default", "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000)},
        "isBase64Encoded": is_base64,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if raw:
        event["body"] = body
    return event


def _function_url_response(result: Any) -> Response:
    """Translate a function's result as Lambda Function URLs do."""
    if not (isinstance(result, dict) and "statusCode" in result):
        return Response(json.dumps(result), status=200, content_type="application/json")
    body = result.get("body") or ""
    if result.get("isBase64Encoded"):
        body = base64.b64decode(body)
    response = Response(body, status=int(result["statusCode"]))
    response.headers.pop("Content-Type", None)
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = str(value)
    if "Content-Type" not in response.headers:
        response.headers["Content-Type"] = "application/json"
    for cookie in result.get("cookies") or []:
        response.headers.add("Set-Cookie", cookie)
    return response


class _RequestHandler(WSGIRequestHandler):
    """HTTP/1.1 keep-alive (as CloudFront gives browsers) and no per-request log lines
    unless ``LOCAL_ACCESS_LOG=1``."""

    protocol_version = "HTTP/1.1"
    access_log = False

    def log_request(self, code="-", size="-"):
        if self.access_log:
            super().log_request(code, size)


def make_front_server(app: FrontApp, host: str, port: int,
                      access_log: bool = False) -> BaseWSGIServer:
    handler = type("FrontRequestHandler", (_RequestHandler,), {"access_log": access_log})
    server = make_server(host, port, app, threaded=True, request_handler=handler)
    server.daemon_threads = True
    return server


def _gateway_error(error: LocalGatewayException) -> Response:
    """API Gateway's own refusals, with the bodies template.yaml's GatewayResponses give."""
    if isinstance(error, UnknownRoute):
        response_type = "MISSING_AUTHENTICATION_TOKEN"
    elif isinstance(error, NotAuthorizedError):
        response_type = "UNAUTHORIZED"
    elif isinstance(error, ForbiddenError):  # the authorizer denied the token
        response_type = "ACCESS_DENIED"
    else:
        response_type = "DEFAULT_5XX"
    status, body = gateway_response(response_type) or (error.CODE, error.body or b"")
    return Response(body, status=status, content_type=JSON)
