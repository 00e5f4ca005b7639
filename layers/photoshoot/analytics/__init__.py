"""Server-side analytics: funnel counters per day and first-touch source (``counters``),
the admin statistics read model (``stats``) and Yandex.Metrika offline conversions
(``offline_conversions``).

The one call the rest of the system makes is :func:`record`; call it only after the
exactly-once transition it reports has been applied *now* (the ledger entry was written,
the order moved to paid …) and it never fails the business operation.
"""
from photoshoot.analytics.counters import METRICS, record, source_from_utm

__all__ = ["METRICS", "record", "source_from_utm"]
