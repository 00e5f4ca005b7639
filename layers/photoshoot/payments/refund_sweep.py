"""The refund sweep: a refund whose notification was lost still takes the photoshoots back.

YooKassa redelivers ``refund.succeeded`` for 24 h; when every delivery failed, nothing else
would ever apply the refund. Each run lists the shop's succeeded refunds created within
``payments_refund_window_s`` but at least ``payments_refund_recheck_after_s`` ago (the
notification usually gets there first), newest first, page by page with the API's cursor,
and applies each one through ``settlement.refund_order`` — the notification's own path, so
a refund is applied and counted once whether the notification, the sweep, or both at the
same instant get there (its transitions and counts are conditional writes).

No cursor is kept between runs: refunds enter the window at its newest end, so every one is
seen by many runs (every 5 minutes for days) long before ``payments_refund_max_pages`` pages
of newer refunds could push it out of reach. Refunds the order shows as applied cost no API
call (``settlement.refund_applied``).

Each refund not yet applied costs a payment fetch, so the run's time goes first to refunds
whose payment an order of ours is stored on (the payment index): only those can have
photoshoots to take back. The rest — another integration's refunds, mostly — come after,
oldest first, so however many of them there are they never hold up one of ours; a payment
found to name no order of ours is remembered and not fetched again (``_NotOurs``).
"""
from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import partial

from photoshoot.billing import BalanceContention
from photoshoot.errors import PaymentProviderError
from photoshoot.models import Order
from photoshoot.observability import logger
from photoshoot.payments import gateway, settlement
from photoshoot.payments.gateway import RefundState
from photoshoot.settings import get_settings

# A share of the sweep function's 120 s: the pending orders get the rest of its 90 s.
TIME_BUDGET_S = 30.0
# Hard bounds over the settings, whatever they say.
MAX_WINDOW_S = 30 * 24 * 3600
MAX_PAGES = 100

# Outcomes beside settlement's.
ALREADY_APPLIED = "already_applied"   # the order shows it applied: nothing fetched
NOT_YOOKASSA = "not_yookassa"         # the payment names an order paid otherwise (Stars)
NOT_OURS = "not_ours"                 # a payment already found to name no order of ours
PROVIDER_ERROR = "provider_error"     # the API is unreachable: the next run tries again
BUSY = "busy"                         # the balance was contended through every retry
ERROR = "error"                       # a fault of ours, logged at ERROR; the run goes on
DEFERRED = "deferred"                 # out of time: the next run goes on
TRUNCATED = "truncated"               # more pages than allowed: older refunds wait

YOOKASSA = "yookassa"


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


class _NotOurs:
    """Payments found to name no order of ours, or a Stars order: a fact that never changes
    (our orders are stored before their payment is created, never deleted after, and keep
    their provider), so their refunds need no payment fetch in the next runs. Kept by the
    warm container — nothing to store or grant; a cold start learns each again with one
    call — and bounded by what one run can list."""

    def __init__(self, size: int):
        self.size = size
        self._payments: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, payment_id: str) -> bool:
        return payment_id in self._payments

    def remember(self, payment_id: str) -> None:
        self._payments[payment_id] = None
        self._payments.move_to_end(payment_id)
        while len(self._payments) > self.size:
            self._payments.popitem(last=False)


_not_ours = _NotOurs(size=MAX_PAGES * gateway.LIST_LIMIT_MAX)


def _indexed_order(payment_id: str) -> Order | None:
    """The order we stored this payment on, from the payment index (no API call); None when
    none is, e.g. the payment's creation answer was lost: ``find_order`` then goes by the
    payment's metadata."""
    return next(iter(Order.payment_index.query(payment_id, limit=1)), None)


def _apply_if_ours(refund: RefundState, listed_kopecks: int) -> str | None:
    """The first pass over a listed refund: applied now when an order of ours is stored on
    its payment (None, to be applied after those, when none is). ``listed_kopecks``: this
    payment's refunds listed so far, this one included."""
    if refund.payment_id in _not_ours:
        return NOT_OURS
    indexed = _indexed_order(refund.payment_id)
    if indexed is None or indexed.provider != YOOKASSA:
        return None
    if settlement.refund_applied(indexed, refund.refund_id, listed_kopecks):
        return ALREADY_APPLIED
    return apply_refund(refund)


