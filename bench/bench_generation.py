"""A 4-image studio photoshoot through the whole local stack vs the renderer's own compute.

Budgets (ARCHITECTURE.md §8): wall time of the run (POST /api/generations → the final
``generation.status`` on a WebSocket client) ≤ 1.2 × the renderer's own compute for the same
work (analyze + plan + the same 4 shots with the same Map concurrency, in one process with
no pipeline around it), measured in pairs right after each run. Also reports the time from
"generate" to the first image on the client. The machine may be shared: read the per-run
ratios, not only the median.

CPU is reported beside the wall times: the local stack's process CPU from POST to the final
status, and the bare renderer's process CPU for the same shots. ``cpu_floor_ratio`` is the
ratio the run could not beat even if every core were busy the whole time (stack CPU ÷ cores ÷
the bare wall time): when it is near the budget, what is left is the emulators' own work on
the cores the renders need, not waiting. ``pipeline_only_*`` repeats the runs on a stack
whose renderer replays its first results at once (``bench/replay_stack.py``): what the
pipeline costs with (almost) no rendering in it.
``python bench/bench_generation.py [--runs 3] [--format 1:1]``
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "layers")]
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")

BUDGET_RATIO = 1.2
STYLE = "marble"


def product_photo() -> bytes:
    from PIL import Image  # noqa: PLC0415

    from photoshoot.providers.studio.specimens import make_specimen  # noqa: PLC0415

    buffer = io.BytesIO()
    Image.fromarray(make_specimen("bottle", "plain", seed=3, size=(960, 1280)).image).save(
        buffer, "JPEG", quality=90)
    return buffer.getvalue()


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def renderer_compute(photo: bytes, format_id: str, count: int, concurrency: int,
                     generation_id: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) the studio renderer needs for the same photoshoot (same
    shots: the seed comes from the generation id), with nothing around it."""
    from PIL import Image  # noqa: PLC0415

    from photoshoot.generation.steps import shot_seed  # noqa: PLC0415
    from photoshoot.providers.registry import get_provider, style_spec_for  # noqa: PLC0415

    provider = get_provider("studio")
    seeded = json.loads((ROOT / "infra" / "seed" / "styles.json").read_text(encoding="utf-8"))
    raw = next(style for style in seeded if style["style_id"] == STYLE)
    # the same dict the BuildPrompt step passes (catalogue.style_to_dict of the seeded style)
    style = style_spec_for({key: raw.get(key) for key in (
        "style_id", "title", "description", "prompt", "tags", "preview_url")}, None)
    started, cpu_started = time.perf_counter(), time.process_time()
    analysis, cutout = provider.analyze(Image.open(io.BytesIO(photo)).convert("RGB"))
    shots = provider.build_prompt(analysis, style, format_id, count,
                                  shot_seed(generation_id))
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(lambda shot: provider.render(cutout, analysis, shot), shots))
    return time.perf_counter() - started, time.process_time() - cpu_started


