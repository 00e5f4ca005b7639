"""Money paths: exactly once, never below zero, consistent ledger under concurrency."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from photoshoot.billing import (BalanceChange, BalanceContention, TransactionConflict,
                                apply_balance_change, balance_of, ledger_of)
from photoshoot.errors import InsufficientBalance, NotFound
from photoshoot.models import User
from photoshoot.models.base import utc_now_iso


def _user(user_id="42", balance=0):
    User(user_id, telegram_id=int(user_id), balance=balance, created_at=utc_now_iso()).save()


def test_same_entry_is_applied_once(aws):
    _user()
    change = BalanceChange("42", "purchase#o1", 10, "purchase", "o1")
    assert apply_balance_change(change) is True
    assert apply_balance_change(change) is False
    assert balance_of("42") == 10
    assert [e.entry_id for e in ledger_of("42")] == ["purchase#o1"]


def test_debit_never_goes_below_zero(aws):
    _user(balance=0)
    with pytest.raises(InsufficientBalance):
        apply_balance_change(BalanceChange("42", "charge#g1", -1, "charge", "g1", spent_delta=1))
    assert balance_of("42") == 0
    assert ledger_of("42") == []


def test_unknown_user_is_not_found(aws):
    with pytest.raises(NotFound):
        apply_balance_change(BalanceChange("404", "bonus#signup", 1, "bonus"))


def test_concurrent_charges_accept_exactly_the_balance(aws):
    _user(balance=3)

    def charge(i):
        try:
            return apply_balance_change(
                BalanceChange("42", f"charge#g{i}", -1, "charge", f"g{i}", spent_delta=1))
        except InsufficientBalance:
            return "402"

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(charge, range(20)))
    assert results.count(True) == 3
    assert results.count("402") == 17
    assert balance_of("42") == 0
    entries = ledger_of("42")
    assert len(entries) == 3 and sum(e.delta for e in entries) == -3
    assert User.get("42").spent == 3


def test_concurrent_duplicates_credit_once(aws):
    _user()
    change = BalanceChange("42", "purchase#o7", 10, "purchase", "o7")
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: apply_balance_change(change), range(30)))
    assert results.count(True) == 1
    assert balance_of("42") == 10


def test_contention_through_every_retry_is_transient_not_a_conflict(aws, contention):
    """A caller that reads TransactionConflict as "done before" (crediting, refunds) must
    not drop the change when DynamoDB only reported contention: it gets BalanceContention
    and retries; nothing was written meanwhile."""
    _user(balance=1)
    contention.hold(5)  # the first try and all four retries
    change = BalanceChange("42", "refund#g1", 1, "refund", "g1", spent_delta=-1)

    with pytest.raises(BalanceContention) as raised:
        apply_balance_change(change)

    assert not isinstance(raised.value, TransactionConflict) and raised.value.status == 503
    assert contention.cancelled == 5
    assert balance_of("42") == 1 and ledger_of("42") == []
    assert apply_balance_change(change) is True  # the caller's retry, contention gone
    assert balance_of("42") == 2


def test_throttling_is_transient_too_never_settled_before(aws, contention):
    _user(balance=0)
    contention.hold(1, code="ThrottlingError")

    with pytest.raises(BalanceContention):
        apply_balance_change(BalanceChange("42", "purchase#o1", 10, "purchase", "o1"))
    assert balance_of("42") == 0
    assert apply_balance_change(BalanceChange("42", "purchase#o1", 10, "purchase", "o1"))


def test_contention_that_clears_within_the_retries_applies_once(aws, contention):
    _user(balance=1)
    contention.hold(3)

    assert apply_balance_change(BalanceChange("42", "refund#g1", 1, "refund", "g1")) is True
    assert balance_of("42") == 2 and [e.entry_id for e in ledger_of("42")] == ["refund#g1"]


def test_a_failed_condition_of_an_extra_part_is_still_a_conflict(aws):
    _user(balance=0)
    User("43", telegram_id=43, balance=0, created_at=utc_now_iso()).save()

    def only_if_43_has_five(transaction):
        transaction.condition_check(User, "43", condition=User.balance >= 5)

    with pytest.raises(TransactionConflict):
        apply_balance_change(BalanceChange("42", "bonus#x", 1, "bonus",
                                           extra=(only_if_43_has_five,)))
    assert balance_of("42") == 0
