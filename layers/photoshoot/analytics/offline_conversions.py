"""Yandex.Metrika offline conversions: paid orders of visitors Metrika can recognise are
uploaded as the goal ``payment_success_offline`` with their revenue, so Metrika (and Direct)
attribute web purchases completed outside the browser (the webhook credits them).
Not ``payment_success``: the result page reports that goal from the browser, and Metrika
adds offline conversions of a goal to its site ones — every purchase seen on the site would
count twice (and its revenue). The counter needs a JavaScript-event goal with this id.

A payer is identified by their Metrika ClientID when we know it, else by the Yandex Direct
click id (``yclid``) of their first ad visit; a payer with neither is not uploaded. One
conversion is sent once, under one identifier (ClientID first: it names the visitor, a yclid
only the click), never both — Metrika would count it twice.

One file per identifier type. Metrika's upload method takes ``client_id_type``
(``CLIENT_ID`` | ``USER_ID`` | ``YCLID``) and its reference describes the identifier column
as required *only for* that type (``ClientId`` for ``CLIENT_ID``, ``Yclid`` for ``YCLID``);
newer pages allow several identifier columns in one file, but a row with an empty identifier
of the file's type is not guaranteed to be accepted by every version of the API. Separate
files are valid under both readings, so ClientID rows go with ``client_id_type=CLIENT_ID``
and yclid rows with ``client_id_type=YCLID``.

Exactly once per order, as far as we decide it: each identifier type has its own watermark
item in the ``stats`` table (``day=meta``, ``metric=metrika#watermark`` for ClientIDs — the
name it always had — and ``metrika#watermark#yclid``; ``value`` = unix milliseconds) marking
the end of its last *accepted* upload. Each run takes orders paid in ``(watermark, cutoff]``
— the cutoff lags ``now`` by ``metrika_upload_settle_s`` so a payment whose transaction is
still committing is never skipped — POSTs the file and moves that type's watermark to the
cutoff only after Metrika answered 200. A failed upload keeps its watermark: the next run
sends the same rows again, and a failure of one file never makes the other be sent twice.
An order is assigned to a file by what is known of its buyer when the run reads it, and the
yclid watermark never passes the ClientID one (while the ClientID file is refused, yclid rows
wait for it): otherwise a yclid row sent before its buyer gained a ClientID would come back
in the retried ClientID file. In the rare case that a yclid-only buyer gains a ClientID while
only the yclid file keeps failing, that order lands in no file (never in two).

Request (Metrika Management API): ``POST {METRIKA_API_BASE}/management/v1/counter/{id}/
offline_conversions/upload?client_id_type=<type>``, ``Authorization: OAuth <token>``,
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
CLIENT_ID = "CLIENT_ID"
YCLID = "YCLID"
ID_TYPES = (CLIENT_ID, YCLID)  # the order a buyer's identifiers are preferred in
ID_COLUMNS = {CLIENT_ID: "ClientId", YCLID: "Yclid"}
VALUE_COLUMNS = ("Target", "DateTime", "Price", "Currency")
CSV_HEADER = (ID_COLUMNS[CLIENT_ID], *VALUE_COLUMNS)
WATERMARK_DAY = "meta"
WATERMARK_METRIC = "metrika#watermark"
WATERMARK_METRICS = {CLIENT_ID: WATERMARK_METRIC, YCLID: "metrika#watermark#yclid"}
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
    identifier: str  # the value of the ``id_type`` column
    order_id: str
    paid_at: datetime
    price_kopecks: int
    currency: str = "RUB"
    id_type: str = CLIENT_ID


def _parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def rubles(kopecks: int) -> str:
    return f"{kopecks // 100}.{kopecks % 100:02d}"


def build_csv(conversions: list[Conversion], id_type: str = CLIENT_ID) -> str:
    """``<ClientId|Yclid>,Target,DateTime,Price,Currency``; DateTime unix seconds, Price in
    rubles. Every conversion must be of ``id_type``: one file carries one identifier type."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((ID_COLUMNS[id_type], *VALUE_COLUMNS))
    for c in conversions:
        if c.id_type != id_type:
            raise ValueError(f"a {c.id_type} conversion in a {id_type} file")
        writer.writerow((c.identifier, TARGET, int(c.paid_at.timestamp()),
                         rubles(int(c.price_kopecks)), c.currency))
    return out.getvalue()


# --- watermark --------------------------------------------------------------------------
def read_watermark(id_type: str = CLIENT_ID) -> datetime | None:
    try:
        item = StatCounter.get(WATERMARK_DAY, WATERMARK_METRICS[id_type], consistent_read=True)
    except StatCounter.DoesNotExist:
        return None
    return datetime.fromtimestamp(int(item.value) / 1000, tz=timezone.utc)


