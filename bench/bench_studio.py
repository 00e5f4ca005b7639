"""Studio renderer benchmark: cut-out time, render time per format, 4×1024² budget, memory.

Run: PYTHONPATH=.:layers .venv/bin/python bench/bench_studio.py  (prints JSON; medians)
"""
from __future__ import annotations

import json
import resource
import statistics
import sys
import time
import tracemalloc

from PIL import Image

from photoshoot.formats import FORMATS
from photoshoot.providers.registry import get_provider, style_spec_for
from photoshoot.providers.studio.specimens import specimen_set

BUDGET_4x1024_S = 3.0
REPEATS = 3


def _median_ms(fn, repeats=REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def main() -> dict:
    provider = get_provider("studio")
    photos = [Image.fromarray(s.image) for s in specimen_set(0) if s.background == "plain"]
    provider.analyze(photos[0])                           # warm the model session
    cutout_ms = [_median_ms(lambda p=p: provider.analyze(p), 2) for p in photos]
    analysis, cutout = provider.analyze(photos[0])
    style = style_spec_for({"style_id": "marble", "title": "Мрамор", "prompt": "marble"}, None)
    per_format = {}
    for fid in FORMATS:
        shot = provider.build_prompt(analysis, style, fid, 1, 1)[0]
        per_format[fid] = _median_ms(lambda s=shot: provider.render(cutout, analysis, s))
    scenes = {}
    for sid in ("studio_sweep", "marble", "wood", "concrete", "linen", "podium", "botanical",
                "water", "kitchen", "bathroom", "festive", "pastel_flatlay"):
        sp = style_spec_for({"style_id": sid, "title": sid, "prompt": sid}, None)
        shot = provider.build_prompt(analysis, sp, "1:1", 1, 2)[0]
        scenes[sid] = _median_ms(lambda s=shot: provider.render(cutout, analysis, s))

    def four_images():
        a, c = provider.analyze(photos[1])
        for shot in provider.build_prompt(a, style, "1:1", 4, 3):
            provider.render(c, a, shot)
    total_ms = _median_ms(four_images)
    tracemalloc.start()
    big = provider.build_prompt(analysis, style, "3:4-hd", 1, 4)[0]
    provider.render(cutout, analysis, big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "cutout_ms_median": statistics.median(cutout_ms),
        "cutout_ms_per_photo": cutout_ms,
        "render_ms_median_by_format": per_format,
        "render_ms_by_scene_1024": scenes,
        "four_1024_images_with_cutout_ms": total_ms,
        "budget_ms": BUDGET_4x1024_S * 1000,
        "ratio_to_budget": round(total_ms / (BUDGET_4x1024_S * 1000), 3),
        "peak_python_alloc_mb_render_1200x1600": round(peak / 2 ** 20, 1),
        "process_max_rss_mb": round(rss_mb, 1),
        "suggested_lambda_memory_mb": int(max(1024, (rss_mb * 1.5 // 128 + 1) * 128)),
    }
    return result


if __name__ == "__main__":
    json.dump(main(), sys.stdout, indent=2)
    sys.stdout.write("\n")
