"""WebSocket connections and pushes through the API Gateway Management API.

Locally the management endpoint is our gateway (infra/local/ws_gateway.py), which speaks the
same HTTP API, so this code is identical in AWS and on a laptop.
"""
from __future__ import annotations

import json
from datetime import timedelta
from functools import lru_cache

from photoshoot.models import Connection
from photoshoot.models.base import utc_now_iso
from photoshoot.observability import logger
from photoshoot.settings import get_settings

CONNECTION_TTL_S = 2 * 3600  # API Gateway closes a WebSocket after 2 h anyway


@lru_cache(maxsize=1)
def _management_client():
    import boto3  # noqa: PLC0415 - created once per warm Lambda, only where pushes happen
    from botocore.config import Config  # noqa: PLC0415

    settings = get_settings()
    return boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=settings.ws_management_endpoint,
        region_name=settings.region,
        config=Config(connect_timeout=2, read_timeout=3, retries={"max_attempts": 2}),
    )


def register_connection(connection_id: str, user_id: str) -> None:
    Connection(connection_id, user_id=user_id, connected_at=utc_now_iso(),
               expires_at=timedelta(seconds=CONNECTION_TTL_S)).save()


def drop_connection(connection_id: str) -> None:
    Connection(connection_id).delete()


def owner_of(connection_id: str) -> str | None:
    try:
        return Connection.get(connection_id).user_id
    except Connection.DoesNotExist:
        return None


def send_to_connection(connection_id: str, message: dict) -> bool:
    """Post one message; a connection that is gone (410) is forgotten. True if delivered."""
    client = _management_client()
    try:
        client.post_to_connection(ConnectionId=connection_id,
                                  Data=json.dumps(message, ensure_ascii=False).encode())
        return True
    except client.exceptions.GoneException:
        drop_connection(connection_id)
        return False
    except Exception:  # noqa: BLE001 - a push is best effort; state is in DynamoDB
        logger.warning("push failed", extra={"connection_id": connection_id}, exc_info=True)
        return False


def push_to_user(user_id: str, message: dict) -> int:
    """Send to every open connection of the user (several tabs); returns deliveries."""
    delivered = 0
    for connection in Connection.user_index.query(user_id):
        delivered += send_to_connection(connection.connection_id, message)
    return delivered


def disconnect_user(user_id: str) -> int:
    """Close every open connection of the user (after a logout: a socket opened with the
    revoked token would go on receiving the account's photoshoots). Returns how many."""
    client = _management_client()
    closed = 0
    for connection in Connection.user_index.query(user_id):
        try:
            client.delete_connection(ConnectionId=connection.connection_id)
            closed += 1
        except client.exceptions.GoneException:
            pass
        except Exception:  # noqa: BLE001 - the token is revoked anyway; a reconnect fails
            logger.warning("connection not closed", extra={
                "connection_id": connection.connection_id}, exc_info=True)
            continue
        drop_connection(connection.connection_id)
    return closed


def push_balance(user_id: str) -> None:
    """Tell the user's open pages their balance after a change they did not ask for from
    that page (a payment, a refunded photoshoot). Best effort: the page reads it anyway."""
    from photoshoot.billing import balance_of  # noqa: PLC0415

    try:
        push_to_user(user_id, {"type": "balance", "balance": balance_of(user_id)})
    except Exception:  # noqa: BLE001 - a push is best effort; the balance is in DynamoDB
        logger.warning("balance push failed", extra={"user_id": user_id}, exc_info=True)
