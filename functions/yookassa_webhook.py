"""``POST /webhooks/yookassa``: a pure Lambda behind its own Function URL (payload 2.0).

The sender is authenticated by its IP: the TCP peer the Function URL saw
(``requestContext.http.sourceIp``) — unless the request came through our CloudFront
distribution (section 2: ``/webhooks/*`` → CloudFront → Function URL), which it proves with
the origin header ``X-Origin-Verify`` equal to ``CLOUDFRONT_ORIGIN_SECRET``; then the sender
is CloudFront's ``CloudFront-Viewer-Address``, as for the API's per-IP limits
(``functions/http.py``). ``X-Forwarded-For`` is never read: a Function URL passes on only its
leftmost entry — the one the client wrote — so no entry of it names the sender.

Answers: 200 when processed (including duplicates, replays, stale and unknown events — a
non-200 would only make YooKassa redeliver), 403 for a sender outside the allowlist, 400
for a body that is not a notification, 500 when the YooKassa API cannot be reached (so the
notification is redelivered later).
"""
from __future__ import annotations

import base64
import json

from photoshoot import edge
from photoshoot.errors import PhotoshootError
from photoshoot.observability import logger
from photoshoot.payments.notifications import handle_notification


def source_ip(event: dict) -> str:
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    return (edge.viewer_address(headers)
            or ((event.get("requestContext") or {}).get("http") or {}).get("sourceIp") or "")


def _body(event: dict) -> bytes:
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return base64.b64decode(raw)
    return raw.encode("utf-8") if isinstance(raw, str) else raw


def _answer(status: int, body: dict) -> dict:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"},
            "body": json.dumps(body)}


def handle(event: dict, context=None) -> dict:
    method = ((event.get("requestContext") or {}).get("http") or {}).get("method", "POST")
    if method != "POST":
        return _answer(405, {"error": {"code": "method_not_allowed",
                                       "message": "Only POST."}})
    try:
        outcome = handle_notification(_body(event), source_ip(event))
    except PhotoshootError as error:
        if error.status >= 500:
            logger.error("notification not processed, YooKassa will redeliver",
                         extra={"code": error.code})
        return _answer(error.status, error.to_body())
    except Exception:  # noqa: BLE001 - logged; 500 makes YooKassa redeliver
        logger.exception("notification failed")
        return _answer(500, {"error": {"code": "internal_error", "message": "retry later"}})
    return _answer(200, {"status": "ok", "outcome": outcome})
