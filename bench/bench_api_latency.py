"""API request through the local stack vs a bare DynamoDB get through the same moto server.

Budget (ARCHITECTURE.md §8): median ``GET /api/packages`` ≤ 3 × median ``get_item``.
Starts a local stack on free ports, or measures a running one:
``python bench/bench_api_latency.py [--base-url http://localhost:8000 --moto-url http://127.0.0.1:8002]``.
Both sides use one keep-alive connection, as a browser and a warm Lambda do.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "layers")]
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")

BUDGET_RATIO = 3.0


def measure(call, n: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def api_call(base_url: str, path: str = "/api/packages"):
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)

    def call():
        connection.request("GET", path)
        answer = connection.getresponse()
        body = answer.read()
        if answer.status != 200 or not json.loads(body):
            raise RuntimeError(f"GET {path} answered {answer.status}")
    return call


def catalogue_scan_call(moto_url: str, table_prefix: str):
    """What ``/api/packages`` costs when the catalogue cache is cold: the PynamoDB scan."""
    os.environ.update({"AWS_ENDPOINT_URL": moto_url, "TABLE_PREFIX": table_prefix,
                       "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"})
    from photoshoot import catalogue  # noqa: PLC0415 - models read the endpoint at import

    def call():
        catalogue.clear_cache()
        if len(catalogue.list_packages()) != 4:
            raise RuntimeError("expected the 4 seeded packages")
    return call


def dynamodb_call(moto_url: str, table: str):
    import boto3  # noqa: PLC0415

    client = boto3.client("dynamodb", endpoint_url=moto_url, region_name="eu-central-1",
                          aws_access_key_id="local", aws_secret_access_key="local")

    def call():
        if "Item" not in client.get_item(TableName=table, Key={"package_id": {"S": "start"}}):
            raise RuntimeError("seeded package 'start' not found")
    return call


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url")
    parser.add_argument("--moto-url")
    parser.add_argument("--table-prefix", default=os.environ.get("TABLE_PREFIX", "photoshoot-"))
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()

    from infra.local import launcher  # noqa: PLC0415

    stack = None
    if not args.base_url:
        stack = launcher.start({"POWERTOOLS_LOG_LEVEL": "WARNING",
                                "LOCAL_SCHEDULE_INTERVAL_S": "0",
                                "TABLE_PREFIX": args.table_prefix})
        args.base_url, args.moto_url = stack.base_url, stack.moto_url
        stack.wait_warm()  # requests measured during the renderer's warm-up ran ~3x slower
    try:
        api = measure(api_call(args.base_url), args.n, args.warmup)
        health = measure(api_call(args.base_url, "/api/health"), args.n, args.warmup)
        dynamo = measure(dynamodb_call(args.moto_url, f"{args.table_prefix}packages"),
                         args.n, args.warmup)
        scan = measure(catalogue_scan_call(args.moto_url, args.table_prefix), args.n,
                       args.warmup)
    finally:
        if stack is not None:
            launcher.stop(stack)
    api_median, dynamo_median = statistics.median(api), statistics.median(dynamo)
    ratio = api_median / dynamo_median
    # The catalogue is cached for 30 s in a warm Lambda, so the steady state above never
    # touches DynamoDB; a cold-cache request costs the stack's own overhead plus the scan.
    cold_estimate = statistics.median(health) + statistics.median(scan)
    print(json.dumps({
        "benchmark": "api_latency", "n": args.n,
        "api_packages_median_ms": round(api_median, 3),
        "api_packages_p90_ms": round(statistics.quantiles(api, n=10)[-1], 3),
        "dynamodb_get_item_median_ms": round(dynamo_median, 3),
        "dynamodb_get_item_p90_ms": round(statistics.quantiles(dynamo, n=10)[-1], 3),
        "api_health_median_ms": round(statistics.median(health), 3),
        "catalogue_scan_median_ms": round(statistics.median(scan), 3),
        "api_packages_cold_cache_estimate_ms": round(cold_estimate, 3),
        "cold_cache_ratio": round(cold_estimate / dynamo_median, 2),
        "ratio": round(ratio, 2), "budget_ratio": BUDGET_RATIO,
        "within_budget": ratio <= BUDGET_RATIO}, indent=2))
    return 0 if ratio <= BUDGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
