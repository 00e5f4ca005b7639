"""Unit-test fixtures: in-process moto with tables and bucket built from template.yaml."""
from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from infra.local import moto_atomicity
from infra.resources import create_bucket, create_tables
from photoshoot.settings import get_settings, reset_settings_cache

MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True},
               "lambda": {"use_docker": False}}


@pytest.fixture
def aws():
    """Fresh in-process AWS with every table and the images bucket of the template; DynamoDB
    requests are atomic as in AWS (see infra/local/moto_atomicity.py)."""
    reset_settings_cache()
    settings = get_settings()
    moto_atomicity.install()
    with mock_aws(config=MOTO_CONFIG):
        create_tables(boto3.client("dynamodb", region_name=settings.region),
                      settings.table_prefix)
        create_bucket(boto3.client("s3", region_name=settings.region),
                      settings.images_bucket, settings.region, ["http://localhost:8000"])
        yield settings


@pytest.fixture
def catalogue(aws):
    from photoshoot.catalogue import seed_catalogue

    seed_catalogue()
    return aws


class ApiClient:
    """Calls the Chalice app through ``chalice.test.Client`` with JSON in and out."""

    def __init__(self, client):
        self._client = client

    def request(self, method: str, path: str, body=None, token: str | None = None,
                headers: dict | None = None):
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        payload = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
        response = self._client.http.request(method, path, headers=all_headers,
                                             body=payload or b"")
        response.json = json.loads(response.body) if response.body else None
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


@pytest.fixture
def api(catalogue):
    from chalice.test import Client

    from app import app

    with Client(app) as client:
        yield ApiClient(client)


class _Contention:
    """How many of the next balance transactions DynamoDB cancels for contention."""

    def __init__(self):
        self.remaining = 0
        self.cancelled = 0
        self.code = "TransactionConflict"

    def hold(self, commits: int, code: str = "TransactionConflict") -> None:
        self.remaining = commits
        self.code = code


@pytest.fixture
def contention(monkeypatch):
    """Balance transactions cancelled as DynamoDB cancels them when other transactions hold
    the same items at that instant (every reason ``TransactionConflict``, nothing written),
    for as many commits as ``contention.hold(n)`` says."""
    from pynamodb.exceptions import CancellationReason, TransactWriteError

    from photoshoot import billing

    state = _Contention()

    class Contended(TransactWriteError):
        @property
        def cancellation_reasons(self):
            return [CancellationReason(code=state.code), CancellationReason(code="None")]

    class ContendedTransactWrite(billing.TransactWrite):
        def __exit__(self, exc_type, exc, traceback):
            if exc_type is None and state.remaining > 0:
                state.remaining -= 1
                state.cancelled += 1
                raise Contended("Transaction cancelled: TransactionConflict")
            return super().__exit__(exc_type, exc, traceback)

    monkeypatch.setattr(billing, "TransactWrite", ContendedTransactWrite)
    return state
