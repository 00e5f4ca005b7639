"""Process environment of the local stack, prepared before anything reads settings.

PynamoDB models read ``AWS_ENDPOINT_URL`` and the table prefix when ``app.py`` is imported,
so :func:`prepare_environment` must run first. Real environment variables win over ``.env``;
``.env`` wins over the local defaults below.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from photoshoot.settings import YOOKASSA_PUBLISHED_RANGES

ROOT = Path(__file__).resolve().parents[2]

# Fake credentials: moto accepts anything, and a real key must never be used by accident.
_LOCAL_DEFAULTS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "AWS_DEFAULT_REGION": "eu-central-1",
    "STAGE": "local",
    "PORT": "8000",
    "WS_PORT": "8001",
    "MOTO_PORT": "8002",
    "LOCAL_SCHEDULE_INTERVAL_S": "60",
    "LOCAL_SFN_TIME_SCALE": "1",
    "POWERTOOLS_LOG_LEVEL": "INFO",
    # The YooKassa sandbox posts its notifications from this machine.
    "YOOKASSA_ALLOWED_IPS": f"{YOOKASSA_PUBLISHED_RANGES},127.0.0.1/32,::1/128",
}


@dataclass(frozen=True)
class LocalPorts:
    host: str
    port: int
    ws_port: int
    moto_port: int

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://localhost:{self.ws_port}/ws"

    @property
    def moto_url(self) -> str:
        return f"http://127.0.0.1:{self.moto_port}"


def loopback_twin(url: str) -> str:
    """The same loopback address spelt the other way (``localhost`` ↔ ``127.0.0.1``):
    browsers treat them as different origins, moto's Step Functions calls Lambda at
    ``localhost`` while our clients use ``127.0.0.1``."""
    if "//localhost" in url:
        return url.replace("//localhost", "//127.0.0.1", 1)
    return url.replace("//127.0.0.1", "//localhost", 1)


def load_dotenv_file() -> Path | None:
    """Load ``.env`` (or ``$LOCAL_ENV_FILE``; empty disables) without overriding real env."""
    configured = os.environ.get("LOCAL_ENV_FILE")
    if configured == "":
        return None
    path = Path(configured) if configured else ROOT / ".env"
    if not path.is_file():
        return None
    from dotenv import load_dotenv  # noqa: PLC0415 - only the stack needs it

    load_dotenv(path, override=False)
    return path


def prepare_environment() -> LocalPorts:
    """Set every variable the app and moto read; returns the ports to serve on."""
    load_dotenv_file()
    for name, value in _LOCAL_DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("AWS_REGION", os.environ["AWS_DEFAULT_REGION"])
    ports = LocalPorts(host=os.environ.get("LOCAL_BIND_HOST", "127.0.0.1"),
                       port=int(os.environ["PORT"]), ws_port=int(os.environ["WS_PORT"]),
                       moto_port=int(os.environ["MOTO_PORT"]))
    # The local stack *is* moto: every AWS client of the app goes to our server.
    os.environ["AWS_ENDPOINT_URL"] = ports.moto_url
    # moto's Step Functions interpreter calls Lambda at http://localhost:$MOTO_PORT.
    os.environ["MOTO_PORT"] = str(ports.moto_port)
    return ports
