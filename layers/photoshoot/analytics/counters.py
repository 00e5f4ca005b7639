"""Funnel counters in the ``stats`` table: partition ``day`` (Moscow ``YYYY-MM-DD``), sort key
``<source>#<metric>``, ``value`` grown with an atomic ``ADD`` — never read-modify-write, so
concurrent events are all counted.

The source is the user's first-touch ``utm_source`` (``direct`` without one). Revenue is
kept in kopecks as the metric ``revenue`` beside ``payment_success`` (on the day paid), and
money returned as ``refunded`` beside ``payment_refund`` (on the day refunded): net revenue
is their difference.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Mapping

from photoshoot.models import StatCounter, User
from photoshoot.observability import logger

SIGNUP = "signup"
GENERATION_START = "generation_start"
GENERATION_COMPLETE = "generation_complete"
PAYMENT_START = "payment_start"
PAYMENT_SUCCESS = "payment_success"
PAYMENT_REFUND = "payment_refund"
REVENUE = "revenue"  # kopecks, recorded with payment_success
REFUNDED = "refunded"  # kopecks, recorded with payment_refund
METRICS = (SIGNUP, GENERATION_START, GENERATION_COMPLETE, PAYMENT_START, PAYMENT_SUCCESS,
           PAYMENT_REFUND)

DIRECT = "direct"
_SOURCE_CHARS = re.compile(r"[^a-z0-9_.\-]+")
MAX_SOURCE_LEN = 64


def normalize_source(raw: object) -> str:
    """A stable, key-safe source name: lower case, ``[a-z0-9_.-]``, ``direct`` when empty."""
    if not isinstance(raw, str):
        return DIRECT
    cleaned = _SOURCE_CHARS.sub("_", raw.strip().lower()).strip("_")[:MAX_SOURCE_LEN]
    return cleaned or DIRECT


def source_from_utm(utm: Mapping | None) -> str:
    return normalize_source((utm or {}).get("utm_source"))


def source_of_user(user_id: str) -> str:
    """The first-touch source stored on the user at sign-up."""
    try:
        user = User.get(str(user_id), attributes_to_get=["user_id", "utm"])
    except User.DoesNotExist:
        return DIRECT
    utm = user.utm.as_dict() if user.utm is not None else None
    return source_from_utm(utm)


# The business day is Moscow's: sellers and the team live by it, and a day that ended at
# 03:00 would split an evening's sales. Moscow keeps UTC+3 all year (no DST since 2014), so a
# fixed offset needs no time-zone database in the Lambda.
BUSINESS_TZ = timezone(timedelta(hours=3), "MSK")


def business_date(now: datetime | None = None) -> date:
    return (now or datetime.now(timezone.utc)).astimezone(BUSINESS_TZ).date()


def today(now: datetime | None = None) -> str:
    """The counters' day partition for ``now`` (default: this moment)."""
    return business_date(now).isoformat()


def counter_key(source: str, metric: str) -> str:
    return f"{source}#{metric}"


def add(day: str, source: str, metric: str, amount: int) -> None:
    """Atomically add ``amount`` to one counter (the item is created on first use)."""
    StatCounter(day, counter_key(source, metric)).update(actions=[StatCounter.value.add(amount)])


def record(metric: str, user_id: str | None = None, *, source: str | None = None,
           amount: int = 1, revenue_kopecks: int = 0, refunded_kopecks: int = 0,
           now: datetime | None = None) -> bool:
    """Count one funnel event for today under the user's first-touch source.

    Call it once per event, after the exactly-once transition was applied now. It never
    raises: a failure is logged and the business operation goes on. Returns whether the
    counters were written.
    """
    try:
        if metric not in METRICS:
            raise ValueError(f"unknown metric {metric!r}")
        if source is not None:
            resolved = normalize_source(source)
        elif user_id is not None:
            resolved = source_of_user(user_id)
        else:
            resolved = DIRECT
        day = today(now)
        if amount:
            add(day, resolved, metric, int(amount))
        if revenue_kopecks:
            add(day, resolved, REVENUE, int(revenue_kopecks))
        if refunded_kopecks:
            add(day, resolved, REFUNDED, int(refunded_kopecks))
        return True
    except Exception:  # noqa: BLE001 - analytics must never fail a sign-up or a payment
        logger.warning("analytics counter not recorded",
                       extra={"metric": metric, "user_id": user_id}, exc_info=True)
        return False
