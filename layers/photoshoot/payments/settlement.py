"""Move an order by what the YooKassa API says about its payment — never by what a
notification claims. Shared by the webhook and the sweep, so both act identically.

Exactly once: crediting is one DynamoDB transaction (``apply_balance_change``) made of the
balance update, the ledger entry ``purchase#<order>`` written with ``attribute_not_exists``,
and the order's conditional move to ``paid``. A duplicate, replayed or concurrent
notification finds the ledger entry already there and changes nothing. Refunds work the same
way with ``purchase_refund#<order>``.

The refunded money in the statistics follows the payment's refunded total as the API reports
it, not each notification's own refund (``count_refunded_money``): a partial refund whose
notification was lost is counted by the next refund's, the completing one at the latest.
"""
from __future__ import annotations

from pynamodb.exceptions import UpdateError

from photoshoot import analytics
from photoshoot.analytics import counters
from photoshoot.billing import (BalanceChange, TransactionConflict, apply_balance_change,
                                balance_of)
from photoshoot.errors import InsufficientBalance, NotFound, PhotoshootError
from photoshoot.models import Order
from photoshoot.models.base import utc_now_iso
from photoshoot.observability import logger
from photoshoot.payments import notify
from photoshoot.payments.crediting import credit_order_once
from photoshoot.payments.gateway import PaymentState, RefundState, fetch_refund
from photoshoot.payments.reasons import cancellation_text
from photoshoot.payments.review import (REFUNDED_BEFORE_CREDIT, USER_MISSING, add_flag,
                                        flag_for_review)

# Outcomes (also what the webhook logs).
CREDITED = "credited"
CANCELLED = "cancelled"
REFUNDED = "refunded"
EXPIRED = "expired"
DUPLICATE = "duplicate"      # already in that state: nothing changed
STILL_PENDING = "pending"    # the API says the payment is not final yet
MISMATCH = "mismatch"        # amount, currency, user or payment id differ: flagged, no credit
UNKNOWN_ORDER = "unknown_order"
IGNORED = "ignored"          # a state change that cannot apply to this order
FLAGGED = "flagged"          # money moved in a way no rule settles (refunds): a person decides

# An order whose payment succeeded is paid, whatever we had decided locally before (expired
# by the sweep, or cancelled when the payment looked lost): the API is the truth.
_PAYABLE = ("pending", "expired", "cancelled")
_REFUND_ATTEMPTS = 5


def find_order(payment: PaymentState) -> Order | None:
    """The order this payment belongs to, checked against the payment's own metadata."""
    order_id = str(payment.metadata.get("order_id") or "")
    order = None
    if order_id:
        try:
            order = Order.get(order_id, consistent_read=True)
        except Order.DoesNotExist:
            order = None
    else:
        order = next(iter(Order.payment_index.query(payment.payment_id, limit=1)), None)
        if order is not None:
            order = Order.get(order.order_id, consistent_read=True)
    if order is None:
        logger.warning("payment for an unknown order", extra={"payment_id": payment.payment_id})
        return None
    return order


def _mismatch(order: Order, payment: PaymentState) -> str | None:
    if order.payment_id and order.payment_id != payment.payment_id:
        return "payment_id_mismatch"
    owner = payment.metadata.get("user_id")
    if owner is not None and str(owner) != order.user_id:
        return "user_mismatch"
    if payment.amount_kopecks != int(order.amount_kopecks) or payment.currency != order.currency:
        return "amount_mismatch"
    return None


def flag_order(order: Order, flag: str, condition=None, **details) -> None:
    """Mark an order for a person to look at, beside any flag it has (``review``); the
    webhook still answers 200. Logged as an error: the webhook's alarm tells the person.
    With ``condition``, only while it holds (``UpdateError`` otherwise, and nothing logged)."""
    flag_for_review(order, flag, condition=condition)
    logger.error("order flagged for review", extra={"order_id": order.order_id,
                                                     "flag": flag, **details})


def _conditional_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def keep_uncredited(order: Order, payment: PaymentState) -> bool:
    """A payment refunded while its order was never credited: flag the order so that no
    credit can follow (``crediting`` refuses flagged orders in its transaction). False when
    the order was credited meanwhile — a credit racing the refund won, so the refund must
    take the photoshoots back like any paid order's."""
    if REFUNDED_BEFORE_CREDIT in order.flags:
        return True  # alarmed once, not per delivery; no credit can pass the flag
    try:
        flag_order(order, REFUNDED_BEFORE_CREDIT, condition=Order.status.is_in(*_PAYABLE),
                   payment_id=payment.payment_id, refunded_kopecks=payment.refunded_kopecks)
    except UpdateError as error:
        if not _conditional_failed(error):
            raise
        return False
    return True


