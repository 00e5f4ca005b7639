"""HTTP glue for the Chalice API: the one place where domain errors become HTTP answers."""
from __future__ import annotations

import functools
import json
from typing import Any, Callable

from chalice import Response

from photoshoot import edge
from photoshoot.errors import BadRequest, PhotoshootError, Unauthorized
from photoshoot.observability import logger

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}
DEFAULT_RETRY_AFTER_S = 60
# Every route declares this: Chalice checks a route's content_types before the view runs and
# refuses a mismatch with its own English body ({"Code": "UnsupportedMediaType", …}), which
# no layer of ours can translate. So Chalice lets every type through and read_json, the one
# reader of request bodies, refuses what is not JSON with our envelope.
ANY_CONTENT_TYPE = ["*/*"]


class UnsupportedMediaType(PhotoshootError):
    """A request body that is not JSON (an HTTP concern, not a domain one: hence here)."""
    status = 415
    code = "unsupported_media_type"
    message = "Отправьте данные в формате JSON."


def json_response(body: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(body=json.dumps(body, ensure_ascii=False),
                    status_code=status, headers={**JSON_HEADERS, **(headers or {})})


def error_response(error: PhotoshootError) -> Response:
    headers = {"Retry-After": str(_retry_after_s(error))} if error.status == 429 else None
    return json_response(error.to_body(), error.status, headers)


def _retry_after_s(error: PhotoshootError) -> int:
    """The wait the body promises (``details.retry_after_s``, the rest of the rate-limit
    window), so the header and the body never disagree."""
    value = error.details.get("retry_after_s")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return DEFAULT_RETRY_AFTER_S


def json_api(view: Callable) -> Callable:
    """Wrap a Chalice view: dicts become JSON, domain errors their status and envelope,
    anything unexpected a logged 500 with a kind message and no internals."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            result = view(*args, **kwargs)
        except PhotoshootError as error:
            if error.status >= 500:
                logger.exception("request failed", extra={"code": error.code})
            else:
                logger.info("request rejected", extra={"code": error.code,
                                                       "status": error.status})
            return error_response(error)
        except Exception:  # noqa: BLE001 - the last line of defence before API Gateway
            logger.exception("unhandled error")
            return error_response(PhotoshootError())
        if isinstance(result, Response):
            return result
        return json_response(result)

    return wrapper


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # Python's json accepts NaN and Infinity


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")  # 1e400
    return value


def _is_json_media_type(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def read_json(request) -> dict:
    """The request body as a JSON object, or a 4xx a person understands."""
    # No Content-Type is read as JSON, as Chalice did before ANY_CONTENT_TYPE; a declared
    # other type (a form, text, XML, a file) is refused even when empty, as Chalice did.
    content_type = ((request.headers or {}).get("content-type") or "").strip()
    if content_type and not _is_json_media_type(content_type):
        raise UnsupportedMediaType()
    raw = request.raw_body
    if not raw:
        return {}
    try:
        body = json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[…
        raise BadRequest("Тело запроса должно быть корректным JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("Тело запроса должно быть JSON-объектом.")
    if not _encodable(body):
        raise BadRequest("В тексте есть недопустимые символы. Уберите их и отправьте снова.")
    return body


def _encodable(value) -> bool:
    """False when a string in the body is a lone surrogate (JSON's "\\ud800"): it has no
    UTF-8 form, so DynamoDB, a signature or a log line would fail on it deep in a view."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


def current_user_id(request) -> str:
    """The user id put into the request context by the JWT authorizer."""
    context = (request.context or {}).get("authorizer") or {}
    user_id = context.get("principalId") or context.get("user_id")
    if not user_id:
        raise Unauthorized()
    return str(user_id)


def client_ip(request) -> str:
    """The caller's address, for per-IP limits: the viewer's own behind our CloudFront
    distribution (``photoshoot.edge``), else API Gateway's ``sourceIp``."""
    identity = (request.context or {}).get("identity") or {}
    return edge.viewer_address(request.headers or {}) or identity.get("sourceIp") or ""
