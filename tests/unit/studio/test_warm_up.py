"""A long-running process warms the studio renderer up once, off the request path."""
from __future__ import annotations

from photoshoot.providers.studio import saliency_model
from photoshoot.providers.studio.provider import StudioProvider


class CountingSession:
    """The real onnxruntime session, recording the input shape of each run."""

    def __init__(self, session):
        self._session, self.shapes = session, []

    def get_inputs(self):
        return self._session.get_inputs()

    def run(self, outputs, feeds):
        self.shapes.append(next(iter(feeds.values())).shape)
        return self._session.run(outputs, feeds)


def test_warm_up_loads_the_model_and_runs_it_twice(monkeypatch):
    session = CountingSession(saliency_model.load_session())
    monkeypatch.setattr(saliency_model, "load_session", lambda: session)
    StudioProvider().warm_up()
    size = saliency_model.INPUT_SIZE
    # onnxruntime sizes its memory on the first two runs: both happen here
    assert session.shapes == [(1, 3, size, size)] * 2
