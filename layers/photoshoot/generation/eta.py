"""ETAs from the recent median duration of each step, kept in the ``stats`` table.

Each finished run records how long its steps took. Per ``<provider>#<step>`` the last
``SAMPLES`` durations live in a ring of items (partition ``eta``, sort key
``<provider>#<step>#sNN``) whose slot comes from an atomic sequence counter, so concurrent
runs never lose a sample and the table never grows. A warm Lambda caches the medians briefly.
"""
from __future__ import annotations

import math
import statistics
import time

from photoshoot.models import StatCounter
from photoshoot.observability import logger

PARTITION = "eta"
SAMPLES = 15
CACHE_TTL_S = 30.0
# Until a provider has history: what the studio renderer takes on 2 cores (seconds).
DEFAULT_S = {"analyze": 1.5, "prompt": 0.2, "render": 1.2, "finalize": 0.3}
_cache: dict[str, tuple[float, dict[str, float]]] = {}


def record_durations(provider: str, durations: dict[str, float]) -> None:
    """Add one run's step durations (seconds) to the samples."""
    for step, seconds in durations.items():
        if seconds is None or seconds < 0:
            continue
        try:
            sequence = StatCounter(PARTITION, f"{provider}#{step}#seq")
            sequence.update(actions=[StatCounter.value.add(1)])
            slot = int(sequence.value) % SAMPLES
            StatCounter(PARTITION, f"{provider}#{step}#s{slot:02d}",
                        value=int(round(seconds * 1000))).save()
        except Exception:  # noqa: BLE001 - an ETA sample is never worth failing a run for
            logger.warning("eta sample not recorded", extra={"step": step}, exc_info=True)
    _cache.pop(provider, None)


def medians(provider: str) -> dict[str, float]:
    """Median seconds per step for this provider (defaults where there is no history)."""
    now = time.monotonic()
    hit = _cache.get(provider)
    if hit and now - hit[0] < CACHE_TTL_S:
        return hit[1]
    samples: dict[str, list[float]] = {}
    try:
        for item in StatCounter.query(PARTITION, StatCounter.metric.startswith(f"{provider}#")):
            _, step, slot = item.metric.split("#", 2)
            if slot.startswith("s"):
                samples.setdefault(step, []).append(float(item.value) / 1000)
    except Exception:  # noqa: BLE001 - fall back to defaults rather than fail a status write
        logger.warning("eta samples unavailable", exc_info=True)
    result = dict(DEFAULT_S)
    result.update({step: statistics.median(values) for step, values in samples.items()
                   if values})
    _cache[provider] = (now, result)
    return result


def remaining_seconds(provider: str, step: str, images_done: int, image_count: int,
                      concurrency: int) -> int:
    """Seconds left from the start of ``step`` (or, in ``generate``, with ``images_done``)."""
    m = medians(provider)
    rounds_left = math.ceil(max(0, image_count - images_done) / max(1, concurrency))
    render_left = rounds_left * m["render"]
    if step in ("upload", "analyze"):
        total = m["analyze"] + m["prompt"] + render_left + m["finalize"]
    elif step == "prompt":
        total = m["prompt"] + render_left + m["finalize"]
    elif step == "generate":
        total = render_left + m["finalize"]
    else:
        return 0
    return max(1, math.ceil(total))


def clear_cache() -> None:
    _cache.clear()
