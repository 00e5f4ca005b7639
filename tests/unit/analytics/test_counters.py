"""Funnel counters: atomic ADD per day and first-touch source, never failing the business."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from photoshoot import analytics
from photoshoot.analytics import counters
from photoshoot.models import StatCounter, User
from photoshoot.models.base import utc_now_iso


def _value(day: str, key: str) -> int:
    try:
        return int(StatCounter.get(day, key, consistent_read=True).value)
    except StatCounter.DoesNotExist:
        return 0


def _user(user_id: str, utm: dict | None = None) -> None:
    User(user_id, telegram_id=int(user_id), utm=utm, created_at=utc_now_iso()).save()


def test_twenty_concurrent_records_count_twenty(aws):
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: analytics.record("generation_start", source="vk"),
                                range(20)))
    assert results == [True] * 20
    assert _value(counters.today(), "vk#generation_start") == 20


def test_source_is_the_users_first_touch_utm_source(aws):
    _user("501", {"utm_source": "Yandex Direct", "utm_medium": "cpc"})
    _user("502")
    analytics.record("generation_complete", "501")
    analytics.record("generation_complete", "502")
    analytics.record("generation_complete", "404404")  # unknown user: still counted, direct
    day = counters.today()
    assert _value(day, "yandex_direct#generation_complete") == 1
    assert _value(day, "direct#generation_complete") == 2


def test_money_is_counted_in_kopecks_on_moscow_days(aws):
    last_minute = datetime(2026, 3, 8, 20, 59, tzinfo=timezone.utc)  # 23:59 in Moscow
    next_day = datetime(2026, 3, 8, 21, 1, tzinfo=timezone.utc)  # 00:01 in Moscow
    analytics.record("payment_success", source="tg_ads", revenue_kopecks=99_000,
                     now=last_minute)
    analytics.record("payment_success", source="tg_ads", revenue_kopecks=49_000,
                     now=last_minute)
    analytics.record("payment_refund", source="tg_ads", refunded_kopecks=49_000, now=next_day)
    assert _value("2026-03-08", "tg_ads#payment_success") == 2
    assert _value("2026-03-08", "tg_ads#revenue") == 148_000
    assert _value("2026-03-09", "tg_ads#payment_refund") == 1
    assert _value("2026-03-09", "tg_ads#refunded") == 49_000


def test_source_names_are_key_safe(aws):
    assert counters.normalize_source("  VK#ads ") == "vk_ads"
    assert counters.normalize_source("") == "direct"
    assert counters.normalize_source(None) == "direct"
    assert counters.normalize_source("x" * 200) == "x" * counters.MAX_SOURCE_LEN


def test_a_failing_counter_never_raises(aws, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("DynamoDB is down")

    monkeypatch.setattr(counters, "add", broken)
    assert analytics.record("signup", source="vk") is False


def test_unknown_metric_is_refused_without_raising(aws):
    assert analytics.record("page_view", source="vk") is False
    assert list(StatCounter.query(counters.today())) == []
