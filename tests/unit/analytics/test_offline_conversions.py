"""Metrika offline conversions: the CSV, the watermark, no double upload, a failed upload
keeps the watermark — against the Metrika sandbox served over real HTTP."""
from __future__ import annotations

import csv
import io
import threading
from datetime import datetime, timedelta, timezone

import pytest
import requests
from werkzeug.serving import make_server

from infra.sandboxes.metrika import MetrikaSandbox
from photoshoot.analytics import offline_conversions as oc
from photoshoot.models import Order, User
from photoshoot.settings import reset_settings_cache

TOKEN = "y0_unit-metrika-token"
COUNTER = "98765432"
NOW = datetime.now(timezone.utc).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.fixture
def metrika(aws, monkeypatch):
    sandbox = MetrikaSandbox(token=TOKEN)
    server = make_server("127.0.0.1", 0, sandbox, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("METRIKA_COUNTER_ID", COUNTER)
    monkeypatch.setenv("METRIKA_TOKEN", TOKEN)
    monkeypatch.setenv("METRIKA_API_BASE", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("METRIKA_UPLOAD_SETTLE_S", "60")
    reset_settings_cache()
    try:
        yield sandbox
    finally:
        server.shutdown()
        thread.join(5)
        reset_settings_cache()


def _buyer(user_id: str, client_id: str | None, yclid: str | None = None) -> None:
    User(user_id, telegram_id=int(user_id), metrika_client_id=client_id, yclid=yclid,
         created_at=_iso(NOW)).save()


def _paid(order_id: str, user_id: str, kopecks: int, paid_at: datetime,
          status: str = "paid") -> None:
    Order(order_id, user_id=user_id, package_id="seller", photoshoots=10,
          amount_kopecks=kopecks, status=status, created_at=_iso(paid_at - timedelta(minutes=2)),
          paid_at=_iso(paid_at) if status == "paid" else None).save()


def _rows(upload: dict) -> list[dict]:
    return list(csv.DictReader(io.StringIO(upload["csv"])))


def test_csv_has_metrika_columns_unix_time_and_rubles():
    moment = datetime(2026, 3, 1, 12, 0, 5, tzinfo=timezone.utc)
    text = oc.build_csv([oc.Conversion("1712345678901234567", "o1", moment, 99_050),
                         oc.Conversion("17000", "o2", moment, 5)])
    assert text.splitlines() == [
        "ClientId,Target,DateTime,Price,Currency",
        f"1712345678901234567,payment_success_offline,{int(moment.timestamp())},990.50,RUB",
        f"17000,payment_success_offline,{int(moment.timestamp())},0.05,RUB",
    ]


def test_uploads_paid_orders_of_visitors_with_a_client_id(metrika):
    _buyer("1", "1712345678901234567")
    _buyer("2", None)  # no Metrika ClientID: nothing to attribute
    _paid("o-1", "1", 99_000, NOW - timedelta(hours=2))
    _paid("o-2", "2", 49_000, NOW - timedelta(hours=2))
    _paid("o-3", "1", 49_000, NOW - timedelta(hours=1), status="pending")
    result = oc.upload_offline_conversions(now=NOW)
    assert result["status"] == oc.UPLOADED and result["rows"] == 1
    [upload] = metrika.uploads
    assert upload["counter_id"] == COUNTER and upload["client_id_type"] == "CLIENT_ID"
    assert _rows(upload) == [{
        "ClientId": "1712345678901234567", "Target": "payment_success_offline",
        "DateTime": str(int((NOW - timedelta(hours=2)).timestamp())),
        "Price": "990.00", "Currency": "RUB"}]
    assert oc.read_watermark() == NOW - timedelta(seconds=60)


def test_a_payer_known_only_by_a_yclid_is_uploaded_in_a_yclid_file(metrika):
    _buyer("1", None, yclid="4727519446469705727")
    _paid("o-1", "1", 99_000, NOW - timedelta(hours=2))
    result = oc.upload_offline_conversions(now=NOW)
    assert result["status"] == oc.UPLOADED and result["rows"] == 1
    [upload] = metrika.uploads
    assert upload["client_id_type"] == "YCLID"
    assert _rows(upload) == [{
        "Yclid": "4727519446469705727", "Target": "payment_success_offline",
        "DateTime": str(int((NOW - timedelta(hours=2)).timestamp())),
        "Price": "990.00", "Currency": "RUB"}]
    assert oc.read_watermark(oc.YCLID) == NOW - timedelta(seconds=60)
    assert oc.upload_offline_conversions(now=NOW + timedelta(minutes=5))["status"] == oc.NOTHING
    assert len(metrika.uploads) == 1


def test_client_ids_and_yclids_go_in_one_file_each_and_a_conversion_in_one_only(metrika):
    _buyer("1", "1712345678901234567", yclid="111")  # both known: the ClientID names the visitor
    _buyer("2", None, yclid="222")
    _buyer("3", "1733333333333333333")
    _buyer("4", None)  # neither: Metrika could not attribute it
    for n, user in enumerate("1234", start=1):
        _paid(f"o-{n}", user, 49_000, NOW - timedelta(hours=3, minutes=-n))
    result = oc.upload_offline_conversions(now=NOW)
    assert result["status"] == oc.UPLOADED and result["rows"] == 3
    assert len(result["uploading_ids"]) == 2
    by_type = {u["client_id_type"]: _rows(u) for u in metrika.uploads}
    assert set(by_type) == {"CLIENT_ID", "YCLID"}
    assert [r["ClientId"] for r in by_type["CLIENT_ID"]] == ["1712345678901234567",
                                                             "1733333333333333333"]
    assert [r["Yclid"] for r in by_type["YCLID"]] == ["222"]
    assert all(set(r) == {"Yclid", "Target", "DateTime", "Price", "Currency"}
               for r in by_type["YCLID"])


def _refusing(monkeypatch, refused_type: str):
    """Metrika answers 500 to files of ``refused_type``; returns the real ``post_csv``."""
    original = oc.post_csv

    def refusing(body, settings, id_type=oc.CLIENT_ID):
        if id_type == refused_type:
            return 500, {"message": "backend error"}
        return original(body, settings, id_type)

    monkeypatch.setattr(oc, "post_csv", refusing)
    return original


def test_a_failed_yclid_file_is_retried_alone(metrika, monkeypatch):
    """Each file has its own watermark: the accepted ClientID file is not sent again when
    the yclid one is retried, and the yclid rows are not lost."""
    _buyer("1", "1712345678901234567")
    _buyer("2", None, yclid="222")
    _paid("o-1", "1", 99_000, NOW - timedelta(hours=2))
    _paid("o-2", "2", 49_000, NOW - timedelta(hours=2))
    oc.advance_watermark(None, NOW - timedelta(hours=3), oc.CLIENT_ID)
    oc.advance_watermark(None, NOW - timedelta(hours=3), oc.YCLID)
    original = _refusing(monkeypatch, oc.YCLID)
    failed = oc.upload_offline_conversions(now=NOW)
    monkeypatch.setattr(oc, "post_csv", original)
    assert failed["status"] == oc.FAILED and failed["http_status"] == 500
    assert oc.read_watermark(oc.CLIENT_ID) == NOW - timedelta(seconds=60)
    assert oc.read_watermark(oc.YCLID) == NOW - timedelta(hours=3)
    retried = oc.upload_offline_conversions(now=NOW + timedelta(minutes=1))
    assert retried["status"] == oc.UPLOADED and retried["rows"] == 1
    assert [(u["client_id_type"], len(u["rows"])) for u in metrika.uploads] == [
        ("CLIENT_ID", 1), ("YCLID", 1)]


def test_a_yclid_row_waits_for_a_refused_client_id_file_and_is_sent_once(metrika,
                                                                          monkeypatch):
    """While the ClientID file is refused the yclid file does not pass it: a yclid row sent
    then, whose buyer gains a ClientID before the retry, would be sent again in it."""
    _buyer("1", "1711111111111111111")
    _buyer("2", None, yclid="222")  # gains a ClientID between the runs
    _buyer("3", None, yclid="333")
    for n, user in enumerate("123", start=1):
        _paid(f"o-{n}", user, n * 10_000, NOW - timedelta(hours=2))
    oc.advance_watermark(None, NOW - timedelta(hours=3), oc.CLIENT_ID)
    oc.advance_watermark(None, NOW - timedelta(hours=3), oc.YCLID)
    original = _refusing(monkeypatch, oc.CLIENT_ID)
    assert oc.upload_offline_conversions(now=NOW)["status"] == oc.FAILED
    assert metrika.uploads == []
    assert oc.read_watermark(oc.YCLID) == NOW - timedelta(hours=3)
    monkeypatch.setattr(oc, "post_csv", original)
    User("2").update(actions=[User.metrika_client_id.set("1722222222222222222")])
    assert oc.upload_offline_conversions(now=NOW + timedelta(minutes=5))["status"] == oc.UPLOADED
    sent = sorted((u["client_id_type"], r["Price"]) for u in metrika.uploads for r in _rows(u))
    assert sent == [("CLIENT_ID", "100.00"), ("CLIENT_ID", "200.00"), ("YCLID", "300.00")]
    assert oc.read_watermark(oc.YCLID) == oc.read_watermark(oc.CLIENT_ID)


def test_a_file_never_mixes_identifier_types():
    moment = datetime(2026, 3, 1, 12, 0, 5, tzinfo=timezone.utc)
    yclid = oc.Conversion("222", "o1", moment, 100, id_type=oc.YCLID)
    assert oc.build_csv([yclid], oc.YCLID).splitlines()[0] == (
        "Yclid,Target,DateTime,Price,Currency")
    with pytest.raises(ValueError):
        oc.build_csv([yclid], oc.CLIENT_ID)


def test_stars_purchases_in_the_bot_are_not_uploaded(metrika):
    _buyer("1", "1712345678901234567")
    Order("o-stars", user_id="1", package_id="seller", photoshoots=10, amount_kopecks=0,
          amount_stars=500, currency="XTR", provider="stars", source="bot", status="paid",
          created_at=_iso(NOW - timedelta(hours=2, minutes=2)),
          paid_at=_iso(NOW - timedelta(hours=2))).save()
    assert oc.upload_offline_conversions(now=NOW)["status"] == oc.NOTHING
    assert metrika.uploads == []


def test_a_second_run_uploads_nothing_twice(metrika):
    start = NOW - timedelta(hours=3)  # every conversion must be in the past for Metrika
    _buyer("1", "1712345678901234567")
    _paid("o-1", "1", 99_000, start - timedelta(hours=2))
    assert oc.upload_offline_conversions(now=start)["rows"] == 1
    assert oc.upload_offline_conversions(now=start + timedelta(minutes=5))["status"] == oc.NOTHING
    _paid("o-2", "1", 49_000, start + timedelta(minutes=10))
    later = oc.upload_offline_conversions(now=start + timedelta(hours=1))
    assert later["rows"] == 1
    assert [[r["Price"] for r in _rows(u)] for u in metrika.uploads] == [["990.00"], ["490.00"]]


def test_orders_paid_within_the_settle_window_wait_for_the_next_run(metrika):
    _buyer("1", "1712345678901234567")
    _paid("o-1", "1", 99_000, NOW - timedelta(seconds=10))  # may still be committing
    assert oc.upload_offline_conversions(now=NOW)["status"] == oc.NOTHING
    assert oc.upload_offline_conversions(now=NOW + timedelta(minutes=2))["rows"] == 1


def test_a_failed_upload_keeps_the_watermark_and_is_retried(metrika):
    _buyer("1", "1712345678901234567")
    _paid("o-1", "1", 99_000, NOW - timedelta(hours=2))
    oc.advance_watermark(None, NOW - timedelta(hours=3))
    metrika.fail_next.append(500)
    failed = oc.upload_offline_conversions(now=NOW)
    assert failed["status"] == oc.FAILED and failed["http_status"] == 500
    assert oc.read_watermark() == NOW - timedelta(hours=3)
    assert metrika.uploads == []
    retried = oc.upload_offline_conversions(now=NOW + timedelta(minutes=1))
    assert retried["status"] == oc.UPLOADED and len(metrika.uploads) == 1


def test_a_wrong_token_is_refused_and_keeps_the_watermark(metrika, monkeypatch):
    monkeypatch.setenv("METRIKA_TOKEN", "not-the-token")
    reset_settings_cache()
    _buyer("1", "1712345678901234567")
    _paid("o-1", "1", 99_000, NOW - timedelta(hours=2))
    result = oc.upload_offline_conversions(now=NOW)
    assert result == {"status": oc.FAILED, "rows": 1, "http_status": 403}
    assert oc.read_watermark() is None


def test_unreachable_metrika_keeps_the_watermark(aws, monkeypatch):
    monkeypatch.setenv("METRIKA_COUNTER_ID", COUNTER)
    monkeypatch.setenv("METRIKA_TOKEN", TOKEN)
    monkeypatch.setenv("METRIKA_API_BASE", "http://127.0.0.1:9")  # nothing listens
    reset_settings_cache()
    _buyer("1", "1712345678901234567")
    _paid("o-1", "1", 99_000, NOW - timedelta(hours=2))
    assert oc.upload_offline_conversions(now=NOW)["status"] == oc.FAILED
    assert oc.read_watermark() is None
    reset_settings_cache()


def test_without_counter_or_token_nothing_is_sent(aws, monkeypatch):
    monkeypatch.setenv("METRIKA_COUNTER_ID", "")
    reset_settings_cache()
    assert oc.upload_offline_conversions(now=NOW) == {"status": oc.DISABLED, "rows": 0}
    assert oc.read_watermark() is None
    reset_settings_cache()


def test_the_scheduled_function_runs_the_upload(metrika):
    from app import metrika_offline_conversions

    _buyer("1", "1712345678901234567")
    _paid("o-1", "1", 99_000, datetime.now(timezone.utc) - timedelta(hours=1))
    scheduled = {"version": "0", "id": "e1", "detail-type": "Scheduled Event",
                 "source": "aws.events", "account": "123456789012", "time": _iso(NOW),
                 "region": "eu-central-1", "resources": [], "detail": {}}
    assert metrika_offline_conversions(scheduled, None)["status"] == oc.UPLOADED
    assert len(metrika.uploads) == 1


class TestSandboxContract:
    """What the sandbox accepts and refuses — what Metrika documents for this method."""

    def url(self, metrika_base: str, counter: str = COUNTER) -> str:
        return f"{metrika_base}/management/v1/counter/{counter}/offline_conversions/upload"

    @pytest.fixture
    def base(self, metrika, monkeypatch):
        import os
        return os.environ["METRIKA_API_BASE"]

    def post(self, base, body: str, token=TOKEN, client_id_type="CLIENT_ID"):
        return requests.post(self.url(base), params={"client_id_type": client_id_type},
                             headers={"Authorization": f"OAuth {token}"},
                             files={"file": ("c.csv", body.encode(), "text/csv")}, timeout=5)

    def test_accepts_a_valid_file(self, base):
        answer = self.post(base, "ClientId,Target,DateTime,Price,Currency\n"
                                 "17123,payment_success_offline,1700000000,990.00,RUB\n")
        assert answer.status_code == 200
        assert answer.json()["uploading"]["line_quantity"] == 1
        assert answer.json()["uploading"]["client_id_type"] == "CLIENT_ID"

    def test_refuses_a_wrong_token(self, base):
        answer = self.post(base, "ClientId,Target,DateTime\n1,t,1700000000\n", token="bad")
        assert answer.status_code == 403
        assert answer.json()["errors"][0]["error_type"] == "invalid_token"

    def test_refuses_a_header_without_the_identifier_column(self, base):
        answer = self.post(base, "UserId,Target,DateTime\n1,t,1700000000\n")
        assert answer.status_code == 400

    def test_refuses_a_conversion_in_the_future(self, base):
        future = int((datetime.now(timezone.utc) + timedelta(days=1)).timestamp())
        answer = self.post(base, f"ClientId,Target,DateTime\n1,t,{future}\n")
        assert answer.status_code == 400 and "future" in answer.json()["message"]

    def test_a_yclid_file_needs_the_yclid_type(self, base):
        body = "Yclid,Target,DateTime\n222,t,1700000000\n"
        assert self.post(base, body, client_id_type="YCLID").status_code == 200
        assert self.post(base, body, client_id_type="CLIENT_ID").status_code == 400

    def test_lists_uploads(self, base):
        self.post(base, "ClientId,Target,DateTime\n1,t,1700000000\n")
        listed = requests.get(f"{base}/uploads", timeout=5).json()["uploads"]
        assert [u["rows"] for u in listed] == [[{"ClientId": "1", "Target": "t",
                                                 "DateTime": "1700000000"}]]
