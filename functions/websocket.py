"""WebSocket handlers: connect (JWT from the query string), disconnect, client messages."""
from __future__ import annotations

import json

from chalice import Response

from photoshoot import realtime
from photoshoot.auth.sessions import authenticate
from photoshoot.errors import PhotoshootError, Unauthorized
from photoshoot.observability import logger


def on_connect(event) -> Response | None:
    params = event.to_dict().get("queryStringParameters") or {}
    try:
        user_id = authenticate(params.get("token") or "")
    except Unauthorized:
        return Response(body="", status_code=401)
    realtime.register_connection(event.connection_id, user_id)
    try:
        # A logout between the check above and the registration would not find this
        # connection to close it: the token is checked again once the connection is listed.
        authenticate(params.get("token") or "")
    except Unauthorized:
        realtime.drop_connection(event.connection_id)
        return Response(body="", status_code=401)
    logger.info("ws connected", extra={"connection_id": event.connection_id})
    return None


def on_disconnect(event) -> None:
    realtime.drop_connection(event.connection_id)


def on_message(event) -> None:
    user_id = realtime.owner_of(event.connection_id)
    if user_id is None:
        return
    try:
        message = json.loads(event.body or "{}")
    except ValueError:
        message = {}
    action = message.get("action") if isinstance(message, dict) else None
    if action == "ping":
        realtime.send_to_connection(event.connection_id, {"type": "pong"})
    elif action == "subscribe":
        _send_current_generation_state(event.connection_id, user_id,
                                       str(message.get("generation_id") or ""))
    else:
        realtime.send_to_connection(event.connection_id, {
            "type": "error", "message": "Неизвестная команда."})


def _send_current_generation_state(connection_id: str, user_id: str, generation_id: str):
    from photoshoot.generation.status import status_message  # noqa: PLC0415

    try:
        message = status_message(user_id, generation_id)
    except PhotoshootError as error:
        message = {"type": "error", "generation_id": generation_id, **error.to_body()}
    realtime.send_to_connection(connection_id, message)