def buyer_missing(order: Order, payment: PaymentState) -> str:
    """The buyer's account is gone: nothing can be credited or taken back. Flagged for a
    person (refund the money by hand) and answered, so neither YooKassa's redeliveries nor
    every sweep run fail on it."""
    if USER_MISSING not in order.flags:
        flag_order(order, USER_MISSING, payment_id=payment.payment_id,
                   paid_kopecks=payment.amount_kopecks, status=order.status)
    return FLAGGED


def settle_payment(payment: PaymentState) -> str:
    """Apply the payment's current state (as fetched from the API) to its order."""
    order = find_order(payment)
    if order is None:
        return UNKNOWN_ORDER
    problem = _mismatch(order, payment)
    if problem:
        flag_order(order, problem, payment_id=payment.payment_id,
                   paid_kopecks=payment.amount_kopecks, currency=payment.currency)
        return MISMATCH
    if payment.status == "succeeded" and payment.paid:
        if payment.refunded_kopecks and order.status in _PAYABLE:
            # Refunded (in full or in part) before it was ever credited — a lost notification
            # and a refund from the dashboard: crediting now would give the photoshoots and
            # the money back both.
            return FLAGGED if keep_uncredited(order, payment) else DUPLICATE
        return credit_order(order, payment)
    if payment.status == "canceled":
        return cancel_order(order, payment)
    return STILL_PENDING


def credit_order(order: Order, payment: PaymentState) -> str:
    if order.status not in _PAYABLE:
        if order.status == "paid":
            # idempotent: repairs a first payment whose count a crash right after the
            # credit lost (the redelivery lands here); otherwise it writes nothing
            analytics.record_first_payment(order.user_id, order.order_id)
        return DUPLICATE
    photoshoots = int(order.photoshoots)
    try:
        applied = credit_order_once(order, payable=_PAYABLE, payment_id=payment.payment_id,
                                    note=f"yookassa {payment.payment_id}")
    except NotFound:
        return buyer_missing(order, payment)
    if not applied:
        return DUPLICATE
    if order.status != "pending":
        logger.warning("late payment credited", extra={"order_id": order.order_id,
                                                       "previous_status": order.status})
    logger.info("order paid", extra={"order_id": order.order_id, "photoshoots": photoshoots,
                                     "amount_kopecks": int(order.amount_kopecks)})
    analytics.record("payment_success", order.user_id,
                     revenue_kopecks=int(order.amount_kopecks))
    analytics.record_first_payment(order.user_id, order.order_id)
    notify.order_paid(order, photoshoots)
    return CREDITED


def cancel_order(order: Order, payment: PaymentState) -> str:
    if order.status not in ("pending", "expired"):
        return DUPLICATE if order.status == "cancelled" else IGNORED
    reason = payment.cancellation_reason
    try:
        order.update(actions=[Order.status.set("cancelled"),
                              Order.cancellation_code.set(reason or "unknown"),
                              Order.cancellation_reason.set(cancellation_text(reason)),
                              Order.updated_at.set(utc_now_iso())],
                     condition=Order.status.is_in("pending", "expired"))
    except UpdateError:
        return DUPLICATE
    logger.info("order cancelled", extra={"order_id": order.order_id,
                                          "party": payment.cancellation_party,
                                          "reason": reason})
    return CANCELLED


def expire_order(order: Order) -> str:
    try:
        order.update(actions=[Order.status.set("expired"),
                              Order.cancellation_code.set("order_expired"),
                              Order.cancellation_reason.set(cancellation_text("order_expired")),
                              Order.updated_at.set(utc_now_iso())],
                     condition=Order.status == "pending")
    except UpdateError:
        return DUPLICATE
    logger.info("order expired", extra={"order_id": order.order_id})
    return EXPIRED


_COUNT_ATTEMPTS = 10


