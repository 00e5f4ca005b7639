"""One-off: give accounts made before sign-up cohorts were tracked their ``signup_cohort``,
count their sign-up in ``signup_tracked`` and their first payment in ``signup_paid``
(docs/analytics.md, "Older data"; the work is ``photoshoot.analytics.cohort_backfill``).
Idempotent and resumable: after a stop run it again; a finished run changes nothing.

    PYTHONPATH=.:layers .venv/bin/python -m infra.backfill_cohorts [--dry-run] [--local]

The tables are those the app uses, from the same environment: ``TABLE_PREFIX``,
``AWS_DEFAULT_REGION`` (or ``AWS_REGION``), ``AWS_ENDPOINT_URL`` (empty: AWS itself) and the
usual AWS credentials; ``.env`` fills what the environment leaves unset, as for the local
stack. ``--local`` writes to the running local stack's moto server (``make run``).
Prints the target first, a progress line every 500 accounts, then the outcomes as JSON;
exits 1 if an account failed (run it again).
"""
from __future__ import annotations

import argparse
import json
import sys

from infra.local.environment import load_dotenv_file, prepare_environment


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m infra.backfill_cohorts",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true",
                        help="write nothing; report what a run would do")
    parser.add_argument("--local", action="store_true",
                        help="the local stack's moto server (make run) instead of AWS")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # before the models are imported: they read the table names and endpoint at import
    if args.local:
        prepare_environment()
    else:
        load_dotenv_file()
    from photoshoot.analytics import cohort_backfill  # noqa: PLC0415
    from photoshoot.settings import aws_location  # noqa: PLC0415

    location = aws_location()
    print(json.dumps({"users": location.table_name("users"),
                      "orders": location.table_name("orders"),
                      "stats": location.table_name("stats"), "region": location.region,
                      "endpoint": location.aws_endpoint_url or "aws",
                      "dry_run": args.dry_run}, ensure_ascii=False), file=sys.stderr,
          flush=True)
    outcomes = cohort_backfill.backfill_cohorts(
        dry_run=args.dry_run,
        progress=lambda so_far: print(json.dumps(so_far, sort_keys=True), file=sys.stderr,
                                      flush=True))
    print(json.dumps(outcomes, sort_keys=True))
    return 1 if outcomes.get(cohort_backfill.FAILED) else 0


if __name__ == "__main__":
    sys.exit(main())
