"""The stale-order sweep: a lost notification must still credit.

Every few minutes: pending orders older than ``payments_recheck_after_s`` are re-checked with
the API and settled exactly like a notification would (same code path); orders still
pending after ``payments_pending_ttl_s`` (24 h) expire. A payment that succeeds after its
order expired is still credited by its notification (``settlement`` accepts it).
"""
from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from photoshoot.billing import BalanceContention
from photoshoot.errors import PaymentProviderError
from photoshoot.models import Order
from photoshoot.observability import logger
from photoshoot.payments import gateway, settlement
from photoshoot.settings import get_settings

# Each re-check is one API call; stop well inside the function's 120 s timeout and let the
# next run (5 minutes later) continue.
TIME_BUDGET_S = 90.0


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def recheck_order(order: Order, *, may_expire: bool) -> str:
    if order.flags:
        return "flagged"  # a person decides (e.g. amount mismatch); don't re-alarm every run
    outcome = settlement.STILL_PENDING
    if order.payment_id:
        try:
            outcome = settlement.settle_payment(gateway.fetch_payment(order.payment_id))
        except gateway.PaymentNotFound:
            outcome = settlement.STILL_PENDING
        except PaymentProviderError:
            # The API is unreachable: decide nothing now, the next run will try again.
            return "provider_error"
        except BalanceContention:
            return "busy"  # the balance was contended through every retry: next run
    if outcome == settlement.STILL_PENDING and may_expire:
        return settlement.expire_order(order)
    return outcome


def sweep_pending_orders(now: datetime | None = None,
                         budget_s: float = TIME_BUDGET_S) -> dict[str, int]:
    settings = get_settings()
    now = now or datetime.now(timezone.utc)
    recheck_before = _iso(now - timedelta(seconds=settings.payments_recheck_after_s))
    expire_before = _iso(now - timedelta(seconds=settings.payments_pending_ttl_s))
    outcomes: Counter[str] = Counter()
    started = time.monotonic()
    for order in Order.status_index.query("pending", Order.created_at < recheck_before):
        if time.monotonic() - started > budget_s:
            outcomes["deferred"] += 1
            break
        try:
            outcome = recheck_order(order, may_expire=order.created_at < expire_before)
        except Exception:  # noqa: BLE001 - logged at ERROR (the sweep's alarm); others go on
            # Orders are read oldest first: one that fails every run must not keep every
            # order after it from being credited.
            logger.exception("order not re-checked", extra={"order_id": order.order_id})
            outcome = "error"
        outcomes[outcome] += 1
    if outcomes:
        logger.info("pending orders swept", extra={"outcomes": dict(outcomes)})
    return dict(outcomes)
