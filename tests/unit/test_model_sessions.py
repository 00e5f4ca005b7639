"""PynamoDB connections share one botocore data loader: the DynamoDB service model is parsed
once per process, not once per model class (and thread)."""
from __future__ import annotations

import threading

from botocore.loaders import JSONFileLoader
from pynamodb.connection.base import Connection

from photoshoot.models import base


def test_connections_keep_their_own_session_but_share_the_loaded_models(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    reads: list[str] = []
    original = JSONFileLoader.load_file

    def counting_load_file(self, file_path):
        reads.append(str(file_path))
        return original(self, file_path)

    monkeypatch.setattr(JSONFileLoader, "load_file", counting_load_file)
    connections = [Connection(region="eu-central-1") for _ in range(3)]
    clients = [connection.client for connection in connections]
    elsewhere = Connection(region="eu-central-1")
    thread = threading.Thread(target=lambda: clients.append(elsewhere.client))
    thread.start()
    thread.join()
    connections.append(elsewhere)

    assert len(clients) == 4
    # each connection still has its own session (botocore sessions are not thread-safe)
    assert len({id(connection.session) for connection in connections}) == 4
    loaders = {id(connection.session.get_component("data_loader"))
               for connection in connections}
    assert len(loaders) == 1
    dynamodb_model_reads = [path for path in reads if "dynamodb" in path
                            and path.endswith("service-2")]
    assert len(dynamodb_model_reads) <= 1


def test_pynamodb_uses_the_shared_session_factory():
    import pynamodb.connection.base as pynamodb_connection

    assert pynamodb_connection.get_session is base.session_with_shared_models
