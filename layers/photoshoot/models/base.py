"""Shared PynamoDB configuration: table names and endpoint come from settings, and one
botocore data loader for every model's connection."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pynamodb.connection.base as pynamodb_connection
from botocore.session import Session, get_session

from photoshoot.settings import aws_location

_loader_lock = threading.Lock()
_shared_loader = None


def session_with_shared_models() -> Session:
    """A new botocore session (PynamoDB keeps one per model connection and thread) whose
    service models come from one loader shared by all of them. Each fresh session would
    parse the DynamoDB model and endpoint rules again: ~50 ms of CPU for the first use of
    every model class in a cold Lambda, ~8 ms with the shared loader."""
    global _shared_loader
    session = get_session()
    with _loader_lock:
        if _shared_loader is None:
            _shared_loader = session.get_component("data_loader")
        else:
            session.register_component("data_loader", _shared_loader)
    return session


# PynamoDB 6.1 creates its sessions with this module-level name (connection/base.py).
pynamodb_connection.get_session = session_with_shared_models


def table_meta(short_name: str) -> type:
    """Build a PynamoDB ``Meta`` for the table ``<TABLE_PREFIX><short_name>``.

    ``host`` is set only when ``AWS_ENDPOINT_URL`` points at a local moto server; in AWS and
    under in-process ``mock_aws`` it stays unset so boto's regional endpoint is used.
    """
    location = aws_location()
    attrs = {"table_name": location.table_name(short_name), "region": location.region}
    if location.aws_endpoint_url:
        attrs["host"] = location.aws_endpoint_url
    return type("Meta", (), attrs)


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
