"""glibc malloc settings for the local stack's one long-lived process.

In AWS each Lambda is its own small process. Locally every Lambda, moto and both gateways
are threads of one process, and with glibc's defaults that costs the renderer dearly: new
invocation threads land in different malloc arenas, and the renderer's large arrays are
mmapped and handed back to the kernel after each use, so every photoshoot faulted ~40 000
fresh pages in again (0.13–0.3 s of kernel time per 4-image run, measured with
``bench/bench_generation.py``; the bare renderer: ~0.05 s). One arena, no trimming and
glibc's highest mmap threshold keep that memory for reuse, as a warm Lambda keeps its own.

glibc reads ``GLIBC_TUNABLES`` only when a process starts, so the stack re-executes itself
once with them set. Values the developer already set are kept; other C libraries ignore the
variable.
"""
from __future__ import annotations

import os
import sys

TUNABLES = {
    "glibc.malloc.arena_max": "1",
    "glibc.malloc.trim_threshold": str(1 << 30),
    "glibc.malloc.mmap_threshold": str(32 << 20),  # the largest glibc accepts (64-bit)
}


def with_tunables(current: str | None) -> str:
    """``current`` (a ``GLIBC_TUNABLES`` value) with ours added where not already set."""
    entries = [entry for entry in (current or "").split(":") if entry]
    present = {entry.split("=", 1)[0] for entry in entries}
    entries += [f"{name}={value}" for name, value in TUNABLES.items() if name not in present]
    return ":".join(entries)


def reexec_with_tunables() -> None:
    """Replace this process by the same command with the tunables set (same PID, so
    launchers and signals are unaffected); returns at once when they already are."""
    if not sys.platform.startswith("linux") or not sys.executable:
        return
    previous = os.environ.get("GLIBC_TUNABLES")
    wanted = with_tunables(previous)
    if previous == wanted:
        return
    os.environ["GLIBC_TUNABLES"] = wanted
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
    except OSError:  # still the same process: run on with glibc's defaults, just slower
        if previous is None:
            del os.environ["GLIBC_TUNABLES"]
        else:
            os.environ["GLIBC_TUNABLES"] = previous
