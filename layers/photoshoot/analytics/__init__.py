"""Server-side analytics: funnel counters per day and first-touch source (``counters``),
the admin statistics read model (``stats``), Yandex.Metrika offline conversions
(``offline_conversions``) and the one-off sign-up cohort backfill (``cohort_backfill``, run by
``infra/backfill_cohorts.py``; never imported by a function).

The calls the rest of the system makes are :func:`record` — only after the exactly-once
transition it reports has been applied *now* (the ledger entry was written, the order moved
to paid …) — and :func:`record_first_payment` for any paid order (idempotent by itself).
Neither ever fails the business operation.
"""
from photoshoot.analytics.counters import (METRICS, record, record_first_payment,
                                           signup_cohort, source_from_utm)

__all__ = ["METRICS", "record", "record_first_payment", "signup_cohort", "source_from_utm"]
