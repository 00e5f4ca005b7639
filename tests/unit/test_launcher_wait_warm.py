"""``LocalStackProcess.wait_warm``: benchmarks wait for the stack's background warm-up."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from infra.local.launcher import LocalStackProcess


def _stack(tmp_path, command: list[str]) -> LocalStackProcess:
    log = tmp_path / "stack.log"
    log.write_text('{"message": "local stack started"}\n')
    process = subprocess.Popen(command)
    return LocalStackProcess("http://localhost:1", "ws://localhost:2/ws",
                             "http://127.0.0.1:3", {}, process, log)


def test_returns_once_the_warm_up_is_logged(tmp_path):
    stack = _stack(tmp_path, [sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        def warm_later():
            time.sleep(0.3)
            with stack.log_path.open("a") as log:
                log.write('{"message": "warmed up", "seconds": 0.3}\n')

        threading.Thread(target=warm_later).start()
        assert "warmed up" not in stack.logs()
        line = stack.wait_warm(timeout_s=10)
        assert "warmed up" in stack.logs()  # it waited for the line
        assert json.loads(line) == {"message": "warmed up", "seconds": 0.3}
    finally:
        stack.process.kill()
        stack.process.wait()


def test_a_failed_warm_up_does_not_block(tmp_path):
    stack = _stack(tmp_path, [sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with stack.log_path.open("a") as log:
            log.write('{"message": "warm-up failed"}\n')
        assert "warm-up failed" in stack.wait_warm(timeout_s=1)
    finally:
        stack.process.kill()
        stack.process.wait()


def test_a_stack_that_exits_or_never_warms_up_is_an_error(tmp_path):
    exited = _stack(tmp_path, [sys.executable, "-c", "pass"])
    exited.process.wait()
    with pytest.raises(RuntimeError, match="exited"):
        exited.wait_warm(timeout_s=5)
    silent = _stack(tmp_path, [sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with pytest.raises(RuntimeError, match="not warmed up"):
            silent.wait_warm(timeout_s=0.3)
    finally:
        silent.process.kill()
        silent.process.wait()
