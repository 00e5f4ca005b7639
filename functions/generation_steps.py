"""The ``generation`` state machine's Lambda handlers: one per state, each only sets up the
log context and calls its step in ``photoshoot.generation.steps``. Exceptions propagate on
purpose: their class names (``ProviderTimeout``, ``LowMaskQuality`` …) are what the state
machine's Retry and Catch route on."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from photoshoot.observability import logger


@contextmanager
def _context(event: dict, step: str) -> Iterator[None]:
    """The invocation's generation and step on its log lines, and on nothing after: the
    local stack runs every function as threads of one process, where plain ``append_keys``
    put one photoshoot's id on another's (and on API requests') lines."""
    logger.thread_safe_append_keys(generation_id=(event or {}).get("generation_id"),
                                   step=step)
    try:
        yield
    finally:
        logger.thread_safe_remove_keys(["generation_id", "step"])


def analyze(event: dict) -> dict:
    from photoshoot.generation import steps  # noqa: PLC0415

    with _context(event, "analyze"):
        return steps.analyze(event)


def build_prompt(event: dict) -> dict:
    from photoshoot.generation import steps  # noqa: PLC0415

    with _context(event, "prompt"):
        return steps.build_prompt(event)


def render(event: dict) -> dict:
    from photoshoot.generation import steps  # noqa: PLC0415

    with _context(event, "render"):
        return steps.render(event)


def start_render(event: dict) -> dict:
    from photoshoot.generation import steps  # noqa: PLC0415

    with _context(event, "start_render"):
        return steps.start_render(event)


def poll_render(event: dict) -> dict:
    from photoshoot.generation import steps  # noqa: PLC0415

    with _context(event, "poll_render"):
        return steps.poll_render(event)


def finalize(event: dict) -> dict:
    from photoshoot.generation import steps  # noqa: PLC0415

    with _context(event, "finalize"):
        return steps.finalize(event)


def fail(event: dict) -> dict:
    from photoshoot.generation import steps  # noqa: PLC0415

    with _context(event, "fail"):
        return steps.fail(event)


def reconcile(event: dict) -> dict:
    from photoshoot.generation.reconcile import reconcile_execution  # noqa: PLC0415

    with _context((event or {}).get("detail") or {}, "reconcile"):
        return reconcile_execution(event)
