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


class QuickProvider(ScriptedProvider):
    """Real analysis and shot plans, but each render is a flat frame of the right size: for
    money-path tests where the pixels do not matter and many runs must finish quickly."""

    def render(self, cutout, analysis, shot):
        from PIL import Image

        from photoshoot.providers.contract import GeneratedImage

        self._enter("render")
        return GeneratedImage(Image.new("RGB", (shot.width, shot.height), (240, 240, 240)),
                              provider="studio", latency_ms=1)


class AsyncQuickProvider(QuickProvider):
    """An asynchronous provider (``capabilities.async_``): ``start_render`` returns a job id,
    ``poll_render`` answers None ``polls_needed - 1`` times, then the image."""

    def __init__(self, polls_needed: int = 3):
        super().__init__()
        from dataclasses import replace

        self.capabilities = replace(self.capabilities, async_=True)
        self.polls_needed = polls_needed
        self.polls: dict[str, int] = {}

    def start_render(self, cutout, analysis, shot):
        self._enter("start_render")
        return f"job-{shot.index}"

    def poll_render(self, job_id, cutout, analysis, shot):
        with self._lock:
            self.polls[job_id] = self.polls.get(job_id, 0) + 1
            ready = self.polls[job_id] >= self.polls_needed
        return QuickProvider.render(self, cutout, analysis, shot) if ready else None