def advance_watermark(previous: datetime | None, to: datetime,
                      id_type: str = CLIENT_ID) -> bool:
    """Move the watermark from ``previous`` to ``to``; False if another run moved it first."""
    item = StatCounter(WATERMARK_DAY, WATERMARK_METRICS[id_type])
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
    """Orders paid in ``(after, until]`` whose buyer Metrika can recognise, oldest first —
    each under the buyer's ClientID, or their yclid when no ClientID is known."""
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
    identifiers = _identifiers({o.user_id for o in paid})
    conversions = [Conversion(identifier=identifiers[o.user_id][1], order_id=o.order_id,
                              paid_at=_parse_iso(o.paid_at),
                              price_kopecks=int(o.amount_kopecks), currency=o.currency or "RUB",
                              id_type=identifiers[o.user_id][0])
                   for o in paid if o.user_id in identifiers]
    conversions.sort(key=lambda c: (c.paid_at, c.order_id))
    return conversions


def _identifiers(user_ids: set[str]) -> dict[str, tuple[str, str]]:
    """user id → (id type, value): the ClientID where known, else the yclid."""
    if not user_ids:
        return {}
    found = {}
    for user in User.batch_get(sorted(user_ids),
                               attributes_to_get=["user_id", "metrika_client_id", "yclid"]):
        if user.metrika_client_id:
            found[user.user_id] = (CLIENT_ID, user.metrika_client_id)
        elif user.yclid:
            found[user.user_id] = (YCLID, user.yclid)
    return found


# --- upload ---------------------------------------------------------------------------------
def upload_url(settings) -> str:
    return (f"{settings.metrika_api_base.rstrip('/')}/management/v1/counter/"
            f"{settings.metrika_counter_id}/offline_conversions/upload")


def post_csv(body: str, settings, id_type: str = CLIENT_ID) -> tuple[int, dict | None]:
    import requests  # noqa: PLC0415 - only this scheduled function needs it

    try:
        answer = requests.post(
            upload_url(settings), params={"client_id_type": id_type},
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
    """One run of the scheduled upload: one file per identifier type that has rows.

    Returns ``{status, rows, …}`` (also logged): ``failed`` (with ``http_status``) when any
    file was refused, else ``uploaded`` (with ``uploading_id`` — the last one — and
    ``uploading_ids``) when any was accepted, else ``nothing``; ``rows`` counts all files."""
    settings = get_settings()
    if not settings.metrika_counter_id or not settings.metrika_token:
        return {"status": DISABLED, "rows": 0}
    now = now or datetime.now(timezone.utc)
    cutoff = now - timedelta(seconds=settings.metrika_upload_settle_s)
    watermarks = {id_type: read_watermark(id_type) for id_type in ID_TYPES}
    starts = {id_type: mark or (cutoff - FIRST_RUN_WINDOW)
              for id_type, mark in watermarks.items()}
    due = [id_type for id_type in ID_TYPES if starts[id_type] < cutoff]
    if not due:
        return {"status": NOTHING, "rows": 0}
    # one read of the orders and their buyers for every file, so a buyer is in one file only
    conversions = collect_conversions(min(starts[t] for t in due), cutoff)
    rows, uploading_ids, failed_status = 0, [], None
    reached = dict(starts)  # where each watermark stands after this run's files so far
    for id_type in due:  # ClientIDs first: the yclid file is bounded by where they reached
        # The yclid watermark never passes the ClientID one. A yclid row sent while the
        # ClientID file was refused would, once its buyer gains a ClientID, be a row of the
        # retried ClientID file too — one conversion sent twice.
        until = cutoff if id_type == CLIENT_ID else min(cutoff, reached[CLIENT_ID])
        if until <= starts[id_type]:
            continue
        batch = [c for c in conversions
                 if c.id_type == id_type and starts[id_type] < c.paid_at <= until]
        if not batch:
            if advance_watermark(watermarks[id_type], until, id_type):
                reached[id_type] = until
            continue
        rows += len(batch)
        status, payload = post_csv(build_csv(batch, id_type), settings, id_type)
        if status != 200:
            logger.error("metrika upload failed",
                         extra={"status": status, "rows": len(batch), "client_id_type": id_type,
                                "answer": _error_summary(payload)})
            failed_status = failed_status or status
            continue
        uploading = (payload or {}).get("uploading") or {}
        if advance_watermark(watermarks[id_type], until, id_type):
            reached[id_type] = until
        uploading_ids.append(uploading.get("id"))
        logger.info("metrika conversions uploaded",
                    extra={"rows": len(batch), "client_id_type": id_type,
                           "uploading_id": uploading.get("id"),
                           "uploading_status": uploading.get("status")})
    if failed_status is not None:
        return {"status": FAILED, "rows": rows, "http_status": failed_status}
    if uploading_ids:
        return {"status": UPLOADED, "rows": rows, "uploading_id": uploading_ids[-1],
                "uploading_ids": uploading_ids}
    return {"status": NOTHING, "rows": 0}


def _error_summary(payload: dict | None) -> str | None:
    """Metrika's error message (never the token: the answer does not echo headers)."""
    if not isinstance(payload, dict):
        return None
    message = payload.get("message")
    return str(message)[:300] if message else None