def count_refunded_money(order: Order, refunded_kopecks: int, refund_id: str) -> int:
    """Bring the order's refunded money in the statistics up to ``refunded_kopecks`` — the
    payment's refunds so far as the API reports them — and return the kopecks counted now.

    Counting the total rather than each notification's own refund means a refund whose
    notification was lost is still counted by the next one (at the latest the completing
    refund). Exactly once: the order's ``counted_refunded_kopecks`` moves up only by a write
    conditional on the value this call read, in one transaction with the ``refunded``
    counter; a redelivery or a concurrent notification finds it moved and counts only what
    is left (usually nothing)."""
    target = min(int(refunded_kopecks), int(order.amount_kopecks))
    source = None  # read only when there is money to count: most calls are redeliveries
    current = order
    for _ in range(_COUNT_ATTEMPTS):
        stored = current.counted_refunded_kopecks
        counted = int(stored) if stored is not None else _counted_before_totals(current,
                                                                                 target)
        if target <= counted:
            return 0
        source = source or counters.source_of_user(order.user_id)
        condition = (Order.counted_refunded_kopecks.does_not_exist() if stored is None
                     else Order.counted_refunded_kopecks == int(stored))

        def claim(transaction, condition=condition) -> None:
            transaction.update(Order(order.order_id),
                               actions=[Order.counted_refunded_kopecks.set(target),
                                        Order.counted_refund_ids.add({refund_id})],
                               condition=condition)

        if counters.add_guarded(claim, counters.today(), source,
                                {counters.REFUNDED: target - counted}):
            return target - counted
        current = Order.get(order.order_id, consistent_read=True)  # moved meanwhile: re-read
    raise PhotoshootError(details={"order_id": order.order_id, "reason": "refund_count_busy"})


def _counted_so_far_or_guess(order: Order, refunded: int, refund: RefundState) -> int:
    """``_counted_before_totals`` for the refund transition, which must never wait on the
    statistics: if the API cannot name an earlier refund's amount, take every earlier refund
    as counted (how refunds were counted before the total was kept) and go on taking the
    photoshoots back."""
    try:
        return _counted_before_totals(order, refunded)
    except Exception:  # noqa: BLE001 - statistics never block money
        logger.warning("earlier refunds not measured; counting this refund only",
                       extra={"order_id": order.order_id}, exc_info=True)
        return max(0, refunded - int(refund.amount_kopecks))


def _counted_before_totals(order: Order, target: int) -> int:
    """Refunded money counted for an order before the total was stored on it. A partial
    refund was counted with its own amount, once per id in ``counted_refund_ids`` — the API
    still knows each amount. An order refunded in full then was counted when it was refunded
    (refunds since store the total in the same transaction): take it as counted, rather than
    count its completing refund twice."""
    if order.status == "refunded":
        return target
    return sum(fetch_refund(refund_id).amount_kopecks
               for refund_id in sorted(order.counted_refund_ids or ()))


def _reread(order: Order) -> Order:
    """The order as stored now. After the refund transition (ours or a concurrent one's) the
    copy read before it is stale: still ``paid`` and, on most orders, without the counted
    total the transition stored — counting from it would fail its first claim every time and
    fetch a legacy order's earlier refunds from the API a second time."""
    return Order.get(order.order_id, consistent_read=True)


def refund_applied(order: Order, refund_id: str, listed_kopecks: int = 0) -> bool:
    """Has ``refund_order`` nothing left to do for this refund of this order, as far as the
    order alone tells? True only where it would change nothing whatever the payment says,
    so the refund sweep spends no API call on refunds a notification already applied:

    - refunded, with every kopeck of the order counted (or refunded before totals were
      kept: counted then, see ``_counted_before_totals``);
    - paid, with this refund counted and less than the order counted in all: a partial
      refund, flagged and counted. A later refund that completes the amount is a refund of
      its own and is applied on its own (a paid order counted in full is not settled: the
      refund goes through ``refund_order``, which takes the photoshoots back) — unless its
      notification read the payment before the refunded total included it and counted it
      as one more partial refund. ``listed_kopecks``, the refunds of this payment the caller
      has seen (the sweep's listing), gives that away: an order that counted less than them
      has not applied them all;
    - never credited and flagged ``refunded_before_credit``: the flag is all there is to do.
    """
    counted = order.counted_refunded_kopecks
    if order.status == "refunded":
        return counted is None or int(counted) >= int(order.amount_kopecks)
    if order.status == "paid":
        return (refund_id in (order.counted_refund_ids or ()) and counted is not None
                and int(listed_kopecks) <= int(counted) < int(order.amount_kopecks))
    return order.status in _PAYABLE and REFUNDED_BEFORE_CREDIT in order.flags


