"""Start ``python -m infra.local.stack`` as a child process on free ports and wait until it
answers — for the integration tests, the browser tests and the benchmarks."""
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

from infra.local.environment import ROOT

# Variables derived from the ports inside the child; inherited values would point elsewhere.
DERIVED = ("AWS_ENDPOINT_URL", "PUBLIC_BASE_URL", "WS_PUBLIC_URL", "WS_MANAGEMENT_ENDPOINT",
           "TELEGRAM_API_BASE", "YOOKASSA_API_BASE", "STATE_MACHINE_ARN")


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

    def wait_warm(self, timeout_s: float = 60.0) -> str:
        """Wait for the stack's background warm-up (renderer, AWS clients) to finish:
        steady-state measurements must not share the cores with it. Returns the log line
        that says how it ended ("warmed up" or "warm-up failed")."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for line in self.logs().splitlines():
                if '"message": "warmed up"' in line or '"message": "warm-up failed"' in line:
                    return line
            if self.process.poll() is not None:
                raise RuntimeError(f"local stack exited with {self.process.returncode}")
            time.sleep(0.1)
        raise RuntimeError(f"local stack not warmed up after {timeout_s:.0f} s")


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


def start(extra_env: dict | None = None, timeout_s: float = 60.0,
          module: str = "infra.local.stack") -> LocalStackProcess:
    """``module``: what ``python -m`` runs — the stack, or a benchmark's variant of it."""
    port, ws_port, moto_port = free_ports(3)
    env = {k: v for k, v in os.environ.items() if k not in DERIVED}
    env.update({
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "layers")]),
        "PORT": str(port), "WS_PORT": str(ws_port), "MOTO_PORT": str(moto_port),
        "LOCAL_ENV_FILE": "",  # hermetic: a developer's .env must not leak in
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    })
    log_file = tempfile.NamedTemporaryFile(prefix="local-stack-", suffix=".log", delete=False)
    process = subprocess.Popen([sys.executable, "-m", module], cwd=ROOT, env=env,
                               stdout=log_file, stderr=subprocess.STDOUT)
    log_file.close()
    stack = LocalStackProcess(base_url=f"http://localhost:{port}",
                              ws_url=f"ws://localhost:{ws_port}/ws",
                              moto_url=f"http://127.0.0.1:{moto_port}", env=env,
                              process=process, log_path=Path(log_file.name))
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"local stack exited with {process.returncode}:\n{stack.logs()}")
        if _healthy(f"{stack.base_url}/api/health"):
            return stack
        time.sleep(0.2)
    stop(stack)
    raise RuntimeError(f"local stack not healthy after {timeout_s:.0f} s:\n{stack.logs()}")


def stop(stack: LocalStackProcess, timeout_s: float = 10.0) -> int:
    if stack.process.poll() is None:
        stack.process.terminate()
        try:
            stack.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            stack.process.kill()
            stack.process.wait()
    return stack.process.returncode
