"""Status push latency: a step's write to the Generation item → the message in a client.

Budget (ARCHITECTURE.md §8): median ≤ 50 ms locally. Starts a local stack on free ports; this
process then does exactly what a step does — the conditional ``UpdateItem`` of the status
through the same moto server, then ``publish_status`` through the local WebSocket gateway's
Management API — while a WebSocket client of the stack receives the messages.
``python bench/bench_status_push.py [-n 200]``
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "layers")]
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")

BUDGET_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    from infra.local import launcher  # noqa: PLC0415

    prefix = os.environ.get("TABLE_PREFIX", "photoshoot-")
    stack = launcher.start({"POWERTOOLS_LOG_LEVEL": "WARNING", "TABLE_PREFIX": prefix,
                            "LOCAL_SCHEDULE_INTERVAL_S": "0"})
    try:
        stack.wait_warm()  # the steady state, not the renderer's warm-up
        ws_port = urlsplit(stack.ws_url).port
        os.environ.update({"AWS_ENDPOINT_URL": stack.moto_url, "TABLE_PREFIX": prefix,
                           "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                           "WS_MANAGEMENT_ENDPOINT": f"http://localhost:{ws_port}",
                           "POWERTOOLS_LOG_LEVEL": "WARNING"})
        result = run(stack, args.n, args.warmup)
    finally:
        launcher.stop(stack)
        stack.log_path.unlink(missing_ok=True)
    print(json.dumps(result, indent=2))
    return 0 if result["within_budget"] else 1


def run(stack, n: int, warmup: int) -> dict:
    from ulid import ULID  # noqa: PLC0415
    from websockets.sync.client import connect  # noqa: PLC0415

    from photoshoot.auth.sessions import issue_token  # noqa: PLC0415
    from photoshoot.generation.status import publish_status  # noqa: PLC0415
    from photoshoot.models import Generation, User  # noqa: PLC0415
    from photoshoot.models.base import utc_now_iso  # noqa: PLC0415

    user_id = "990000001"
    User(user_id, telegram_id=int(user_id), balance=0, created_at=utc_now_iso()).save()
    generation = Generation(user_id, str(ULID()), status="running", step="generate",
                            progress=0, image_count=4, images=[], created_at=utc_now_iso())
    generation.save()
    received: dict[int, float] = {}
    arrived = threading.Condition()

    socket = connect(f"{stack.ws_url}?token={issue_token(user_id, 0)}", open_timeout=10)
    time.sleep(0.3)  # $connect stores the connection

    def listen():
        try:
            for raw in socket:
                now = time.perf_counter()
                message = json.loads(raw)
                with arrived:
                    received[int(message.get("progress", -1))] = now
                    arrived.notify_all()
        except Exception:  # noqa: BLE001 - the socket closes at the end
            return

    threading.Thread(target=listen, daemon=True).start()
    write_ms, total_ms = [], []
    for i in range(1, warmup + n + 1):
        progress = 1_000 + i  # a unique marker per message
        started = time.perf_counter()
        generation.update(actions=[Generation.progress.set(progress),
                                   Generation.message.set(f"Снимаем кадр {i % 4 + 1} из 4"),
                                   Generation.updated_at.set(utc_now_iso())],
                          condition=Generation.status.is_in("queued", "running"))
        written = time.perf_counter()
        publish_status(generation, images=[])
        with arrived:
            if not arrived.wait_for(lambda: progress in received, timeout=5):
                raise RuntimeError(f"message {i} never arrived")
        if i > warmup:
            write_ms.append((written - started) * 1000)
            total_ms.append((received[progress] - started) * 1000)
    socket.close()
    median = statistics.median(total_ms)
    return {"benchmark": "status_push", "n": n,
            "write_to_client_median_ms": round(median, 2),
            "write_to_client_p90_ms": round(statistics.quantiles(total_ms, n=10)[-1], 2),
            "write_to_client_max_ms": round(max(total_ms), 2),
            "status_write_median_ms": round(statistics.median(write_ms), 2),
            "push_median_ms": round(median - statistics.median(write_ms), 2),
            "budget_ms": BUDGET_MS, "within_budget": median <= BUDGET_MS}


if __name__ == "__main__":
    sys.exit(main())
