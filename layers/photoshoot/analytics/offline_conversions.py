"""Yandex.Metrika offline conversions: paid orders of visitors whose Metrika ClientID we know
are uploaded as the goal ``payment_success_offline`` with their revenue, so Metrika (and
Direct) attribute web purchases completed outside the browser (the webhook credits them).
Not ``payment_success``: the result page reports that goal from the browser, and Metrika
adds offline conversions of a goal to its site ones — every purchase seen on the site would
count twice (and its revenue). The counter needs a JavaScript-event goal with this id.

Exactly once per order, as far as we decide it: a watermark item in the ``stats`` table
(``day=meta``, ``metric=metrika#watermark``, ``value`` = unix milliseconds) marks the end of
the last *accepted* upload. Each run takes orders paid in ``(watermark, cutoff]`` — the cutoff
lags ``now`` by ``metrika_upload_settle_s`` so a payment whose transaction is still committing
is never skipped — POSTs the CSV and moves the watermark to the cutoff only after Metrika
answered 200. A failed upload keeps the watermark: the next run sends the same rows again.

Request (Metrika Management API): ``POST {METRIKA_API_BASE}/management/v1/counter/{id}/
offline_conversions/upload?client_id_type=CLIENT_ID``, ``Authorization: OAuth <token>``,
multipart/form-data with the CSV in the field ``file`` (UTF-8; ``DateTime`` must be in the
past). Answer: ``{"uploading": {"id", "line_quantity", "status", …}}``.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from pynamodb.exceptions import UpdateError

from photoshoot.models import Order, StatCounter, User
from photoshoot.observability import logger
from photoshoot.settings import get_settings

TARGET = "payment_success_offline"
CSV_HEADER = ("ClientId", "Target", "DateTime", "Price", "Currency")
WATERMARK_DAY = "meta"
WATERMARK_METRIC = "metrika#watermark"
# Orders are found through the status index by creation time: look this far back before the
# watermark for orders created earlier and paid later (the sweep expires pending ones in 24 h).
CREATED_LOOKBACK = timedelta(days=3)
# With no watermark yet, start this far back (Metrika links conversions to recent visits).
FIRST_RUN_WINDOW = timedelta(days=7)

DISABLED = "disabled"
NOTHING = "nothing"
UPLOADED = "uploaded"
FAILED = "failed"


@dataclass(frozen=True)
class Conversion:
    client_id: str
    order_id: str
    paid_at: datetime
    price_kopecks: int
    currency: str = "RUB"


def _parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def rubles(kopecks: int) -> str:
    return f"{kopecks // 100}.{kopecks % 100:02d}"


def build_csv(conversions: list[Conversion]) -> str:
    """``ClientId,Target,DateTime,Price,Currency``; DateTime unix seconds, Price in rubles."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for c in conversions:
        writer.writerow((c.client_id, TARGET, int(c.paid_at.timestamp()),
                         rubles(int(c.price_kopecks)), c.currency))
    return out.getvalue()


# --- watermark --------------------------------------------------------------------------
def read_watermark() -> datetime | None:
    try:
        item = StatCounter.get(WATERMARK_DAY, WATERMARK_METRIC, consistent_read=True)
    except StatCounter.DoesNotExist:
        return None
    return datetime.fromtimestamp(int(item.value) / 1000, tz=timezone.utc)


def advance_watermark(previous: datetime | None, to: datetime) -> bool:
    """Move the watermark from ``previous`` to ``to``; False if another run moved it first."""
    item = StatCounter(WATERMARK_DAY, WATERMARK_METRIC)
    condition = (StatCounter.value.does_not_exist() if previous is None
                 else StatCounter.value == _ms(previous))
    try:
        item.update(actions=[StatCounter.value.set(_ms(to))], condition=condition)
    except UpdateError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            logger.warning("metrika watermark moved by another run")
            return False
        raise
    return True


