"""Providers for pipeline-only behaviours: the real studio renderer wrapped so that a test
can make a step fail, count attempts, or hold a step until the test releases it."""
from __future__ import annotations

import threading

from photoshoot.providers.studio.provider import StudioProvider


class ScriptedProvider(StudioProvider):
    """The studio provider, with hooks per method: ``fail[method]`` is an exception class
    raised on every call (or the first ``fail_times[method]`` calls); ``hold[method]`` is
    an Event the call waits for."""

    def __init__(self):
        self.calls: dict[str, int] = {}
        self.fail: dict[str, type[Exception]] = {}
        self.fail_times: dict[str, int] = {}
        self.hold: dict[str, threading.Event] = {}
        self.entered: dict[str, threading.Event] = {}
        self.render_attempts: dict[int, int] = {}  # shot index → calls
        self._lock = threading.Lock()

    def _enter(self, method: str) -> None:
        with self._lock:
            self.calls[method] = self.calls.get(method, 0) + 1
            attempt = self.calls[method]
        self.entered.setdefault(method, threading.Event()).set()
        if method in self.hold:
            self.hold[method].wait(30)
        if method in self.fail:
            limit = self.fail_times.get(method)
            if limit is None or attempt <= limit:
                raise self.fail[method](f"scripted {method} failure #{attempt}")

    def analyze(self, image):
        self._enter("analyze")
        return super().analyze(image)

    def build_prompt(self, analysis, style, format_id, count, seed):
        self._enter("build_prompt")
        return super().build_prompt(analysis, style, format_id, count, seed)

    def render(self, cutout, analysis, shot):
        with self._lock:
            self.render_attempts[shot.index] = self.render_attempts.get(shot.index, 0) + 1
        self._enter("render")
        return super().render(cutout, analysis, shot)


def install(monkeypatch, provider) -> None:
    from photoshoot.providers import registry

    monkeypatch.setattr(registry, "get_provider", lambda name=None: provider)
