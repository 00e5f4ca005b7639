"""HTTP glue for the Chalice API: the one place where domain errors become HTTP answers."""
from __future__ import annotations

import functools
import json
from typing import Any, Callable

from chalice import Response

from photoshoot.errors import BadRequest, PhotoshootError, Unauthorized
from photoshoot.observability import logger

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}


def json_response(body: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(body=json.dumps(body, ensure_ascii=False),
                    status_code=status, headers={**JSON_HEADERS, **(headers or {})})


def error_response(error: PhotoshootError) -> Response:
    headers = {"Retry-After": "60"} if error.status == 429 else None
    return json_response(error.to_body(), error.status, headers)


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


def read_json(request) -> dict:
    """The request body as a JSON object, or a 400 a person understands."""
    raw = request.raw_body
    if not raw:
        return {}
    try:
        body = json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[…
        raise BadRequest("Тело запроса должно быть корректным JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("Тело запроса должно быть JSON-объектом.")
    return body


def current_user_id(request) -> str:
    """The user id put into the request context by the JWT authorizer."""
    context = (request.context or {}).get("authorizer") or {}
    user_id = context.get("principalId") or context.get("user_id")
    if not user_id:
        raise Unauthorized()
    return str(user_id)


def client_ip(request) -> str:
    identity = (request.context or {}).get("identity") or {}
    return identity.get("sourceIp") or ""