def refund_order(refund: RefundState, payment: PaymentState) -> str:
    """A succeeded refund: the order becomes refunded and its photoshoots are taken back —
    only as many as are still on the balance; the rest (already spent) is recorded on the
    order as ``refund_shortfall`` and flagged."""
    if refund.status != "succeeded" or refund.payment_id != payment.payment_id:
        return IGNORED
    order = find_order(payment)
    if order is None:
        return UNKNOWN_ORDER
    problem = _mismatch(order, payment)
    if problem:
        flag_order(order, problem, payment_id=payment.payment_id)
        return MISMATCH
    refunded = max(payment.refunded_kopecks, refund.amount_kopecks)  # all refunds so far
    if order.status in _PAYABLE:
        # never credited: a later credit must not happen either; the buyer has their money
        # back. Unless a credit landed since the read: then it is undone below.
        if keep_uncredited(order, payment):
            return FLAGGED
        order = _reread(order)
    if order.status == "refunded":
        # a redelivery, a late notification, or the count lost to a crash after the refund
        # was applied: bring the money up to date (nothing, when it is)
        count_refunded_money(order, refunded, refund.refund_id)
        return DUPLICATE
    if order.status != "paid":
        logger.warning("refund for an order that is not paid",
                       extra={"order_id": order.order_id, "status": order.status})
        return IGNORED
    if refunded < int(order.amount_kopecks):
        # A partial refund (a goodwill gesture from the dashboard): how many photoshoots it
        # is worth is not ours to guess. The credits stay; a person decides. The refund that
        # completes the amount takes them back as a full one.
        if "partial_refund" not in order.flags:
            flag_order(order, "partial_refund", payment_id=payment.payment_id,
                       refunded_kopecks=refunded,
                       amount_kopecks=int(order.amount_kopecks))
        # the money left: net revenue shows it at once
        count_refunded_money(order, refunded, refund.refund_id)
        return FLAGGED
    try:
        return _take_back(order, refund, refunded)
    except NotFound:
        return buyer_missing(order, payment)


def _take_back(order: Order, refund: RefundState, refunded: int) -> str:
    """The full refund of a paid order: status refunded, the photoshoots still on the
    balance taken back, in one transaction."""
    photoshoots = int(order.photoshoots)
    # A refunded order always carries the counted total (see _counted_before_totals): where
    # none is stored yet, store what was counted so far; the count after the transition (or
    # the next delivery's, after a crash) adds the rest.
    counted_so_far = (None if order.counted_refunded_kopecks is not None
                      else _counted_so_far_or_guess(order, refunded, refund))
    for _ in range(_REFUND_ATTEMPTS):
        take = min(photoshoots, max(0, balance_of(order.user_id)))
        shortfall = photoshoots - take
        now = utc_now_iso()
        actions = [Order.status.set("refunded"), Order.refunded_at.set(now),
                   Order.updated_at.set(now), Order.refund_shortfall.set(shortfall)]
        if shortfall:
            actions.append(add_flag("refund_shortfall"))
        if counted_so_far is not None:
            actions.append(Order.counted_refunded_kopecks.set(
                Order.counted_refunded_kopecks | counted_so_far))

        def mark_refunded(transaction, actions=actions) -> None:
            transaction.update(Order(order.order_id), actions=actions,
                               condition=Order.status == "paid")

        change = BalanceChange(order.user_id, f"purchase_refund#{order.order_id}", -take,
                               "purchase_refund", order.order_id,
                               note=f"yookassa refund {refund.refund_id}",
                               extra=(mark_refunded,))
        try:
            applied = apply_balance_change(change)
        except InsufficientBalance:
            continue  # photoshoots were spent meanwhile: measure again
        except TransactionConflict:
            count_refunded_money(_reread(order), refunded, refund.refund_id)
            return DUPLICATE
        if not applied:
            count_refunded_money(_reread(order), refunded, refund.refund_id)
            return DUPLICATE
        if shortfall:
            # an error, as every flag: the webhook's logged-errors alarm is how a person
            # learns that money went back for photoshoots already used
            logger.error("refund shortfall: photoshoots already spent",
                         extra={"order_id": order.order_id, "shortfall": shortfall,
                                "flag": "refund_shortfall"})
        logger.info("order refunded", extra={"order_id": order.order_id, "taken_back": take})
        analytics.record("payment_refund", order.user_id)  # the order, once: the transition
        # before the count: a count that fails answers 5xx and its redelivery is a duplicate,
        # which would never push the balance the refund changed
        notify.balance_changed(order.user_id)
        count_refunded_money(_reread(order), refunded, refund.refund_id)
        return REFUNDED
    raise TransactionConflict()
