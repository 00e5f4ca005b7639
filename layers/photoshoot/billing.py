"""The balance and its ledger: every change of a user's photoshoot balance goes through
``apply_balance_change`` — one DynamoDB transaction that updates the balance and writes the
ledger entry with ``attribute_not_exists``. A retried, duplicated or concurrent change is
therefore applied exactly once, and a debit never takes the balance below zero.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from photoshoot.errors import Conflict, InsufficientBalance, NotFound, PhotoshootError
from photoshoot.models import LedgerEntry, User
from photoshoot.models.base import utc_now_iso
from photoshoot.settings import get_settings


class TransactionConflict(Conflict):
    """One of the extra parts of a balance change failed its condition (e.g. the order was
    no longer pending); nothing was written."""


class BalanceContention(PhotoshootError):
    """DynamoDB cancelled the transaction without any condition failing — other
    transactions kept touching the same items through every retry, or it throttled;
    nothing was written and nothing was decided. Transient: not a ``TransactionConflict`` on purpose —
    callers that read a conflict as "done before" must not read this as done, so it
    propagates and the caller's own retry (the Lambda's, the state machine's, the
    webhook sender's) applies the change later."""
    status = 503
    code = "balance_busy"
    message = "Баланс сейчас обновляется. Повторите через несколько секунд."


_CONFLICT_RETRIES = 4

# Extra writes that must commit or fail together with the balance change (e.g. create the
# Generation being paid for, or move an order from pending to paid).
TransactionPart = Callable[[TransactWrite], None]


@dataclass(frozen=True)
class BalanceChange:
    user_id: str
    entry_id: str  # "<kind>#<reference>": the idempotency key of this change
    delta: int
    kind: str  # purchase | charge | refund | bonus | purchase_refund | adjustment
    reference: str | None = None
    note: str | None = None
    spent_delta: int = 0  # photoshoots used: +1 on charge, -1 when a charge is refunded
    extra: tuple[TransactionPart, ...] = field(default_factory=tuple)


def transaction_connection() -> Connection:
    settings = get_settings()
    return _connection(settings.region, settings.aws_endpoint_url or None)


@lru_cache(maxsize=4)
def _connection(region: str, host: str | None) -> Connection:
    """One connection per warm Lambda: building a botocore client costs ~90 ms of CPU."""
    return Connection(region=region, host=host)


def apply_balance_change(change: BalanceChange) -> bool:
    """Apply the change once. True if applied now, False if this entry was applied before.

    Raises ``InsufficientBalance`` when a debit would take the balance below zero, and
    ``NotFound`` for an unknown user; any failed extra part cancels the whole change.
    """
    user_actions = [User.balance.add(change.delta)]
    if change.spent_delta:
        user_actions.append(User.spent.add(change.spent_delta))
    condition = User.user_id.exists()
    if change.delta < 0:
        condition &= User.balance >= -change.delta
    entry = LedgerEntry(change.user_id, change.entry_id, kind=change.kind, delta=change.delta,
                        reference=change.reference, note=change.note, created_at=utc_now_iso())
    for attempt in range(_CONFLICT_RETRIES + 1):
        try:
            with TransactWrite(connection=transaction_connection()) as transaction:
                transaction.update(User(change.user_id), actions=user_actions,
                                   condition=condition)
                transaction.save(entry, condition=LedgerEntry.entry_id.does_not_exist())
                for part in change.extra:
                    part(transaction)
            return True
        except TransactWriteError as error:
            codes = {getattr(r, "code", None) for r in (error.cancellation_reasons or []) if r}
            if "TransactionConflict" in codes and attempt < _CONFLICT_RETRIES:
                # Another transaction touched the same user at this instant: try again.
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
                continue
            return _explain_cancellation(change, error, codes)
    return False


_TRANSIENT_REASONS = {"TransactionConflict", "ThrottlingError", "RequestLimitExceeded",
                      "ProvisionedThroughputExceeded", "None", None}


def _explain_cancellation(change: BalanceChange, error: TransactWriteError,
                          codes: set) -> bool:
    # PynamoDB reorders transaction items by kind (checks, deletes, puts, updates), so
    # the cancellation reasons are not in our order: classify by reading the state.
    if not error.cancellation_reasons:
        raise error
    if _entry_exists(change.user_id, change.entry_id):
        return False  # this change was applied before
    if not _user_exists(change.user_id):
        raise NotFound("Пользователь не найден.") from None
    if change.delta < 0 and balance_of(change.user_id) < -change.delta:
        raise InsufficientBalance() from None
    if "ConditionalCheckFailed" in codes:
        raise TransactionConflict() from error
    if codes <= _TRANSIENT_REASONS:
        # Cancelled for contention, throttling or capacity, not because anything was so:
        # transient, never "settled before".
        raise BalanceContention(details={"entry_id": change.entry_id}) from error
    raise error  # e.g. ValidationError: a fault of ours, not a state to explain


def _entry_exists(user_id: str, entry_id: str) -> bool:
    try:
        LedgerEntry.get(user_id, entry_id, consistent_read=True, attributes_to_get=["entry_id"])
        return True
    except LedgerEntry.DoesNotExist:
        return False


def _user_exists(user_id: str) -> bool:
    try:
        User.get(user_id, attributes_to_get=["user_id"])
        return True
    except User.DoesNotExist:
        return False


def balance_of(user_id: str) -> int:
    try:
        return int(User.get(user_id, consistent_read=True,
                            attributes_to_get=["balance"]).balance or 0)
    except User.DoesNotExist:
        raise NotFound("Пользователь не найден.") from None


def ledger_of(user_id: str) -> list[LedgerEntry]:
    return list(LedgerEntry.query(user_id, consistent_read=True))