# --- collect ------------------------------------------------------------------------------
def collect_conversions(after: datetime, until: datetime) -> list[Conversion]:
    """Orders paid in ``(after, until]`` whose buyer has a Metrika ClientID, oldest first."""
    created_from = _iso(after - CREATED_LOOKBACK)
    paid: list[Order] = []
    for order in Order.status_index.query("paid", Order.created_at >= created_from):
        # Stars are bought inside the bot, never from an ad-tracked web visit, and carry no
        # rouble revenue: they are not web conversions.
        if not order.paid_at or order.currency != "RUB":
            continue
        paid_at = _parse_iso(order.paid_at)
        if after < paid_at <= until:
            paid.append(order)
    client_ids = _client_ids({o.user_id for o in paid})
    conversions = [Conversion(client_id=client_ids[o.user_id], order_id=o.order_id,
                              paid_at=_parse_iso(o.paid_at),
                              price_kopecks=int(o.amount_kopecks), currency=o.currency or "RUB")
                   for o in paid if client_ids.get(o.user_id)]
    conversions.sort(key=lambda c: (c.paid_at, c.order_id))
    return conversions


def _client_ids(user_ids: set[str]) -> dict[str, str]:
    if not user_ids:
        return {}
    found = {}
    for user in User.batch_get(sorted(user_ids),
                               attributes_to_get=["user_id", "metrika_client_id"]):
        if user.metrika_client_id:
            found[user.user_id] = user.metrika_client_id
    return found


# --- upload ---------------------------------------------------------------------------------
def upload_url(settings) -> str:
    return (f"{settings.metrika_api_base.rstrip('/')}/management/v1/counter/"
            f"{settings.metrika_counter_id}/offline_conversions/upload")


def post_csv(body: str, settings) -> tuple[int, dict | None]:
    import requests  # noqa: PLC0415 - only this scheduled function needs it

    try:
        answer = requests.post(
            upload_url(settings), params={"client_id_type": "CLIENT_ID"},
            headers={"Authorization": f"OAuth {settings.metrika_token}"},
            files={"file": ("conversions.csv", body.encode("utf-8"), "text/csv")},
            timeout=settings.metrika_timeout_s)
    except requests.RequestException as error:
        logger.warning("metrika upload unreachable", extra={"error": type(error).__name__})
        return 0, None
    try:
        payload = answer.json()
    except ValueError:
        payload = None
    return answer.status_code, payload


def upload_offline_conversions(now: datetime | None = None) -> dict:
    """One run of the scheduled upload; returns ``{status, rows, …}`` (also logged)."""
    settings = get_settings()
    if not settings.metrika_counter_id or not settings.metrika_token:
        return {"status": DISABLED, "rows": 0}
    now = now or datetime.now(timezone.utc)
    cutoff = now - timedelta(seconds=settings.metrika_upload_settle_s)
    watermark = read_watermark()
    after = watermark or (cutoff - FIRST_RUN_WINDOW)
    if cutoff <= after:
        return {"status": NOTHING, "rows": 0}
    conversions = collect_conversions(after, cutoff)
    if not conversions:
        advance_watermark(watermark, cutoff)
        return {"status": NOTHING, "rows": 0}
    status, payload = post_csv(build_csv(conversions), settings)
    if status != 200:
        logger.error("metrika upload failed", extra={"status": status, "rows": len(conversions),
                                                     "answer": _error_summary(payload)})
        return {"status": FAILED, "rows": len(conversions), "http_status": status}
    uploading = (payload or {}).get("uploading") or {}
    advance_watermark(watermark, cutoff)
    logger.info("metrika conversions uploaded",
                extra={"rows": len(conversions), "uploading_id": uploading.get("id"),
                       "uploading_status": uploading.get("status")})
    return {"status": UPLOADED, "rows": len(conversions), "uploading_id": uploading.get("id")}


def _error_summary(payload: dict | None) -> str | None:
    """Metrika's error message (never the token: the answer does not echo headers)."""
    if not isinstance(payload, dict):
        return None
    message = payload.get("message")
    return str(message)[:300] if message else None
