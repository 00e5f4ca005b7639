"""Cold import of the YooKassa webhook function vs ``import boto3`` alone.

Budget (ARCHITECTURE.md §8): ≤ 1.5 × ``import boto3``; the webhook never imports Pillow (or
numpy/cv2/onnxruntime) and not the SPA-facing API modules.

Each sample is a fresh interpreter timing one import statement (interpreter start-up is not
counted). Measured:
- ``boto3``: the reference;
- ``functions.yookassa_webhook``: what the deployed webhook Lambda loads — template.yaml sets
  its Handler to ``functions.yookassa_webhook.handle`` (budgeted);
- ``app``: what it would load through Chalice's default handler ``app.yookassa_webhook_handler``
  (every entry point: Chalice, JWT, the API modules) — reported for comparison;
- ``photoshoot.payments.gateway._sdk()``: the ``yookassa`` SDK, imported lazily by the first
  notification (reported, not budgeted: it is paid inside the first request, not at init).

Run: PYTHONPATH=.:layers .venv/bin/python bench/bench_webhook_import.py [--runs 9]
Prints JSON; exits 1 when a budget is exceeded.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_RATIO = 1.5
HEAVY = ("PIL", "numpy", "cv2", "onnxruntime")
SPA_FACING = ("functions.catalogue_api", "functions.payments_api", "functions.me_api",
              "functions.generations_api", "functions.uploads_api", "functions.auth_api",
              "functions.saved_styles_api")

PROBE = """
import json, sys, time
started = time.perf_counter()
{statement}
elapsed = (time.perf_counter() - started) * 1000
print(json.dumps({{"ms": elapsed, "modules": sorted(m for m in sys.modules)}}))
"""

TARGETS = {
    "boto3": "import boto3",
    "app": "import app",
    "functions.yookassa_webhook": "import functions.yookassa_webhook",
    "yookassa_sdk_first_use": ("import functions.yookassa_webhook\n"
                               "from photoshoot.payments import gateway\n"
                               "gateway._sdk()"),
}


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "layers")])
    env.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
    env["PYTHONDONTWRITEBYTECODE"] = "0"
    return env


def sample(statement: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE.format(statement=statement)], cwd=ROOT,
                         env=_env(), check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(runs: int) -> dict:
    results = {}
    for name, statement in TARGETS.items():
        sample(statement)  # warm the file-system cache and byte-code
        samples = [sample(statement) for _ in range(runs)]
        results[name] = {"median_ms": round(statistics.median(s["ms"] for s in samples), 1),
                         "modules": samples[-1]["modules"]}
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    results = measure(args.runs)
    boto3_ms = results["boto3"]["median_ms"]
    report = {"runs": args.runs, "budget_ratio": BUDGET_RATIO, "boto3_ms": boto3_ms}
    ok = True
    for name in ("functions.yookassa_webhook", "app"):
        modules = set(results[name]["modules"])
        heavy = sorted(m for m in HEAVY if m in modules)
        ratio = round(results[name]["median_ms"] / boto3_ms, 2)
        entry = {"median_ms": results[name]["median_ms"], "ratio_to_boto3": ratio,
                 "heavy_imported": heavy, "yookassa_imported": "yookassa" in modules}
        ok &= not heavy and not entry["yookassa_imported"]
        if name == "functions.yookassa_webhook":  # the deployed handler: budgeted
            entry["spa_facing_imported"] = sorted(m for m in SPA_FACING if m in modules)
            entry["chalice_imported"] = "chalice" in modules
            ok &= ratio <= BUDGET_RATIO and not entry["spa_facing_imported"]
        report[name] = entry
    report["yookassa_sdk_first_use_ms"] = round(
        results["yookassa_sdk_first_use"]["median_ms"]
        - results["functions.yookassa_webhook"]["median_ms"], 1)
    report["within_budget"] = bool(ok)
    print(json.dumps(report, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