def pipeline_run(stack, photo: bytes, format_id: str, suggestions_first: bool = False) -> dict:
    """One run, timed on a WebSocket client from POST /api/generations. With
    ``suggestions_first`` the page asked for style suggestions before (as the SPA does), so
    Analyze reuses that analysis; without, the run does all the renderer's work itself."""
    import boto3  # noqa: PLC0415
    import requests  # noqa: PLC0415
    from websockets.sync.client import connect  # noqa: PLC0415

    from photoshoot.auth.sessions import issue_token  # noqa: PLC0415

    prefix = stack.env.get("TABLE_PREFIX", "photoshoot-")
    user_id = str(600000000 + uuid.uuid4().int % 100000000)
    boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name="eu-central-1",
                 aws_access_key_id="local", aws_secret_access_key="local").put_item(
        TableName=f"{prefix}users", Item={
            "user_id": {"S": user_id}, "telegram_id": {"N": user_id}, "balance": {"N": "1"},
            "spent": {"N": "0"}, "token_version": {"N": "0"},
            "created_at": {"S": "2026-01-01T00:00:00Z"}})
    token = issue_token(user_id, 0)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    presigned = session.post(f"{stack.base_url}/api/uploads", json={
        "content_type": "image/jpeg", "size": len(photo)}).json()
    requests.post(presigned["url"], data=presigned["fields"],
                  files={"file": ("p.jpg", photo, "image/jpeg")}).raise_for_status()
    upload_id = presigned["upload_id"]
    if suggestions_first:
        session.get(f"{stack.base_url}/api/uploads/{upload_id}/suggestions").raise_for_status()

    with connect(f"{stack.ws_url}?token={token}", open_timeout=10) as socket:
        time.sleep(0.2)
        cpu_started = process_cpu_s(stack.process.pid)
        started = time.perf_counter()
        created = session.post(f"{stack.base_url}/api/generations", json={
            "upload_id": upload_id, "style_id": STYLE, "format": format_id})
        created.raise_for_status()
        generation_id = created.json()["generation_id"]
        first_image = None
        steps = []
        while True:
            message = json.loads(socket.recv(timeout=120))
            if message.get("generation_id") != generation_id:
                continue
            now = time.perf_counter() - started
            steps.append((message["step"], round(now, 3)))
            if first_image is None and message.get("images"):
                first_image = now
            if message["status"] in ("succeeded", "failed", "cancelled"):
                if message["status"] != "succeeded":
                    raise RuntimeError(f"run ended {message['status']}: {message}")
                return {"wall_s": now, "first_image_s": first_image, "steps": steps,
                        "generation_id": generation_id,
                        "stack_cpu_s": process_cpu_s(stack.process.pid) - cpu_started}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", default="1:1")
    args = parser.parse_args()

    from infra.local import launcher  # noqa: PLC0415
    from infra.local.allocator import reexec_with_tunables  # noqa: PLC0415

    reexec_with_tunables()  # the bare renderer gets the stack's malloc settings too

    photo = product_photo()
    quiet = {"POWERTOOLS_LOG_LEVEL": "WARNING", "LOCAL_SCHEDULE_INTERVAL_S": "0"}
    stack = launcher.start(quiet)
    try:
        concurrency = int(stack.env.get("RENDER_MAX_CONCURRENCY", "2"))
        cold = pipeline_run(stack, photo, args.format)  # imports, model load, first Lambdas
        for _ in range(2):  # one warm-up left the first paired bare run ~25 % slower
            renderer_compute(photo, args.format, 4, concurrency, cold["generation_id"])
        runs = []
        for _ in range(args.runs):
            # Paired: the pipeline run, then the same shots rendered bare right after, so
            # both halves of a ratio see the same machine load.
            run = pipeline_run(stack, photo, args.format)
            run["compute_s"], run["compute_cpu_s"] = renderer_compute(
                photo, args.format, 4, concurrency, run["generation_id"])
            run["ratio"] = run["wall_s"] / run["compute_s"]
            runs.append(run)
        product_path = [pipeline_run(stack, photo, args.format, suggestions_first=True)
                        for _ in range(args.runs)]
    finally:
        launcher.stop(stack)
        stack.log_path.unlink(missing_ok=True)
    # The same runs with the renderer's results replayed instantly: the pipeline alone.
    stack = launcher.start(quiet, module="bench.replay_stack")
    try:
        pipeline_run(stack, photo, args.format)  # computes the results it will replay
        pipeline_only = [pipeline_run(stack, photo, args.format) for _ in range(args.runs)]
    finally:
        launcher.stop(stack)
        stack.log_path.unlink(missing_ok=True)
    wall = statistics.median(r["wall_s"] for r in runs)
    own = statistics.median(r["compute_s"] for r in runs)
    ratio = statistics.median(r["ratio"] for r in runs)
    cores = len(os.sched_getaffinity(0))
    stack_cpu = statistics.median(r["stack_cpu_s"] for r in runs)
    print(json.dumps({
        "benchmark": "generation", "runs": args.runs, "format": args.format, "images": 4,
        "map_concurrency": concurrency,
        "wall_median_s": round(wall, 3),
        "renderer_compute_median_s": round(own, 3),
        "ratio_median": round(ratio, 3), "budget_ratio": BUDGET_RATIO,
        "ratios": [round(r["ratio"], 3) for r in runs],
        "walls": [round(r["wall_s"], 3) for r in runs],
        "computes": [round(r["compute_s"], 3) for r in runs],
        # what the pipeline adds to the renderer's work, per photoshoot, in seconds
        "overhead_median_s": round(statistics.median(
            r["wall_s"] - r["compute_s"] for r in runs), 3),
        # the same runs with the renderer's results replayed at once: the pipeline's own cost
        "pipeline_only_wall_median_s": round(statistics.median(
            r["wall_s"] for r in pipeline_only), 3),
        "pipeline_only_cpu_median_s": round(statistics.median(
            r["stack_cpu_s"] for r in pipeline_only), 3),
        "cores": cores,
        "stack_cpu_median_s": round(stack_cpu, 3),
        "renderer_cpu_median_s": round(statistics.median(r["compute_cpu_s"] for r in runs), 3),
        "cpu_floor_ratio": round(statistics.median(
            r["stack_cpu_s"] / cores / r["compute_s"] for r in runs), 3),
        "first_image_median_s": round(statistics.median(r["first_image_s"] for r in runs), 3),
        "after_suggestions_first_image_median_s": round(statistics.median(
            r["first_image_s"] for r in product_path), 3),
        "after_suggestions_wall_median_s": round(statistics.median(
            r["wall_s"] for r in product_path), 3),
        "cold_first_run_wall_s": round(cold["wall_s"], 3),
        "cold_first_run_first_image_s": round(cold["first_image_s"], 3),
        "steps_of_last_run": runs[-1]["steps"],
        "within_budget": ratio <= BUDGET_RATIO}, indent=2, ensure_ascii=False))
    return 0 if ratio <= BUDGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
