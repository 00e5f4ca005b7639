"""Analytics and admin over real HTTP on the local stack: a Telegram Login Widget sign-up is
counted under its UTM source, a purchase through the YooKassa sandbox counts payment start,
success and revenue and reaches Metrika as an offline conversion (a Metrika sandbox served
by this test process stands in for api-metrika.yandex.net), and an admin named in
ADMIN_USER_IDS reads the statistics and edits the catalogue."""
from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from werkzeug.serving import make_server

from infra.local import launcher
from infra.sandboxes.metrika import MetrikaSandbox
from tests.integration.conftest import start_local_stack

pytestmark = pytest.mark.integration

METRIKA_TOKEN = "y0_integration-metrika-token"
METRIKA_COUNTER = "55501234"
ADMIN_ID = 610_000_000 + uuid.uuid4().int % 9_999_999
LOOPBACK_ALLOWED = ("185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.156.11/32,"
                    "77.75.156.35/32,77.75.154.128/25,2a02:5180::/32,127.0.0.1/32,::1/128")


@pytest.fixture(scope="module")
def metrika():
    sandbox = MetrikaSandbox(token=METRIKA_TOKEN)
    server = make_server("127.0.0.1", 0, sandbox, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield sandbox, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="module")
def stack(metrika):
    _, metrika_base = metrika
    stack = start_local_stack({
        "ADMIN_USER_IDS": str(ADMIN_ID),
        "METRIKA_COUNTER_ID": METRIKA_COUNTER, "METRIKA_TOKEN": METRIKA_TOKEN,
        "METRIKA_API_BASE": metrika_base, "METRIKA_UPLOAD_SETTLE_S": "0",
        "YOOKASSA_ALLOWED_IPS": LOOPBACK_ALLOWED, "YOOKASSA_RECEIPTS_ENABLED": "true",
        "PAYMENTS_RECHECK_AFTER_S": "300"})
    yield stack
    launcher.stop(stack)
    stack.log_path.unlink(missing_ok=True)


def _api(stack, method: str, path: str, token: str | None = None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, f"{stack.base_url}{path}", headers=headers, timeout=30,
                            **kwargs)


def _login(stack, person: dict, **extra) -> str:
    """The Login Widget through the Telegram sandbox, then POST /api/auth/telegram."""
    payload = requests.post(f"{stack.base_url}/sandbox/telegram/login-widget", json=person,
                            timeout=10).json()
    answer = _api(stack, "POST", "/api/auth/telegram", json={**payload, **extra})
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def _person(user_id: int | None = None) -> dict:
    suffix = uuid.uuid4().hex[:8]
    return {"id": user_id or 620_000_000 + int(suffix, 16) % 9_999_999,
            "first_name": "Ольга", "username": f"olga_{suffix}"}


def _source_row(stack, admin: str, source: str) -> dict:
    from photoshoot.analytics.counters import business_date

    today = business_date()  # the counters' day is Moscow's, as in the admin page
    answer = _api(stack, "GET", "/api/admin/stats", admin,
                  params={"from": (today - timedelta(days=1)).isoformat(),
                          "to": today.isoformat()})
    assert answer.status_code == 200, answer.text
    return next((row for row in answer.json()["sources"] if row["source"] == source), {})


@pytest.fixture(scope="module")
def admin(stack) -> str:
    return _login(stack, _person(ADMIN_ID))


def test_a_widget_signup_is_counted_under_its_utm_source(stack, admin):
    source = f"it_{uuid.uuid4().hex[:8]}"
    person = _person()
    _login(stack, person, utm={"utm_source": source, "utm_medium": "cpc"})
    _login(stack, person, utm={"utm_source": source})  # a second login is no sign-up
    row = _source_row(stack, admin, source)
    assert row["signup"] == 1 and row["payment_success"] == 0


def test_only_admins_read_statistics(stack):
    seller = _login(stack, _person())
    refused = _api(stack, "GET", "/api/admin/stats", seller)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "admin_only"
    assert "администратор" in refused.json()["error"]["message"]
    assert _api(stack, "GET", "/api/admin/stats").status_code == 401


def test_a_purchase_is_counted_and_uploaded_to_metrika(stack, admin, metrika):
    sandbox, _ = metrika
    source = f"it_{uuid.uuid4().hex[:8]}"
    client_id = str(1_700_000_000_000_000_000 + uuid.uuid4().int % 10**17)
    buyer = _login(stack, _person(), utm={"utm_source": source},
                   metrika_client_id=client_id)
    assert _api(stack, "PATCH", "/api/me", buyer,
                json={"email": "olga@example.ru"}).status_code == 200
    started = _api(stack, "POST", "/api/payments", buyer, json={"package_id": "seller"})
    assert started.status_code == 200, started.text
    order_id = started.json()["order_id"]
    paid = requests.post(f"{started.json()['confirmation_url']}/pay", allow_redirects=False,
                         timeout=20)
    assert paid.status_code == 303
    order = _wait(lambda: _api(stack, "GET", f"/api/orders/{order_id}", buyer).json(),
                  lambda o: o["status"] == "paid")
    row = _source_row(stack, admin, source)
    assert (row["signup"], row["payment_start"], row["payment_success"]) == (1, 1, 1)
    assert (row["signup_tracked"], row["signup_paid"]) == (1, 1)
    assert row["revenue_kopecks"] == order["amount_kopecks"]

    def conversions():
        return [r for u in sandbox.uploads for r in u["rows"] if r.get("ClientId") == client_id]

    rows = _wait(conversions, bool, timeout=20)
    kopecks = order["amount_kopecks"]
    assert rows == [{"ClientId": client_id, "Target": "payment_success_offline",
                     "DateTime": rows[0]["DateTime"],
                     "Price": f"{kopecks // 100}.{kopecks % 100:02d}", "Currency": "RUB"}]
    paid_at = datetime.fromisoformat(order["paid_at"].replace("Z", "+00:00"))
    assert abs(int(rows[0]["DateTime"]) - paid_at.timestamp()) < 2
    time.sleep(2.5)  # the schedule runs every second: the order is never uploaded twice
    assert len(conversions()) == 1


