"""Cold import of every function's handler vs ``import boto3`` alone.

Budget (ARCHITECTURE.md §8): each deployed handler ≤ 1.5 × ``import boto3``; the webhooks and
the authorizer never import Pillow (nor numpy/cv2/onnxruntime/yookassa) or the API modules.

Each sample is a fresh interpreter timing one import statement (interpreter start-up is not
counted). Measured:
- ``boto3``: the reference;
- ``app``: what the API handler and the generation step Lambdas load (every entry point);
- ``functions.authorizer``, ``functions.telegram_webhook``, ``functions.yookassa_webhook``:
  what those Lambdas load at init — template.yaml sets their Handlers to these modules;
- ``…_first_call`` / ``…_first_use``: the same plus what the first invocation imports lazily
  (PynamoDB for the authorizer; Powertools idempotency, requests and the bot commands for the
  bot webhook; the ``yookassa`` SDK for the payment webhook) — reported, not budgeted: it is
  paid inside the first request, not at init.

Run: PYTHONPATH=.:layers .venv/bin/python bench/bench_cold_import.py [--runs 9]
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
HEAVY = ("PIL", "numpy", "cv2", "onnxruntime", "yookassa")

PROBE = """
import json, sys, time
started = time.perf_counter()
{statement}
elapsed = (time.perf_counter() - started) * 1000
print(json.dumps({{"ms": elapsed, "modules": sorted(m for m in sys.modules)}}))
"""

TARGETS = {
    "boto3": "import boto3",
    "functions.authorizer": "import functions.authorizer",
    "functions.telegram_webhook": "import functions.telegram_webhook",
    "authorizer_first_call": ("import functions.authorizer\n"
                              "from photoshoot.models import User"),
    "telegram_webhook_first_update": (
        "import functions.telegram_webhook\n"
        "import photoshoot.telegram.updates, photoshoot.telegram.commands, boto3, requests\n"
        "from aws_lambda_powertools.utilities.idempotency import "
        "DynamoDBPersistenceLayer, idempotent_function"),
    "functions.yookassa_webhook": "import functions.yookassa_webhook",
    "yookassa_webhook_first_use": ("import functions.yookassa_webhook\n"
                                   "from photoshoot.payments import gateway\n"
                                   "gateway._sdk()"),
    "app": "import app",
}
BUDGETED = ("functions.authorizer", "functions.telegram_webhook",
            "functions.yookassa_webhook", "app")
# The payment webhook loads the SDK on purpose at its first notification.
SDK_EXPECTED = ("yookassa_webhook_first_use",)


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "layers")])
    env.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
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
                         "modules": set(samples[-1]["modules"])}
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    results = measure(args.runs)
    boto3_ms = results["boto3"]["median_ms"]
    report = {"runs": args.runs, "budget_ratio": BUDGET_RATIO, "boto3_ms": boto3_ms}
    ok = True
    for name in TARGETS:
        if name == "boto3":
            continue
        modules = results[name]["modules"]
        entry = {"median_ms": results[name]["median_ms"],
                 "ratio_to_boto3": round(results[name]["median_ms"] / boto3_ms, 2),
                 "heavy_imported": sorted(m for m in HEAVY if m in modules
                                          and not (m == "yookassa" and name in SDK_EXPECTED))}
        if name != "app":
            entry["api_modules_imported"] = sorted(
                m for m in modules if m.startswith("functions.") and m.endswith("_api"))
            ok &= not entry["heavy_imported"] and not entry["api_modules_imported"]
        if name in BUDGETED:
            entry["budgeted"] = True
            ok &= entry["ratio_to_boto3"] <= BUDGET_RATIO
        report[name] = entry
    report["within_budget"] = bool(ok)
    print(json.dumps(report, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
