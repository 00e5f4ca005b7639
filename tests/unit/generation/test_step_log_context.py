"""A step's log lines name its generation and step; no other line does — not a later API
request's, not another photoshoot's running at the same time (the local stack runs every
function as a thread of one process)."""
from __future__ import annotations

import json
import logging
import threading

import pytest

from functions import generation_steps
from photoshoot.generation import steps
from photoshoot.observability import logger


class _Lines(logging.Handler):
    """Each record as the Lambda writes it, made when it is logged (keys are read then)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(logger.registered_formatter.format(record)))

    def saying(self, message: str) -> list[dict]:
        return [line for line in self.lines if line.get("message") == message]


@pytest.fixture
def written():
    handler = _Lines()
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_a_steps_keys_are_on_its_lines_only(monkeypatch, written):
    monkeypatch.setattr(steps, "analyze", lambda event: logger.warning("inside") or {})

    generation_steps.analyze({"user_id": "1", "generation_id": "G1"})
    logger.warning("after")

    inside, = written.saying("inside")
    after, = written.saying("after")
    assert (inside["generation_id"], inside["step"]) == ("G1", "analyze")
    assert "generation_id" not in after and "step" not in after


def test_two_photoshoots_at_once_keep_their_own_ids(monkeypatch, written):
    both_inside = threading.Barrier(2, timeout=10)

    def render(event):
        both_inside.wait()  # each logs while the other's keys are set too
        logger.warning("rendering")
        both_inside.wait()
        return {}

    monkeypatch.setattr(steps, "render", render)
    threads = [threading.Thread(target=generation_steps.render,
                                args=({"user_id": "1", "generation_id": gid, "index": 0},))
               for gid in ("G1", "G2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    lines = written.saying("rendering")
    assert sorted(line["generation_id"] for line in lines) == ["G1", "G2"]
    assert {line["step"] for line in lines} == {"render"}
