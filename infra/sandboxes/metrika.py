"""A local Yandex.Metrika Management API: the offline-conversions upload and its listings.

Mounted by the local stack at ``/sandbox/metrika`` (``infra/local/routes.py``), so
``METRIKA_API_BASE=http://localhost:$PORT/sandbox/metrika`` switches the scheduled upload
from Metrika to it.

- ``POST /management/v1/counter/{counterId}/offline_conversions/upload?client_id_type=…`` —
  ``Authorization: OAuth <token>`` (the configured ``METRIKA_TOKEN``), multipart/form-data
  with the CSV in the field ``file`` (UTF-8). The header row must name ``Target``,
  ``DateTime`` and the identifier column of ``client_id_type`` (``ClientId`` for
  ``CLIENT_ID``, ``UserId`` for ``USER_ID``, ``Yclid`` for ``YCLID``); ``DateTime`` is unix
  seconds and may not be in the future; ``Price`` a decimal; ``Currency`` three letters.
  Answers ``{"uploading": {id, create_time, source_quantity, line_quantity, comment, type,
  client_id_type, status}}`` — or Metrika's error envelope ``{errors: [{error_type,
  message}], code, message}``.
- ``GET /management/v1/counter/{counterId}/offline_conversions/uploadings`` — the uploads.
- ``GET /uploads`` — every accepted upload with its parsed rows (for tests and people);
  ``POST /test/faults {"statuses": [500]}`` makes the next uploads fail with those statuses;
  ``DELETE /uploads`` forgets them.

State is in memory; the process is the sandbox.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
import time
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from infra.sandboxes.routing import RoutedSandbox

ID_COLUMNS = {"CLIENT_ID": "ClientId", "USER_ID": "UserId", "YCLID": "Yclid"}
KNOWN_COLUMNS = {"ClientId", "UserId", "Yclid", "PurchaseId", "Target", "DateTime", "Price",
                 "Currency"}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COUNTER = re.compile(r"^\d{1,12}$")


class MetrikaError(Exception):
    def __init__(self, status: int, error_type: str, message: str):
        super().__init__(message)
        self.status, self.error_type, self.message = status, error_type, message

    def response(self) -> Response:
        return _json({"errors": [{"error_type": self.error_type, "message": self.message}],
                      "code": self.status, "message": self.message}, self.status)


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")


class MetrikaSandbox(RoutedSandbox):
    api_error = MetrikaError

    """WSGI app; ``token`` defaults to ``$METRIKA_TOKEN`` read at request time."""

    def __init__(self, token: str | None = None):
        self._token = token
        self._lock = threading.Lock()
        self.uploads: list[dict] = []
        self.fail_next: list[int] = []
        self.url_map = Map([
            Rule("/management/v1/counter/<counter_id>/offline_conversions/upload",
                 methods=["POST"], endpoint="upload"),
            Rule("/management/v1/counter/<counter_id>/offline_conversions/uploadings",
                 methods=["GET"], endpoint="uploadings"),
            Rule("/uploads", methods=["GET"], endpoint="list_uploads"),
            Rule("/uploads", methods=["DELETE"], endpoint="reset"),
            Rule("/test/faults", methods=["POST"], endpoint="faults"),
        ], strict_slashes=False)

    @property
    def token(self) -> str:
        return self._token if self._token is not None else os.environ.get("METRIKA_TOKEN", "")


    # --- the API --------------------------------------------------------------------------
    def _authenticate(self, request: Request) -> None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "OAuth" or not token or not self.token or token != self.token:
            raise MetrikaError(403, "invalid_token", "Invalid oauth_token")

    def upload(self, request: Request, counter_id: str) -> Response:
        self._authenticate(request)
        if not _COUNTER.match(counter_id):
            raise MetrikaError(400, "invalid_parameter", "Wrong counter id")
        client_id_type = request.args.get("client_id_type", "USER_ID")
        if client_id_type not in ID_COLUMNS:
            raise MetrikaError(400, "invalid_parameter",
                               f"Unknown client_id_type {client_id_type}")
        upload_type = request.args.get("type", "BASIC")
        comment = request.args.get("comment", "")
        if len(comment) > 255:
            raise MetrikaError(400, "invalid_parameter", "Comment is longer than 255 characters")
        if not (request.content_type or "").startswith("multipart/form-data"):
            raise MetrikaError(400, "invalid_parameter", "Expected multipart/form-data")
        file = request.files.get("file")
        if file is None:
            raise MetrikaError(400, "invalid_parameter", "File is not present")
        try:
            text = file.read().decode("utf-8")
        except UnicodeDecodeError:
            raise MetrikaError(400, "invalid_uploading", "File must be UTF-8") from None
        rows = _parse_csv(text, ID_COLUMNS[client_id_type])
        with self._lock:
            if self.fail_next:
                status = self.fail_next.pop(0)
                raise MetrikaError(status, "backend_error", "Injected failure")
            uploading = {
                "id": len(self.uploads) + 1,
                "create_time": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "source_quantity": len(rows), "line_quantity": len(rows),
                "comment": comment, "type": upload_type, "client_id_type": client_id_type,
                "status": "UPLOADED"}
            self.uploads.append({**uploading, "counter_id": counter_id, "rows": rows,
                                 "csv": text})
        return _json({"uploading": uploading})

    def uploadings(self, request: Request, counter_id: str) -> Response:
        self._authenticate(request)
        with self._lock:
            items = [{k: v for k, v in u.items() if k not in ("rows", "csv", "counter_id")}
                     for u in self.uploads if u["counter_id"] == counter_id]
        return _json({"uploadings": items})

    # --- test hooks -------------------------------------------------------------------------
    def list_uploads(self, request: Request) -> Response:
        counter_id = request.args.get("counter_id")
        with self._lock:
            items = [u for u in self.uploads if not counter_id or u["counter_id"] == counter_id]
        return _json({"uploads": items})

    def reset(self, request: Request) -> Response:
        with self._lock:
            self.uploads.clear()
            self.fail_next.clear()
        return _json({"ok": True})

    def faults(self, request: Request) -> Response:
        body = request.get_json(silent=True) or {}
        statuses = [int(s) for s in body.get("statuses", [])]
        with self._lock:
            self.fail_next.extend(statuses)
        return _json({"fail_next": list(self.fail_next)})


def _parse_csv(text: str, id_column: str) -> list[dict]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        raise MetrikaError(400, "invalid_uploading", "File is empty")
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in KNOWN_COLUMNS]
    if unknown:
        raise MetrikaError(400, "invalid_uploading", f"Unknown columns: {', '.join(unknown)}")
    for required in (id_column, "Target", "DateTime"):
        if required not in header:
            raise MetrikaError(400, "invalid_uploading", f"Column {required} is required")
    now = time.time()
    rows = []
    for number, values in enumerate(reader, start=2):
        if not values:
            continue
        if len(values) != len(header):
            raise MetrikaError(400, "invalid_uploading", f"Line {number}: wrong column count")
        row = dict(zip(header, (v.strip() for v in values)))
        if not row[id_column] or not row["Target"]:
            raise MetrikaError(400, "invalid_uploading", f"Line {number}: empty identifier")
        try:
            moment = int(row["DateTime"])
        except ValueError:
            raise MetrikaError(400, "invalid_uploading",
                               f"Line {number}: DateTime must be a unix timestamp") from None
        if moment > now + 5:
            raise MetrikaError(400, "invalid_uploading",
                               f"Line {number}: DateTime is in the future")
        if row.get("Price"):
            try:
                Decimal(row["Price"])
            except InvalidOperation:
                raise MetrikaError(400, "invalid_uploading",
                                   f"Line {number}: Price must be a number") from None
        if row.get("Currency") and not _CURRENCY.match(row["Currency"]):
            raise MetrikaError(400, "invalid_uploading",
                               f"Line {number}: Currency must be a three-letter code")
        rows.append(row)
    if not rows:
        raise MetrikaError(400, "invalid_uploading", "File has no conversions")
    return rows


app = MetrikaSandbox()
