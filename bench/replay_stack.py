"""The local stack with the studio renderer's work replayed: ``python -m bench.replay_stack``.

For ``bench_generation.py``: what does the pipeline cost by itself? The first ``analyze``
and the first ``render`` of each shot size and index are computed as usual; later calls
return those results at once (a copy of the cut-out, the same image). Everything around
the renderer — upload validation, the state machine, S3 and DynamoDB, encoding and storing
the JPEGs, the status pushes — runs exactly as in ``make run``.
"""
from __future__ import annotations

import sys
import threading

from infra.local.allocator import reexec_with_tunables
from infra.local.environment import prepare_environment


def replay_renderer() -> None:
    from photoshoot.providers.studio.provider import StudioProvider  # noqa: PLC0415

    analyze, render = StudioProvider.analyze, StudioProvider.render
    analysed: list = []
    rendered: dict = {}
    lock = threading.Lock()

    def replayed_analyze(self, image):
        with lock:
            if not analysed:
                analysed.append(analyze(self, image))
        analysis, cutout = analysed[0]
        return analysis, cutout.copy()

    def replayed_render(self, cutout, analysis, shot):
        key = (shot.format_id, shot.width, shot.height, shot.index)
        if key not in rendered:
            rendered[key] = render(self, cutout, analysis, shot)
        return rendered[key]

    StudioProvider.analyze = replayed_analyze
    StudioProvider.render = replayed_render


if __name__ == "__main__":
    reexec_with_tunables()  # as stack.main() would, before the work below is repeated
    prepare_environment()  # before photoshoot's models read the endpoint
    replay_renderer()
    from infra.local import stack  # noqa: PLC0415

    exit_code = stack.main()
    sys.stdout.flush()
    sys.exit(exit_code)
