"""The local stack as a subprocess (``python -m infra.local.stack``) on free ports, shared by
the integration tests of a session."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 60


@dataclass
class LocalStackProcess:
    base_url: str
    ws_url: str
    moto_url: str
    env: dict
    process: subprocess.Popen
    log_path: Path

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as answer:  # noqa: S310 - loopback
            return answer.status == 200
    except OSError:
        return False


def start_local_stack(extra_env: dict | None = None) -> LocalStackProcess:
    from photoshoot.settings import get_settings, reset_settings_cache

    reset_settings_cache()
    port, ws_port, moto_port = free_ports(3)
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    env.update({
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "layers")]),
        "PORT": str(port), "WS_PORT": str(ws_port), "MOTO_PORT": str(moto_port),
        "LOCAL_ENV_FILE": "",  # hermetic: a developer's .env must not leak into tests
        "JWT_SECRET": get_settings().jwt_secret,  # so the tests can mint tokens
        "LOCAL_SCHEDULE_INTERVAL_S": "1", "LOCAL_SFN_TIME_SCALE": "0.01",
        "POWERTOOLS_LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    })
    for derived in ("PUBLIC_BASE_URL", "WS_PUBLIC_URL", "WS_MANAGEMENT_ENDPOINT",
                    "TELEGRAM_API_BASE", "YOOKASSA_API_BASE", "STATE_MACHINE_ARN"):
        env.pop(derived, None)
    log_file = tempfile.NamedTemporaryFile(prefix="local-stack-", suffix=".log", delete=False)
    process = subprocess.Popen([sys.executable, "-m", "infra.local.stack"], cwd=ROOT, env=env,
                               stdout=log_file, stderr=subprocess.STDOUT)
    stack = LocalStackProcess(base_url=f"http://localhost:{port}",
                              ws_url=f"ws://localhost:{ws_port}/ws",
                              moto_url=f"http://127.0.0.1:{moto_port}", env=env,
                              process=process, log_path=Path(log_file.name))
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"local stack exited with {process.returncode}:\n{stack.logs()}")
        if _healthy(f"{stack.base_url}/api/health"):
            return stack
        time.sleep(0.2)
    stop_local_stack(stack)
    raise RuntimeError(f"local stack not healthy after {STARTUP_TIMEOUT_S} s:\n{stack.logs()}")


def stop_local_stack(stack: LocalStackProcess, timeout: float = 10.0) -> int:
    if stack.process.poll() is None:
        stack.process.terminate()
        try:
            stack.process.wait(timeout)
        except subprocess.TimeoutExpired:
            stack.process.kill()
            stack.process.wait()
    return stack.process.returncode


@pytest.fixture(scope="session")
def local_stack():
    stack = start_local_stack()
    yield stack
    stop_local_stack(stack)
    stack.log_path.unlink(missing_ok=True)