def test_a_buyer_known_only_by_a_direct_click_is_uploaded_by_yclid(stack, admin, metrika):
    """No Metrika ClientID (blocked counter, another browser): the yclid the SPA sent with
    the UTM tags identifies the conversion, in a file of its own (client_id_type=YCLID)."""
    sandbox, _ = metrika
    yclid = str(4_700_000_000_000_000_000 + uuid.uuid4().int % 10**17)
    buyer = _login(stack, _person(), utm={"utm_source": "yandex", "yclid": yclid})
    assert _api(stack, "PATCH", "/api/me", buyer,
                json={"email": "olga@example.ru"}).status_code == 200
    started = _api(stack, "POST", "/api/payments", buyer, json={"package_id": "seller"})
    assert started.status_code == 200, started.text
    paid = requests.post(f"{started.json()['confirmation_url']}/pay", allow_redirects=False,
                         timeout=20)
    assert paid.status_code == 303

    def conversions():
        return [(u["client_id_type"], r) for u in sandbox.uploads for r in u["rows"]
                if r.get("Yclid") == yclid]

    [(client_id_type, row)] = _wait(conversions, bool, timeout=20)
    assert client_id_type == "YCLID" and row["Target"] == "payment_success_offline"
    time.sleep(2.5)  # the schedule runs every second: the order is never uploaded twice
    assert len(conversions()) == 1


def test_an_admin_package_edit_shows_in_the_public_catalogue(stack, admin):
    package_id = f"it-{uuid.uuid4().hex[:6]}"
    created = _api(stack, "POST", "/api/admin/packages", admin,
                   json={"package_id": package_id, "title": "Проверка", "photoshoots": 3,
                         "price_kopecks": 29_900, "sort": 999})
    assert created.status_code == 201, created.text
    assert created.json()["version"] == 1
    public = {p["package_id"]: p for p in _api(stack, "GET", "/api/packages").json()["items"]}
    assert public[package_id]["price_kopecks"] == 29_900
    hidden = _api(stack, "PUT", f"/api/admin/packages/{package_id}", admin,
                  json={"active": False, "version": 1})
    assert hidden.status_code == 200 and hidden.json()["version"] == 2
    public = {p["package_id"] for p in _api(stack, "GET", "/api/packages").json()["items"]}
    assert package_id not in public
    listed = {p["package_id"]: p for p in
              _api(stack, "GET", "/api/admin/packages", admin).json()["items"]}
    assert listed[package_id]["version"] == 2
    stale = _api(stack, "PUT", f"/api/admin/packages/{package_id}", admin,
                 json={"active": True, "version": 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "catalogue_conflict"
    again = _api(stack, "POST", "/api/admin/packages", admin,
                 json={"package_id": package_id, "title": "Дубль", "photoshoots": 1,
                       "price_kopecks": 100})
    assert again.status_code == 409 and again.json()["error"]["code"] == "catalogue_id_taken"
    invalid = _api(stack, "PUT", f"/api/admin/packages/{package_id}", admin,
                   json={"price_kopecks": -1, "version": 2})
    assert invalid.status_code == 400 and invalid.json()["error"]["message"]


def test_the_stack_mounts_the_metrika_sandbox(stack):
    base = f"{stack.base_url}/sandbox/metrika"
    csv_body = "ClientId,Target,DateTime,Price,Currency\n17001,payment_success_offline,1700000000,1.00,RUB\n"
    url = f"{base}/management/v1/counter/{METRIKA_COUNTER}/offline_conversions/upload"
    refused = requests.post(url, params={"client_id_type": "CLIENT_ID"},
                            headers={"Authorization": "OAuth wrong"},
                            files={"file": ("c.csv", csv_body.encode(), "text/csv")}, timeout=10)
    assert refused.status_code == 403
    accepted = requests.post(url, params={"client_id_type": "CLIENT_ID"},
                             headers={"Authorization": f"OAuth {METRIKA_TOKEN}"},
                             files={"file": ("c.csv", csv_body.encode(), "text/csv")},
                             timeout=10)
    assert accepted.status_code == 200, accepted.text
    uploads = requests.get(f"{base}/uploads", timeout=10).json()["uploads"]
    assert uploads[-1]["rows"][0]["ClientId"] == "17001"


def _wait(read, done, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)
