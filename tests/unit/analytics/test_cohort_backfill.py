"""The one-off backfill of sign-up cohorts (``infra/backfill_cohorts.py``): accounts made
before cohorts were tracked get the cell their sign-up would have had, its ``signup_tracked``
and — if they ever paid — its ``signup_paid``, each exactly once, however often or however
many at once it runs; accounts tracked at sign-up are left alone."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from infra import backfill_cohorts
from photoshoot import analytics
from photoshoot.analytics import cohort_backfill, counters, stats
from photoshoot.auth.accounts import Attribution, sign_in
from photoshoot.auth.telegram_login import TelegramIdentity
from photoshoot.models import Order, StatCounter, User

# 22:30 UTC is 01:30 the next day in Moscow: the cohort's day is Moscow's
LATE_EVENING = "2026-03-01T22:30:00.000Z"
MORNING = "2026-03-01T07:00:00.000Z"


def _old_account(user_id: str, created_at: str = MORNING, utm_source: str | None = None):
    """An account as sign-ups stored it before cohorts: no signup_cohort."""
    User(user_id, telegram_id=int(user_id), first_name="Анна", balance=0,
         utm={"utm_source": utm_source} if utm_source else None,
         created_at=created_at).save()


def _order(user_id: str, order_id: str, status: str = "paid", provider: str = "yookassa",
           paid_at: str | None = "2026-03-05T12:00:00.000Z") -> None:
    stars = provider == "stars"
    Order(order_id, user_id=user_id, package_id="start", photoshoots=3,
          amount_kopecks=0 if stars else 29900, amount_stars=150 if stars else None,
          currency="XTR" if stars else "RUB", provider=provider, status=status,
          created_at="2026-03-04T10:00:00.000Z",
          paid_at=paid_at if status in ("paid", "refunded") else None).save()


def _cells() -> dict[tuple[str, str], int]:
    return {(item.day, item.metric): int(item.value) for item in StatCounter.scan()
            if item.metric.endswith(("#signup_tracked", "#signup_paid"))}


def _snapshot() -> tuple:
    users = sorted((u.user_id, u.signup_cohort, u.signup_cohort_backfilled_at,
                    u.first_paid_order_id, u.first_paid_at) for u in User.scan())
    counters_now = sorted((c.day, c.metric, int(c.value)) for c in StatCounter.scan())
    return users, counters_now


@pytest.fixture
def accounts(aws):
    """Old accounts of every kind, and one made after the change (which paid)."""
    _old_account("101", LATE_EVENING, "vk")             # paid on the web, never marked
    _order("101", "o-101a", paid_at="2026-03-06T09:00:00.000Z")
    _order("101", "o-101b", paid_at="2026-03-05T12:00:00.000Z")  # the first payment
    _old_account("102")                                 # never paid
    _order("102", "o-102", status="cancelled")
    _old_account("103", MORNING, "VK Ads")              # paid in Stars, never marked
    _order("103", "o-103", provider="stars")
    _old_account("104", MORNING, "vk")                  # paid after the change: marked only
    _order("104", "o-104")
    assert analytics.record_first_payment("104", "o-104") is False
    _old_account("105", LATE_EVENING)                   # paid, then refunded: it paid
    _order("105", "o-105", status="refunded")
    _old_account("106", MORNING, "vk")                  # only a checkout left unpaid
    _order("106", "o-106", status="pending")
    sign_in(TelegramIdentity(telegram_id=201, first_name="Борис"), source="widget",
            attribution=Attribution(utm={"utm_source": "vk"}))
    _order("201", "o-201")
    assert analytics.record_first_payment("201", "o-201") is True  # counted live
    return aws


def test_old_accounts_get_their_sign_up_cell_and_first_payment_once(accounts):
    today = counters.today()
    assert _cells() == {(today, "vk#signup_tracked"): 1, (today, "vk#signup_paid"): 1}
    new_before = User.get("201")

    outcomes = cohort_backfill.backfill_cohorts()

    assert outcomes == {"scanned": 7, "tracked_at_signup": 1, "paid_counted": 4,
                        "backfilled": 2}
    cohorts = {u.user_id: u.signup_cohort for u in User.scan()}
    assert cohorts == {"101": "2026-03-02#vk", "102": "2026-03-01#direct",
                       "103": "2026-03-01#vk_ads", "104": "2026-03-01#vk",
                       "105": "2026-03-02#direct", "106": "2026-03-01#vk",
                       "201": f"{today}#vk"}
    assert _cells() == {
        ("2026-03-01", "direct#signup_tracked"): 1,
        ("2026-03-01", "vk#signup_tracked"): 2, ("2026-03-01", "vk#signup_paid"): 1,
        ("2026-03-01", "vk_ads#signup_tracked"): 1, ("2026-03-01", "vk_ads#signup_paid"): 1,
        ("2026-03-02", "vk#signup_tracked"): 1, ("2026-03-02", "vk#signup_paid"): 1,
        ("2026-03-02", "direct#signup_tracked"): 1, ("2026-03-02", "direct#signup_paid"): 1,
        (today, "vk#signup_tracked"): 1, (today, "vk#signup_paid"): 1}
    # the first payment is the earliest paid order, at the time it was paid
    first = User.get("101")
    assert (first.first_paid_order_id, first.first_paid_at) == (
        "o-101b", "2026-03-05T12:00:00.000Z")
    assert User.get("104").first_paid_order_id == "o-104"  # its mark is kept
    assert User.get("102").first_paid_order_id is None
    assert User.get("106").first_paid_order_id is None
    # the account tracked at sign-up is untouched
    new_after = User.get("201")
    assert new_after.serialize() == new_before.serialize()
    assert new_after.signup_cohort_backfilled_at is None
    # the admin statistics now have a base for the old days
    days = {d["day"]: d for d in stats.funnel_stats(date(2026, 3, 1),
                                                    date(2026, 3, 2))["days"]}
    assert (days["2026-03-01"]["signup_tracked"], days["2026-03-01"]["signup_paid"]) == (4, 2)
    assert (days["2026-03-02"]["signup_tracked"], days["2026-03-02"]["signup_paid"]) == (2, 2)


def test_a_second_run_changes_nothing(accounts):
    cohort_backfill.backfill_cohorts()
    after_first = _snapshot()
    assert cohort_backfill.backfill_cohorts() == {"scanned": 7, "tracked_at_signup": 1,
                                                  "backfilled_before": 6}
    assert _snapshot() == after_first


def test_a_dry_run_writes_nothing_and_says_what_a_run_would_do(accounts):
    before = _snapshot()
    predicted = cohort_backfill.backfill_cohorts(dry_run=True)
    assert _snapshot() == before
    assert predicted == cohort_backfill.backfill_cohorts()


def test_concurrent_runs_count_every_account_once(aws):
    for n in range(24):
        user_id = str(300 + n)
        _old_account(user_id, MORNING, "vk" if n % 3 else None)
        if n % 2:
            _order(user_id, f"o-{user_id}")
        if n % 4 == 1:  # paid after the change: marked, not counted
            analytics.record_first_payment(user_id, f"o-{user_id}")
    runs = 4
    start = threading.Barrier(runs)

    def run(_):
        start.wait()
        return cohort_backfill.backfill_cohorts()

    with ThreadPoolExecutor(max_workers=runs) as pool:
        results = list(pool.map(run, range(runs)))

    assert _cells() == {("2026-03-01", "vk#signup_tracked"): 16,
                        ("2026-03-01", "vk#signup_paid"): 8,
                        ("2026-03-01", "direct#signup_tracked"): 8,
                        ("2026-03-01", "direct#signup_paid"): 4}
    assert all(r.get("failed", 0) == 0 for r in results)
    # Each first payment is counted by exactly one run. A paid account's two steps may be
    # done by two runs (one writes its cohort: "backfilled", another counts the payment:
    # "paid_counted"), so the labels can exceed the accounts; the cells above are exact.
    assert sum(r.get("paid_counted", 0) for r in results) == 12
    assert 12 <= sum(r.get("backfilled", 0) for r in results) <= 24
    assert {u.first_paid_order_id for u in User.scan() if int(u.user_id) % 2} == {
        f"o-{u}" for u in range(301, 324, 2)}


def test_a_run_stopped_between_the_steps_is_finished_by_the_next(aws, monkeypatch):
    _old_account("101", MORNING, "vk")
    _order("101", "o-101")
    real = cohort_backfill._count_first_payment

    def stopped(*args, **kwargs):
        raise RuntimeError("the run was stopped")

    monkeypatch.setattr(cohort_backfill, "_count_first_payment", stopped)
    assert cohort_backfill.backfill_cohorts() == {"scanned": 1, "failed": 1}
    assert _cells() == {("2026-03-01", "vk#signup_tracked"): 1}
    monkeypatch.setattr(cohort_backfill, "_count_first_payment", real)
    assert cohort_backfill.backfill_cohorts() == {"scanned": 1, "paid_counted": 1}
    assert cohort_backfill.backfill_cohorts() == {"scanned": 1, "backfilled_before": 1}
    assert _cells() == {("2026-03-01", "vk#signup_tracked"): 1,
                        ("2026-03-01", "vk#signup_paid"): 1}


class _UserReadThenBackfilled:
    """``User`` for ``counters``: right after the live first-payment count has read the
    account, the backfill gives it its cohort — before the order's index entry shows the
    payment (GSIs are eventually consistent), so the backfill leaves the count to it."""

    def __init__(self, monkeypatch):
        self.monkeypatch, self.fired = monkeypatch, False

    def __getattr__(self, name):
        return getattr(User, name)

    def __call__(self, *args, **kwargs):
        return User(*args, **kwargs)

    def get(self, *args, **kwargs):
        user = User.get(*args, **kwargs)
        if not self.fired:
            self.fired = True
            with self.monkeypatch.context() as patch:
                patch.setattr(cohort_backfill, "first_paid_order", lambda user_id: None)
                assert cohort_backfill.backfill_cohorts() == {"scanned": 1,
                                                              "backfilled": 1}
        return user


def test_a_payment_counted_while_the_backfill_runs_is_counted_once(aws, monkeypatch):
    _old_account("101", MORNING, "vk")
    _order("101", "o-101")
    monkeypatch.setattr(counters, "User", _UserReadThenBackfilled(monkeypatch))
    assert analytics.record_first_payment("101", "o-101") is True  # the webhook's count
    monkeypatch.undo()
    assert cohort_backfill.backfill_cohorts() == {"scanned": 1, "backfilled_before": 1}
    assert _cells() == {("2026-03-01", "vk#signup_tracked"): 1,
                        ("2026-03-01", "vk#signup_paid"): 1}
    assert User.get("101").first_paid_order_id == "o-101"


def test_the_command_line_reports_the_target_and_outcomes(accounts, capsys, monkeypatch):
    monkeypatch.setenv("LOCAL_ENV_FILE", "")  # hermetic: no developer .env
    assert backfill_cohorts.main(["--dry-run"]) == 0
    out, err = capsys.readouterr()
    target = json.loads(err.splitlines()[0])
    assert target["users"] == "photoshoot-test-users" and target["dry_run"] is True
    assert json.loads(out) == {"scanned": 7, "tracked_at_signup": 1, "paid_counted": 4,
                               "backfilled": 2}
    assert _cells()[(counters.today(), "vk#signup_tracked")] == 1 and len(_cells()) == 2
    assert backfill_cohorts.main([]) == 0
    assert backfill_cohorts.main([]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {
        "scanned": 7, "tracked_at_signup": 1, "backfilled_before": 6}
    assert len(_cells()) == 11
