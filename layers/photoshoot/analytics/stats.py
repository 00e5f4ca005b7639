"""The admin statistics: the funnel counters of a date range, by day, by source and in total.

One query per day partition (a range is at most ``MAX_DAYS`` days), no scans.

``signup_paid`` / ``signup_tracked`` is the sign-up → payment rate: the share of the sign-ups
(of that day or source) who paid at least once — see ``counters``. Days before cohorts were
tracked have ``signup_tracked`` 0, so they show no rate rather than a wrong one.
"""
from __future__ import annotations

import re

from datetime import date, timedelta

from photoshoot.analytics.counters import (METRICS, REFUNDED, REVENUE, SIGNUP_PAID,
                                           SIGNUP_TRACKED)
from photoshoot.errors import ValidationFailed
from photoshoot.models import StatCounter

MAX_DAYS = 92
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
_COHORT_FIELDS = (SIGNUP_TRACKED, SIGNUP_PAID)
FIELDS = (*METRICS, "revenue_kopecks", "refunded_kopecks", *_COHORT_FIELDS)
_MONEY_FIELDS = {REVENUE: "revenue_kopecks", REFUNDED: "refunded_kopecks"}


def _empty() -> dict[str, int]:
    return {name: 0 for name in FIELDS}


def _field(metric: str) -> str | None:
    if metric in _MONEY_FIELDS:
        return _MONEY_FIELDS[metric]
    return metric if metric in METRICS or metric in _COHORT_FIELDS else None


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_range(raw_from: str | None, raw_to: str | None, *, today: date) -> tuple[date, date]:
    """``from``/``to`` as ``YYYY-MM-DD`` (inclusive); default: the last 30 days."""
    def parse(value: str | None, name: str) -> date | None:
        if value in (None, ""):
            return None
        try:
            # fromisoformat also takes 20260101 and 2026-W01-1: only the documented form
            if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
                raise ValueError(value)
            parsed = date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValidationFailed(f"Параметр {name} должен быть датой в формате ГГГГ-ММ-ДД.",
                                   details={"field": name}) from None
        if not EARLIEST <= parsed <= LATEST:  # also keeps the date arithmetic in range
            raise ValidationFailed(f"Параметр {name}: дата между {EARLIEST.year} и "
                                   f"{LATEST.year} годом.", details={"field": name})
        return parsed

    end = parse(raw_to, "to") or today
    start = parse(raw_from, "from") or end - timedelta(days=29)
    if start > end:
        raise ValidationFailed("Начало периода должно быть не позже его конца.")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationFailed(f"Период не может быть длиннее {MAX_DAYS} дней.",
                               details={"max_days": MAX_DAYS})
    return start, end


def funnel_stats(start: date, end: date) -> dict:
    """``{from, to, days: [{day, …metrics}], sources: [{source, …}], totals: {…}}``."""
    days: list[dict] = []
    sources: dict[str, dict[str, int]] = {}
    totals = _empty()
    current = start
    while current <= end:
        day = current.isoformat()
        row = _empty()
        for item in StatCounter.query(day):
            source, _, metric = item.metric.rpartition("#")
            name = _field(metric)
            if not source or name is None:
                continue
            value = int(item.value or 0)
            row[name] += value
            sources.setdefault(source, _empty())[name] += value
            totals[name] += value
        days.append({"day": day, **row})
        current += timedelta(days=1)
    by_source = [{"source": name, **values} for name, values in sources.items()]
    by_source.sort(key=lambda r: (-r["revenue_kopecks"], -r["signup"], r["source"]))
    return {"from": start.isoformat(), "to": end.isoformat(), "days": days,
            "sources": by_source, "totals": totals}