def apply_refund(refund: RefundState) -> str:
    """Apply one listed refund exactly as its ``refund.succeeded`` notification would."""
    try:
        payment = gateway.fetch_payment(refund.payment_id)
    except gateway.PaymentNotFound:
        payment = None
    order = settlement.find_order(payment) if payment is not None else None
    if order is None:
        # Another integration of the same shop, or a payment made before our orders: there
        # is nothing of ours to take back.
        if payment is not None:  # a 404 for a listed refund's payment: the API's lapse?
            _not_ours.remember(refund.payment_id)
        logger.warning("refund of an order unknown to us skipped",
                       extra={"refund_id": refund.refund_id, "payment_id": refund.payment_id})
        return settlement.UNKNOWN_ORDER
    if order.provider != YOOKASSA:
        _not_ours.remember(refund.payment_id)
        logger.warning("refund names an order not paid through YooKassa; skipped",
                       extra={"refund_id": refund.refund_id, "payment_id": refund.payment_id,
                              "order_id": order.order_id, "provider": order.provider})
        return NOT_YOOKASSA
    return settlement.refund_order(refund, payment)


_QUIET = (ALREADY_APPLIED, NOT_OURS, None)  # nothing done: no line per refund


def _apply_isolated(refund: RefundState,
                    apply: Callable[[RefundState], str | None]) -> str | None:
    """``apply(refund)`` whose failure is this refund's alone: the run goes on."""
    try:
        outcome = apply(refund)
    except PaymentProviderError:
        return PROVIDER_ERROR
    except BalanceContention:
        return BUSY
    except Exception:  # noqa: BLE001 - logged at ERROR (the sweep's alarm); others go on
        logger.exception("refund not applied by the sweep",
                         extra={"refund_id": refund.refund_id, "payment_id": refund.payment_id})
        return ERROR
    if outcome not in _QUIET:
        logger.info("refund swept", extra={"refund_id": refund.refund_id,
                                           "payment_id": refund.payment_id,
                                           "outcome": outcome})
    return outcome


def sweep_refunds(now: datetime | None = None,
                  budget_s: float = TIME_BUDGET_S) -> dict[str, int]:
    """One run over the recent refunds; returns how many ended how (for logs and tests)."""
    settings = get_settings()
    now = now or datetime.now(timezone.utc)
    window_s = max(0, min(settings.payments_refund_window_s, MAX_WINDOW_S))
    created_from = _iso(now - timedelta(seconds=window_s))
    recheck_after_s = max(0, settings.payments_refund_recheck_after_s)
    created_before = _iso(now - timedelta(seconds=recheck_after_s))
    page_size = max(1, min(settings.payments_refund_page_size, gateway.LIST_LIMIT_MAX))
    max_pages = max(1, min(settings.payments_refund_max_pages, MAX_PAGES))
    outcomes: Counter[str] = Counter()
    started = time.monotonic()

    def out_of_time() -> bool:
        if time.monotonic() - started <= budget_s:
            return False
        outcomes[DEFERRED] += 1
        return True

    cursor: str | None = None
    pages = 0
    unindexed: list[RefundState] = []  # newest first, as listed
    listed: Counter[str] = Counter()  # kopecks of each payment's refunds listed so far
    stopped = deferred = False
    while not stopped:
        if pages == max_pages:
            # Seen again by the next runs while they are still young; only a burst of more
            # than max_pages × page_size refunds between two runs leaves one unseen.
            logger.warning("refund window not covered: raise PAYMENTS_REFUND_MAX_PAGES",
                           extra={"pages": pages, "page_size": page_size,
                                  "created_from": created_from,
                                  "created_before": created_before})
            outcomes[TRUNCATED] += 1
            break
        try:
            page = gateway.list_refunds(created_from, created_before, limit=page_size,
                                        cursor=cursor)
        except PaymentProviderError:
            outcomes[PROVIDER_ERROR] += 1  # decide nothing now; the next run lists again
            break
        except Exception:  # noqa: BLE001 - logged at ERROR; the pending orders still go on
            logger.exception("refunds not listed", extra={"pages": pages})
            outcomes[ERROR] += 1
            break
        pages += 1
        for refund in page.refunds:
            if out_of_time():
                stopped = deferred = True
                break
            listed[refund.payment_id] += refund.amount_kopecks
            first_pass = partial(_apply_if_ours, listed_kopecks=listed[refund.payment_id])
            outcome = _apply_isolated(refund, first_pass)
            if outcome is None:
                unindexed.append(refund)
            else:
                outcomes[outcome] += 1
        cursor = page.next_cursor
        stopped = stopped or not cursor
    if not deferred:
        # Oldest first: they have the fewest runs left in the window.
        for refund in reversed(unindexed):
            if out_of_time():
                break
            outcomes[_apply_isolated(refund, apply_refund)] += 1
    if outcomes:
        logger.info("refunds swept", extra={"outcomes": dict(outcomes), "pages": pages,
                                            "created_from": created_from,
                                            "created_before": created_before})
    return dict(outcomes)
