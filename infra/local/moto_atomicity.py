"""Make moto's DynamoDB answer each request atomically, as DynamoDB does.

moto (pinned 5.2.5) is not thread-safe for DynamoDB: a TransactWriteItems deep-copies the
tables while another thread writes ("dictionary changed size during iteration"), and two
concurrent transactions can both pass their conditions. Our money paths rely on DynamoDB's
per-request atomicity, so the local stack and the unit tests serialise moto's DynamoDB
request handling; concurrency tests then exercise our conditions, not moto's threading.
"""
from __future__ import annotations

import threading

import moto
from moto.dynamodb.responses import DynamoHandler

PINNED_MOTO = "5.2.5"
_lock = threading.RLock()
_original_call_action = DynamoHandler.call_action


def _serialised_call_action(self):
    with _lock:
        return _original_call_action(self)


def install() -> None:
    if moto.__version__ != PINNED_MOTO:
        raise RuntimeError(f"moto_atomicity is written for moto {PINNED_MOTO}, "
                           f"found {moto.__version__}: re-check DynamoHandler.call_action")
    DynamoHandler.call_action = _serialised_call_action


def uninstall() -> None:
    DynamoHandler.call_action = _original_call_action
