"""A seller's generation history, newest first, with filters and cursor paging.

Generation ids are ULIDs, so their order is creation order and a date range is a range of
the sort key (no scan, no index). Style and status filter the query. The cursor is the id
of the last item returned; the next page continues strictly below it — it only ever names
the caller's own items, since the partition is always the caller.
"""
from __future__ import annotations

from datetime import datetime, time as dtime, timezone

from photoshoot.errors import NotFound, ValidationFailed
from photoshoot.generation.records import generation_to_dict, check_generation_id
from photoshoot.models import Generation

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _ulid_time_prefix(moment: datetime) -> str:
    """The 10-character timestamp part of a ULID for this instant."""
    # ULIDs start at 1970 and end in 10889: a date outside is the nearest end of the range
    millis = min(max(0, int(moment.timestamp() * 1000)), 32 ** 10 - 1)
    chars = []
    for _ in range(10):
        chars.append(_CROCKFORD[millis % 32])
        millis //= 32
    return "".join(reversed(chars))


def _predecessor(ulid: str) -> str:
    """The greatest ULID string below ``ulid`` (an inclusive bound for "strictly below")."""
    chars = list(ulid)
    for position in range(len(chars) - 1, -1, -1):
        value = _CROCKFORD.index(chars[position])
        if value > 0:
            chars[position] = _CROCKFORD[value - 1]
            return "".join(chars)
        chars[position] = _CROCKFORD[-1]
    return "0" * len(ulid)


def _parse_date(value: str, end_of_day: bool) -> datetime:
    try:
        if len(value) == 10:
            day = datetime.strptime(value, "%Y-%m-%d").date()
            return datetime.combine(day, dtime.max if end_of_day else dtime.min,
                                    tzinfo=timezone.utc)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except ValueError:
        raise ValidationFailed("Дата должна быть в формате ГГГГ-ММ-ДД.") from None


def list_generations(user_id: str, params: dict | None = None) -> dict:
    """``{items, next_cursor}``; params: ``style``, ``from``, ``to`` (dates or ISO
    instants, inclusive), ``status``, ``cursor``, ``limit``."""
    params = params or {}
    try:
        limit = min(MAX_PAGE_SIZE, max(1, int(params.get("limit") or PAGE_SIZE)))
    except ValueError:
        raise ValidationFailed(f"Размер страницы — целое число от 1 до {MAX_PAGE_SIZE}.") from None
    low = "0" * 26
    high = "Z" * 26
    start = _parse_date(params["from"], end_of_day=False) if params.get("from") else None
    end = _parse_date(params["to"], end_of_day=True) if params.get("to") else None
    if start and end and start > end:
        raise ValidationFailed("Начальная дата позже конечной: поменяйте их местами.")
    if start:
        low = _ulid_time_prefix(start) + "0" * 16
    if end:
        high = _ulid_time_prefix(end) + "Z" * 16
    if params.get("cursor"):
        # strictly below the cursor: the last id returned is not repeated
        try:
            cursor = check_generation_id(params["cursor"])
        except NotFound:
            raise ValidationFailed("Некорректный курсор: откройте историю заново.") from None
        high = min(high, _predecessor(cursor))
    if low > high:
        return {"items": [], "next_cursor": None}
    range_condition = Generation.generation_id.between(low, high)

    filter_condition = None
    statuses = [s.strip() for s in str(params.get("status") or "").split(",") if s.strip()]
    if set(statuses) - set(STATUSES):
        raise ValidationFailed("Неизвестный статус генерации.")
    if statuses:  # "status=," names none: no filter, as without the parameter
        filter_condition = Generation.status.is_in(*statuses)
    if params.get("style"):
        style = str(params["style"])
        by_style = (Generation.style_id == style) | (Generation.saved_style_id == style)
        filter_condition = by_style if filter_condition is None else (
            filter_condition & by_style)

    items: list[Generation] = []
    more = False
    for generation in Generation.query(user_id, range_key_condition=range_condition,
                                       filter_condition=filter_condition,
                                       scan_index_forward=False, page_size=limit + 1):
        if len(items) == limit:
            more = True
            break
        items.append(generation)
    from photoshoot.generation.reconcile import settle_never_started  # noqa: PLC0415

    return {"items": [generation_to_dict(settle_never_started(g)) for g in items],
            "next_cursor": items[-1].generation_id if more and items else None}
