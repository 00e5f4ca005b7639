"""The bot webhook: a pure Lambda behind its own Function URL (payload format 2.0).

Telegram signs nothing; it sends the ``secret_token`` given to ``setWebhook`` in the
``X-Telegram-Bot-Api-Secret-Token`` header, so a request without the exact secret is refused
before its body is read. Updates are de-duplicated by ``update_id``.
"""
from __future__ import annotations

import base64
import hmac
import json

from photoshoot.observability import logger
from photoshoot.settings import get_settings

SECRET_HEADER = "x-telegram-bot-api-secret-token"


def _answer(status: int, body: dict) -> dict:
    return {"statusCode": status, "headers": {"Content-Type": "application/json; charset=utf-8"},
            "body": json.dumps(body, ensure_ascii=False)}


def _error(status: int, code: str, message: str) -> dict:
    return _answer(status, {"error": {"code": code, "message": message}})


def handle(event: dict, context=None) -> dict:
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
    expected = get_settings().telegram_webhook_secret
    received = headers.get(SECRET_HEADER) or ""
    if not expected or not hmac.compare_digest(received.encode(), expected.encode()):
        logger.warning("telegram webhook: bad secret token")
        return _error(401, "invalid_secret", "Неверный секретный токен вебхука.")
    try:
        raw = event.get("body") or ""
        if event.get("isBase64Encoded"):
            raw = base64.b64decode(raw).decode("utf-8")
        update = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "bad_request", "Тело запроса должно быть JSON-объектом Telegram Update.")
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        return _error(400, "bad_request", "В обновлении Telegram нет update_id.")

    from photoshoot.telegram.updates import process_update  # noqa: PLC0415

    result = process_update(update, lambda_context=context)
    if result.get("in_progress"):
        # Another invocation is handling this update right now. Not a 200: if that one then
        # fails (its record is dropped), only Telegram's next delivery would handle it.
        return _error(503, "in_progress", "Это обновление ещё обрабатывается.")
    return _answer(200, {"ok": True, "duplicate": bool(result.get("duplicate"))})
