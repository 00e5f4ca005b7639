"""The Telegram sandbox served over real HTTP on a free port at ``/sandbox/telegram`` (as the
local stack mounts it), with the settings pointed at it: the bot client talks to it exactly
as it talks to Telegram."""
from __future__ import annotations

import threading

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from infra.sandboxes.telegram import TelegramSandbox
from photoshoot.settings import reset_settings_cache

PREFIX = "/sandbox/telegram"


class SandboxServer:
    def __init__(self) -> None:
        self.sandbox = TelegramSandbox()
        self.server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.api_base = f"{self.base_url}{PREFIX}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return Response("not found", status=404)(environ, start_response)
        environ = {**environ, "SCRIPT_NAME": PREFIX, "PATH_INFO": path[len(PREFIX):] or "/"}
        return self.sandbox(environ, start_response)

    def get(self, path: str, **params) -> requests.Response:
        return requests.get(f"{self.api_base}{path}", params=params, timeout=10)

    def calls(self, method: str | None = None) -> list[dict]:
        query = {"method": method} if method else {}
        return self.get("/calls", **query).json()["calls"]

    def profile(self) -> dict:
        return self.get("/profile").json()


@pytest.fixture
def sandbox_server(monkeypatch):
    """The sandbox, and settings whose Bot API is it and whose site is plain HTTP (the local
    stack's); a test may set PUBLIC_BASE_URL to an https site and reset the settings."""
    served = SandboxServer()
    monkeypatch.setenv("PUBLIC_BASE_URL", served.base_url)
    monkeypatch.setenv("TELEGRAM_API_BASE", served.api_base)
    reset_settings_cache()
    yield served
    served.server.shutdown()
    reset_settings_cache()
