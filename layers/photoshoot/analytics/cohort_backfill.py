"""One-off backfill of sign-up cohorts for accounts made before they were tracked, so their
days get the base of the «→ оплата» rate (``infra/backfill_cohorts.py`` runs it; see
docs/analytics.md, "Older data").

For each account without a ``signup_cohort``:

1. One transaction (``counters.add_guarded``): the account gets the cohort its sign-up would
   have had — the Moscow day of ``created_at`` and its first-touch ``utm_source``, normalised
   as at sign-up — on condition that it still has none, and that cell's ``signup_tracked``
   grows by one. An account already marked as paid (``first_paid_order_id``) paid after the
   mark was introduced and was marked without being counted, for want of a cohort: its
   ``signup_paid`` is counted in the same transaction, on condition that the mark is there.
2. An account not marked that has a paid order (YooKassa or Stars; one refunded since was
   paid too) has its first payment counted by ``record_first_payment``, as the live path
   would have counted it.

Exactly once: step 1's condition (no cohort yet) lets one writer — of two runs at once, or a
re-run — count the sign-up, and a mark set or removed meanwhile fails it, so the account is
read again; step 2 counts once by the account's mark. ``record_first_payment`` marks an
account without a cohort only while it still has none, so a payment whose count races step 1
is counted in the new cell. A run stopped between the steps is finished by the next: the
account carries ``signup_cohort_backfilled_at``, and a backfilled account without a mark is
looked at again. Accounts that got their cohort at sign-up are left alone.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Callable

from photoshoot.analytics import counters
from photoshoot.models import Order, User
from photoshoot.models.base import utc_now_iso
from photoshoot.observability import logger

# Outcomes, one per account (the run's summary counts them).
TRACKED_AT_SIGNUP = "tracked_at_signup"  # made after the change: left alone
BACKFILLED = "backfilled"                # cohort and signup_tracked written now
PAID_COUNTED = "paid_counted"            # … and its first payment counted now
DONE_BEFORE = "backfilled_before"        # an earlier (or concurrent) run did it all
NO_CREATED_AT = "no_created_at"          # no sign-up day to put it in: left alone
FAILED = "failed"                        # an error; a re-run tries again

USER_ATTRIBUTES = ["user_id", "created_at", "utm", "yclid", "signup_cohort",
                   "signup_cohort_backfilled_at", "first_paid_order_id"]
# A refunded order was paid first: the account did pay (the live count was made at credit).
PAID_STATUSES = ("paid", "refunded")
_ATTEMPTS = 4


def _moment(iso: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(iso) if iso else None
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # stored timestamps are UTC
    return moment


def cohort_of(user: User) -> str | None:
    """``<Moscow day>#<source>`` its sign-up would have stored, computed as ``sign_in`` does:
    the source from the first-touch ``utm``, the day from ``created_at``."""
    created = _moment(user.created_at)
    if created is None:
        return None
    utm = user.utm.as_dict() if user.utm is not None else None
    return counters.signup_cohort(counters.source_from_utm(utm, user.yclid), created)


def first_paid_order(user_id: str) -> Order | None:
    """The account's earliest paid order, through the orders' ``user_id`` index (YooKassa and
    Stars orders alike)."""
    paid = list(Order.user_orders_index.query(
        str(user_id), filter_condition=Order.status.is_in(*PAID_STATUSES)))
    return min(paid, key=lambda o: (o.paid_at or o.created_at, o.order_id)) if paid else None


def _assign_cohort(user_id: str, cohort: str, marked: bool) -> bool:
    """Step 1; False when its condition failed (another run, or the mark moved)."""
    day, _, source = cohort.partition("#")
    condition = (User.user_id.exists() & User.signup_cohort.does_not_exist()
                 & (User.first_paid_order_id.exists() if marked
                    else User.first_paid_order_id.does_not_exist()))
    actions = [User.signup_cohort.set(cohort),
               User.signup_cohort_backfilled_at.set(utc_now_iso())]
    return counters.add_guarded(
        lambda transaction: transaction.update(User(user_id), actions=actions,
                                               condition=condition),
        day, source, {counters.SIGNUP_TRACKED: 1, counters.SIGNUP_PAID: int(marked)})


def _count_first_payment(user_id: str, dry_run: bool) -> str | None:
    """Step 2: PAID_COUNTED if counted now, None if there is nothing (left) to count."""
    order = first_paid_order(user_id)
    if order is None:
        return None
    if dry_run:
        return PAID_COUNTED
    if counters.record_first_payment(user_id, order.order_id, now=_moment(order.paid_at)):
        return PAID_COUNTED
    # not counted by this call: fine if another writer marked it, else it failed (logged)
    again = User.get(user_id, consistent_read=True, attributes_to_get=USER_ATTRIBUTES)
    return None if again.first_paid_order_id else FAILED


def backfill_account(user: User, *, dry_run: bool = False) -> str:
    """Backfill one account (read with ``USER_ATTRIBUTES``); returns its outcome."""
    user_id = str(user.user_id)
    for attempt in range(_ATTEMPTS):
        if attempt:  # a condition failed: something moved since the read
            user = User.get(user_id, consistent_read=True, attributes_to_get=USER_ATTRIBUTES)
        if user.signup_cohort:
            if not user.signup_cohort_backfilled_at:
                return TRACKED_AT_SIGNUP
            if user.first_paid_order_id:
                return DONE_BEFORE
            return _count_first_payment(user_id, dry_run) or DONE_BEFORE  # stopped between
        cohort = cohort_of(user)
        if cohort is None:
            logger.warning("account without a sign-up time: no cohort",
                           extra={"user_id": user_id})
            return NO_CREATED_AT
        marked = bool(user.first_paid_order_id)
        if dry_run:
            return PAID_COUNTED if marked or first_paid_order(user_id) else BACKFILLED
        if _assign_cohort(user_id, cohort, marked):
            if marked:
                return PAID_COUNTED
            return _count_first_payment(user_id, dry_run) or BACKFILLED
    return FAILED


def backfill_cohorts(*, dry_run: bool = False,
                     progress: Callable[[dict[str, int]], None] | None = None,
                     progress_every: int = 500) -> dict[str, int]:
    """Backfill every account; returns how many ended in each outcome (``scanned``: all).
    With ``dry_run`` nothing is written: the outcomes say what a run would do."""
    outcomes: Counter[str] = Counter()
    for user in User.scan(consistent_read=True, attributes_to_get=USER_ATTRIBUTES):
        try:
            outcome = backfill_account(user, dry_run=dry_run)
        except Exception:  # noqa: BLE001 - one account must not stop the others; re-run
            logger.warning("cohort backfill failed for an account",
                           extra={"user_id": user.user_id}, exc_info=True)
            outcome = FAILED
        outcomes[outcome] += 1
        outcomes["scanned"] += 1
        if progress and outcomes["scanned"] % progress_every == 0:
            progress(dict(outcomes))
    return dict(outcomes)
