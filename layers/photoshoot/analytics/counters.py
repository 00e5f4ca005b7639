"""Funnel counters in the ``stats`` table: partition ``day`` (Moscow ``YYYY-MM-DD``), sort key
``<source>#<metric>``, ``value`` grown with an atomic ``ADD`` — never read-modify-write, so
concurrent events are all counted.

The source is the user's first-touch ``utm_source`` (``direct`` without one). Revenue is
kept in kopecks as the metric ``revenue`` beside ``payment_success`` (on the day paid), and
money returned as ``refunded`` beside ``payment_refund`` (on the day refunded): net revenue
is their difference.

Sign-up → payment conversion is a cohort figure, not payments ÷ sign-ups (repeat purchases
pushed that above 100 %): ``signup_paid`` counts each account once, when it pays for the first
time, in the cell its sign-up was counted in (the account's ``signup_cohort``: Moscow day and
source) — so a day's ``signup_paid`` ≤ its sign-ups. Every sign-up also counts
``signup_tracked``; accounts made before cohorts were tracked have no ``signup_cohort`` and are
never counted in ``signup_paid``, so the rate is ``signup_paid / signup_tracked``: days before
the change have no base (shown as "—") instead of a rate that misses earlier payers — until
the one-off ``cohort_backfill`` gives those accounts their cohort, base and first payment.
"""
from __future__ import annotations

import random
import re
import time
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Mapping

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

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
SIGNUP_TRACKED = "signup_tracked"  # recorded with every signup: the base of signup_paid
SIGNUP_PAID = "signup_paid"  # once per account, in its sign-up's cell (record_first_payment)
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


# Yandex Direct's auto-tagging marks an ad click with ``yclid`` alone: paid traffic, which
# must not be counted as direct visits.
YCLID_SOURCE = "yandex"


def source_from_utm(utm: Mapping | None, yclid: str | None = None) -> str:
    source = normalize_source((utm or {}).get("utm_source"))
    if source == DIRECT and yclid and not (utm or {}).get("utm_source"):
        return YCLID_SOURCE
    return source


def source_of_user(user_id: str) -> str:
    """The first-touch source stored on the user at sign-up."""
    try:
        user = User.get(str(user_id), attributes_to_get=["user_id", "utm", "yclid"])
    except User.DoesNotExist:
        return DIRECT
    utm = user.utm.as_dict() if user.utm is not None else None
    return source_from_utm(utm, user.yclid)


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


def signup_cohort(source: str, now: datetime | None = None) -> str:
    """``<day>#<source>`` of a sign-up at ``now``: stored on the account so that its first
    payment is counted in the very cell its sign-up was (even if its UTM is filled later)."""
    return f"{today(now)}#{normalize_source(source)}"


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
        if metric == SIGNUP and amount:
            add(day, resolved, SIGNUP_TRACKED, int(amount))
        if revenue_kopecks:
            add(day, resolved, REVENUE, int(revenue_kopecks))
        if refunded_kopecks:
            add(day, resolved, REFUNDED, int(refunded_kopecks))
        return True
    except Exception:  # noqa: BLE001 - analytics must never fail a sign-up or a payment
        logger.warning("analytics counter not recorded",
                       extra={"metric": metric, "user_id": user_id}, exc_info=True)
        return False


_GUARDED_ATTEMPTS = 4

# A conditional write that marks an event as counted (see ``add_guarded``).
Guard = Callable[[TransactWrite], None]


def add_guarded(guard: Guard, day: str, source: str, amounts: Mapping[str, int]) -> bool:
    """Add ``amounts`` (metric → amount) to the counters of ``day``/``source`` in one
    transaction with ``guard`` — a conditional write marking the event as counted — so the
    event is counted exactly once: never marked without being counted, never counted twice.

    False when the guard's condition failed (counted before, or by a concurrent call).
    Contention on the counter item is retried; any other failure is raised, so the caller's
    retry (a redelivered notification) can count it later."""
    from photoshoot.billing import transaction_connection  # noqa: PLC0415 - shared client

    for attempt in range(_GUARDED_ATTEMPTS):
        try:
            with TransactWrite(connection=transaction_connection()) as transaction:
                guard(transaction)
                for metric, amount in amounts.items():
                    if amount:
                        transaction.update(StatCounter(day, counter_key(source, metric)),
                                           actions=[StatCounter.value.add(int(amount))])
            return True
        except TransactWriteError as error:
            codes = {getattr(r, "code", None) for r in (error.cancellation_reasons or []) if r}
            if "ConditionalCheckFailed" in codes:
                return False
            if attempt + 1 < _GUARDED_ATTEMPTS and codes & {"TransactionConflict",
                                                            "ThrottlingError"}:
                # another event of the same counter committing at this instant
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
                continue
            raise
    return False


def record_first_payment(user_id: str, order_id: str, now: datetime | None = None) -> bool:
    """Count the account's first payment once, ever: in one transaction the account is marked
    (``first_paid_order_id``, only where none is set) and ``signup_paid`` of its sign-up cell
    grows by one. A duplicate notification, a retry, another order paid at the same instant —
    the mark is there or its condition fails, and nothing is counted again.

    Safe to call for any paid order of the user (a repeat purchase finds the mark and writes
    nothing). Accounts without a ``signup_cohort`` (made before it was tracked) are marked
    but not counted — unless the cohort backfill (``cohort_backfill``) gives them one between
    this read and the mark: the mark is conditional on the cohort still being absent, so the
    account is read again and counted in its new cell. Like ``record`` it never raises;
    returns whether it counted now."""
    try:
        paid_at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(
            timespec="milliseconds").replace("+00:00", "Z")
        mark = [User.first_paid_order_id.set(str(order_id)), User.first_paid_at.set(paid_at)]
        unmarked = User.user_id.exists() & User.first_paid_order_id.does_not_exist()
        for _ in range(2):  # a second read only when a cohort appeared meanwhile
            user = User.get(str(user_id), consistent_read=True,
                            attributes_to_get=["user_id", "signup_cohort",
                                               "first_paid_order_id"])
            if user.first_paid_order_id:
                return False
            day, _, source = (user.signup_cohort or "").partition("#")
            if day and source:
                return add_guarded(
                    lambda transaction: transaction.update(User(str(user_id)), actions=mark,
                                                           condition=unmarked),
                    day, source, {SIGNUP_PAID: 1})
            try:
                User(str(user_id)).update(
                    actions=mark, condition=unmarked & User.signup_cohort.does_not_exist())
                return False
            except UpdateError as error:
                if getattr(error, "cause_response_code", None) != (
                        "ConditionalCheckFailedException"):
                    raise
                # marked meanwhile (the next read returns) or given a cohort: read again
        return False
    except User.DoesNotExist:
        return False
    except UpdateError:
        logger.warning("first payment not marked", extra={"user_id": user_id}, exc_info=True)
        return False
    except Exception:  # noqa: BLE001 - analytics must never fail a payment
        logger.warning("first payment not recorded", extra={"user_id": user_id}, exc_info=True)
        return False
