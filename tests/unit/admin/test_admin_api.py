"""Admin API: only admins get in; statistics by day, by source and in total; package and
style edits show up in the public catalogue at once."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from photoshoot import analytics
from photoshoot.auth.sessions import issue_token
from photoshoot.models import User
from photoshoot.models.base import utc_now_iso
from photoshoot.settings import reset_settings_cache

FUNNEL = {"signup", "generation_start", "generation_complete", "payment_start",
          "payment_success", "payment_refund", "revenue_kopecks", "refunded_kopecks",
          "signup_tracked", "signup_paid"}


def _counts(**values: int) -> dict:
    return {**dict.fromkeys(FUNNEL, 0), **values}


def _user(user_id: str, *, admin: bool = False) -> str:
    User(user_id, telegram_id=int(user_id), is_admin=admin, created_at=utc_now_iso()).save()
    return issue_token(user_id, 0)


@pytest.fixture
def admin(api):
    return _user("9001", admin=True)


@pytest.fixture
def seller(api):
    return _user("1001")


def _russian(response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert any("а" <= ch <= "я" for ch in error["message"].lower())
    if code:
        assert error["code"] == code


# --- access ------------------------------------------------------------------------------
@pytest.mark.parametrize("method,path", [
    ("GET", "/api/admin/stats"), ("GET", "/api/admin/packages"),
    ("POST", "/api/admin/packages"), ("PUT", "/api/admin/packages/seller"),
    ("GET", "/api/admin/styles"), ("POST", "/api/admin/styles"),
    ("PUT", "/api/admin/styles/marble")])
def test_a_seller_gets_403_with_a_russian_message(api, seller, method, path):
    _russian(api.request(method, path, body={"title": "x"}, token=seller), 403, "admin_only")


@pytest.mark.parametrize("path", ["/api/admin/stats", "/api/admin/packages"])
def test_without_a_token_it_is_401(api, path):
    assert api.get(path).status_code == 401


def test_admin_user_ids_setting_makes_an_admin(api, seller, monkeypatch):
    monkeypatch.setenv("ADMIN_USER_IDS", "777,1001")
    reset_settings_cache()
    try:
        assert api.get("/api/admin/packages", token=seller).status_code == 200
    finally:
        monkeypatch.delenv("ADMIN_USER_IDS")
        reset_settings_cache()


def test_taking_an_id_off_admin_user_ids_takes_the_rights_away(api, aws, monkeypatch):
    """An admin who signed up while listed must not stay one after being taken off."""
    from photoshoot.auth.accounts import sign_in
    from photoshoot.auth.sessions import issue_token
    from photoshoot.auth.telegram_login import TelegramIdentity

    monkeypatch.setenv("ADMIN_USER_IDS", "4242")
    reset_settings_cache()
    try:
        user = sign_in(TelegramIdentity(telegram_id=4242, username="boss", first_name="Босс"),
                       source="web")
        token = issue_token(user.user_id, 0)
        assert api.get("/api/admin/packages", token=token).status_code == 200
        monkeypatch.setenv("ADMIN_USER_IDS", "")
        reset_settings_cache()
        assert api.get("/api/admin/packages", token=token).status_code == 403
        assert api.get("/api/me", token=token).json["is_admin"] is False
    finally:
        monkeypatch.delenv("ADMIN_USER_IDS")
        reset_settings_cache()


def test_clearing_is_admin_takes_the_rights_away_from_a_live_token(api, admin):
    assert api.get("/api/admin/packages", token=admin).status_code == 200
    user = User.get("9001")
    user.is_admin = False
    user.save()
    for path in ("/api/admin/stats", "/api/admin/packages", "/api/admin/orders/flagged"):
        answer = api.get(path, token=admin)
        _russian(answer, 403, "admin_only")
        assert set(answer.json) == {"error"}


# --- statistics --------------------------------------------------------------------------
def test_stats_by_day_by_source_and_in_total(api, admin):
    today = datetime.now(timezone.utc).replace(hour=12)
    yesterday = today - timedelta(days=1)
    analytics.record("signup", source="vk", now=yesterday)
    analytics.record("signup", source="vk", now=today)
    analytics.record("signup", source="direct", now=today)
    analytics.record("payment_start", source="vk", now=today)
    analytics.record("payment_success", source="vk", revenue_kopecks=99_000, now=today)
    analytics.record("payment_success", source="vk", revenue_kopecks=49_000, now=today)
    analytics.record("payment_refund", source="vk", refunded_kopecks=49_000, now=today)
    start, end = yesterday.date().isoformat(), today.date().isoformat()
    answer = api.get(f"/api/admin/stats?from={start}&to={end}", token=admin)
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert set(body) == {"from", "to", "days", "sources", "totals"}
    assert [d["day"] for d in body["days"]] == [start, end]
    assert all(set(d) == FUNNEL | {"day"} for d in body["days"])
    assert body["days"][0]["signup"] == 1 and body["days"][1]["signup"] == 2
    vk = _counts(signup=2, signup_tracked=2, payment_start=1, payment_success=2,
                 payment_refund=1, revenue_kopecks=148_000, refunded_kopecks=49_000)
    assert body["sources"] == [{"source": "vk", **vk},
                               {"source": "direct", **_counts(signup=1, signup_tracked=1)}]
    assert body["totals"] == {**vk, "signup": 3, "signup_tracked": 3}


def test_stats_default_to_the_last_thirty_days(api, admin):
    body = api.get("/api/admin/stats", token=admin).json
    assert len(body["days"]) == 30
    assert body["to"] == analytics.counters.business_date().isoformat()


def test_stats_days_are_moscow_days(api, admin):
    late_evening_utc = datetime(2026, 3, 8, 22, 30, tzinfo=timezone.utc)  # 01:30 in Moscow
    analytics.record("signup", source="vk", now=late_evening_utc)
    body = api.get("/api/admin/stats?from=2026-03-08&to=2026-03-09", token=admin).json
    assert [(d["day"], d["signup"]) for d in body["days"]] == [
        ("2026-03-08", 0), ("2026-03-09", 1)]


def test_stats_ignore_eta_samples_and_the_metrika_watermark(api, admin):
    from photoshoot.models import StatCounter

    StatCounter("eta", "studio#render#s00", value=1200).save()
    StatCounter("meta", "metrika#watermark", value=1).save()
    body = api.get("/api/admin/stats", token=admin).json
    assert body["totals"] == {name: 0 for name in FUNNEL}


@pytest.mark.parametrize("query", [
    "from=2026-01-01&to=2026-04-03",  # 93 days
    "from=2026-02-10&to=2026-02-01",
    "from=01.02.2026",
    "from=9999-12-31&to=9999-12-31",  # date arithmetic past year 9999
    "from=20260301&to=2026-03-09",  # ISO forms fromisoformat takes too: only ГГГГ-ММ-ДД
    "from=2026-W10-1&to=2026-03-09",
    "to=0001-01-05",
])
def test_bad_ranges_are_400_in_russian(api, admin, query):
    _russian(api.get(f"/api/admin/stats?{query}", token=admin), 400)


def test_a_92_day_range_is_allowed(api, admin):
    start = date(2026, 1, 1)
    end = start + timedelta(days=91)
    answer = api.get(f"/api/admin/stats?from={start}&to={end}", token=admin)
    assert answer.status_code == 200 and len(answer.json["days"]) == 92


# --- packages ------------------------------------------------------------------------------
def _put(api, token, path, body):
    return api.request("PUT", path, body=body, token=token)


def _edit(api, token, kind, item_id, changes):
    """An update based on the version the admin list shows now, as the admin page sends it."""
    listed = api.get(f"/api/admin/{kind}", token=token).json["items"]
    version = next(i["version"] for i in listed if i[f"{kind[:-1]}_id"] == item_id)
    return _put(api, token, f"/api/admin/{kind}/{item_id}", {**changes, "version": version})


def test_admin_lists_inactive_packages_too(api, admin):
    assert _edit(api, admin, "packages", "seller", {"active": False}).status_code == 200
    listed = api.get("/api/admin/packages", token=admin).json["items"]
    seller = next(p for p in listed if p["package_id"] == "seller")
    assert seller["active"] is False and "sort" in seller
    public = [p["package_id"] for p in api.get("/api/packages").json["items"]]
    assert "seller" not in public


def test_a_price_change_is_visible_in_the_public_catalogue(api, admin):
    api.get("/api/packages")  # warm the catalogue cache
    answer = _edit(api, admin, "packages", "seller",
                   {"price_kopecks": 123_400, "title": "Продавец+", "popular": True})
    assert answer.status_code == 200, answer.json
    assert answer.json["price_kopecks"] == 123_400
    public = {p["package_id"]: p for p in api.get("/api/packages").json["items"]}
    assert public["seller"]["price_kopecks"] == 123_400
    assert public["seller"]["title"] == "Продавец+"


def test_a_new_package_needs_title_photoshoots_and_price(api, admin):
    _russian(api.post("/api/admin/packages", {"package_id": "mega", "title": "Мега"},
                      token=admin), 400)
    created = api.post("/api/admin/packages",
                       {"package_id": "mega", "title": "Мега", "photoshoots": 200,
                        "price_kopecks": 990_000, "description": "Для больших каталогов",
                        "sort": 99, "stars_price": 6000}, token=admin)
    assert created.status_code == 201, created.json
    assert created.json["images_per_photoshoot"] == 4 and created.json["active"] is True
    public = {p["package_id"]: p for p in api.get("/api/packages").json["items"]}
    assert public["mega"]["price_per_photoshoot_kopecks"] == 4950


@pytest.mark.parametrize("body", [
    {"price_kopecks": 0}, {"price_kopecks": 99.5}, {"price_kopecks": "990"},
    {"photoshoots": 0}, {"photoshoots": True}, {"popular": "yes"}, {"title": ""},
    {"stars_price": -1}, {"images_per_photoshoot": 50}, {"discount": 10},
    {"title": "Про\x00давец"}, {"title": "Продавец\nновый"}, {"title": "\x1b[31mПродавец"},
    {"description": "Для\x00всех"},
])
def test_invalid_package_fields_are_400_in_russian(api, admin, body):
    _russian(_put(api, admin, "/api/admin/packages/seller", {**body, "version": 0}), 400,
             "validation_failed")


def test_a_bad_package_id_is_400(api, admin):
    _russian(_put(api, admin, "/api/admin/packages/Bad%20Id",
                  {"title": "x", "version": 0}), 400)
    _russian(api.post("/api/admin/packages", {"package_id": "Bad Id", "title": "x",
                                              "photoshoots": 1, "price_kopecks": 100},
                      token=admin), 400)


@pytest.mark.parametrize("kind,body", [
    ("packages", {"package_id": "mega\n", "title": "Мега", "photoshoots": 1,
                  "price_kopecks": 100}),
    ("styles", {"style_id": "neon\n", "title": "Неон", "prompt": "neon"}),
])
def test_an_id_with_a_trailing_newline_is_refused(api, admin, kind, body):
    """A regex "$" also matches before a final newline: "mega\n" was saved and sold."""
    _russian(api.post(f"/api/admin/{kind}", body, token=admin), 400, "validation_failed")
    ids = {i[f"{kind[:-1]}_id"] for i in api.get(f"/api/admin/{kind}", token=admin).json["items"]}
    assert not any(i.endswith("\n") for i in ids)


def test_long_texts_keep_their_line_breaks_and_good_urls_pass(api, admin):
    answer = _edit(api, admin, "styles", "marble",
                   {"description": "Мрамор.\nМягкий свет.", "prompt": "marble\n\tsoft light",
                    "preview_url": "https://cdn.example.com:8443/styles/marble.jpg?v=2"})
    assert answer.status_code == 200, answer.json
    assert answer.json["description"] == "Мрамор.\nМягкий свет."
    assert _edit(api, admin, "styles", "marble",
                 {"preview_url": "/styles/marble.jpg"}).status_code == 200


def test_ids_fit_the_bots_button_data(api, admin):
    """A style button carries "st:<upload id>:<style>:<format>", a package one "pkg:<id>",
    and Telegram refuses button data over 64 bytes: a longer id broke /buy for everyone."""
    from photoshoot.telegram.bot_formats import CODES
    from photoshoot.telegram.photos import STYLE_PREFIX

    longest = "a" * 24
    assert api.post("/api/admin/styles", {"style_id": longest, "title": "Длинный",
                                          "prompt": "long id"}, token=admin).status_code == 201
    worst = f"{STYLE_PREFIX}{'0' * 26}:{longest}:{max(CODES.values(), key=len)}"
    assert len(worst.encode()) <= 64
    response = api.post("/api/admin/packages", {"package_id": "p" * 25, "title": "x",
                                                "photoshoots": 1, "price_kopecks": 100},
                        token=admin)
    _russian(response, 400)
    assert "до 24 символов" in response.json["error"]["message"]


# --- styles -------------------------------------------------------------------------------
def test_style_edits_are_visible_in_the_public_catalogue(api, admin):
    styles = api.get("/api/admin/styles", token=admin).json["items"]
    style_id = styles[0]["style_id"]
    api.get("/api/styles")
    answer = _edit(api, admin, "styles", style_id,
                   {"title": "Мрамор и золото", "tags": ["косметика", "люкс"]})
    assert answer.status_code == 200, answer.json
    public = {s["style_id"]: s for s in api.get("/api/styles").json["items"]}
    assert public[style_id]["title"] == "Мрамор и золото"
    assert public[style_id]["tags"] == ["косметика", "люкс"]
    assert _edit(api, admin, "styles", style_id, {"active": False}).status_code == 200
    assert style_id not in {s["style_id"] for s in api.get("/api/styles").json["items"]}
    assert style_id in {s["style_id"] for s in
                        api.get("/api/admin/styles", token=admin).json["items"]}


def test_a_new_style_needs_title_and_prompt(api, admin):
    _russian(api.post("/api/admin/styles", {"style_id": "neon", "title": "Неон"},
                      token=admin), 400)
    created = api.post("/api/admin/styles",
                       {"style_id": "neon", "title": "Неон",
                        "prompt": "neon lights, dark studio",
                        "preview_url": "/styles/neon.jpg", "sort": 50}, token=admin)
    assert created.status_code == 201, created.json
    assert "neon" in {s["style_id"] for s in api.get("/api/styles").json["items"]}


@pytest.mark.parametrize("body", [
    {"prompt": ""}, {"tags": "a,b"}, {"tags": [""]}, {"preview_url": "javascript:alert(1)"},
    {"preview_url": "//evil.example/a.jpg"},
    # browsers turn these into the protocol-relative "//evil.example/a.jpg" too
    {"preview_url": "/\\evil.example/a.jpg"}, {"preview_url": "/\t/evil.example/a.jpg"},
    {"preview_url": "/\n/evil.example/a.jpg"}, {"preview_url": "https://"},
    {"preview_url": "https:///evil.example"}, {"preview_url": "data:image/png;base64,AAAA"},
    {"tags": ["люкс\x00"]}, {"title": "Мра\rмор"},
    {"active": 1}, {"sort": "1"},
])
def test_invalid_style_fields_are_400_in_russian(api, admin, body):
    _russian(_put(api, admin, "/api/admin/styles/marble", {**body, "version": 0}), 400,
             "validation_failed")


# --- orders flagged for review -----------------------------------------------------------
def _order(order_id: str, created_at: str, **fields) -> None:
    from photoshoot.models import Order

    defaults = dict(user_id="1001", package_id="start", photoshoots=10, amount_kopecks=99000,
                    payment_id=f"pay-{order_id}", status="paid", created_at=created_at)
    Order(order_id, **{**defaults, **fields}).save()


def test_a_seller_gets_403_for_flagged_orders(api, seller):
    _russian(api.get("/api/admin/orders/flagged", token=seller), 403, "admin_only")


def test_flagged_orders_are_listed_newest_first_with_every_flag(api, admin):
    from photoshoot.models import Order
    from photoshoot.payments.review import flag_for_review

    _order("o-old", "2024-01-01T10:00:00Z", review_flag="amount_mismatch")  # before the set
    _order("o-new", "2024-03-01T10:00:00Z", status="refunded", counted_refunded_kopecks=40000)
    for flag in ("partial_refund", "refund_shortfall"):
        flag_for_review(Order.get("o-new"), flag)
    _order("o-stars", "2024-02-01T10:00:00Z", provider="stars", currency="XTR",
           amount_kopecks=0, amount_stars=250, review_flags={"second_charge", "new_flag"},
           review_flag="amount_mismatch")
    _order("o-clean", "2024-04-01T10:00:00Z")

    response = api.get("/api/admin/orders/flagged", token=admin)

    assert response.status_code == 200, response.json
    body = response.json
    assert body["next_cursor"] is None
    assert [o["order_id"] for o in body["items"]] == ["o-new", "o-stars", "o-old"]
    new, stars, old = body["items"]
    assert new["flags"] == [
        {"code": "partial_refund", "label": "Частичный возврат"},
        {"code": "refund_shortfall", "label": "Возврат больше неизрасходованных фотосессий"}]
    assert new | {"flags": None, "updated_at": None} == {
        "order_id": "o-new", "user_id": "1001", "provider": "yookassa", "status": "refunded",
        "currency": "RUB", "amount_kopecks": 99000, "amount_stars": None, "photoshoots": 10,
        "refunded_kopecks": 40000, "payment_id": "pay-o-new", "created_at": "2024-03-01T10:00:00Z", "updated_at": None,
        "flags": None}
    assert new["updated_at"]
    assert [f["code"] for f in stars["flags"]] == ["amount_mismatch", "new_flag",
                                                   "second_charge"]
    assert {"code": "new_flag", "label": "new_flag"} in stars["flags"]  # unknown: raw code
    assert stars["amount_stars"] == 250 and stars["provider"] == "stars"
    assert old["refunded_kopecks"] is None  # refunds were not counted per order then
    assert old["flags"] == [{"code": "amount_mismatch",
                             "label": "Сумма платежа не совпадает с заказом"}]


def test_flagged_orders_scan_is_bounded_and_continues_from_the_cursor(api, admin,
                                                                      monkeypatch):
    from photoshoot.admin import flagged_orders

    monkeypatch.setattr(flagged_orders, "PAGE_SIZE", 2)
    monkeypatch.setattr(flagged_orders, "MAX_PAGES", 1)
    for i in range(5):
        _order(f"o-{i}", f"2024-01-0{i + 1}T10:00:00Z",
               **({"review_flags": {"amount_mismatch"}} if i % 2 else {}))

    seen, cursor, calls = [], None, 0
    while True:
        calls += 1
        query = f"?cursor={cursor}" if cursor else ""
        body = api.get(f"/api/admin/orders/flagged{query}", token=admin).json
        seen += [o["order_id"] for o in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == ["o-1", "o-3"]
    assert calls >= 3  # 5 orders, 2 evaluated per request


def test_no_flagged_orders_is_an_empty_list(api, admin):
    _order("o-clean", "2024-04-01T10:00:00Z")
    assert api.get("/api/admin/orders/flagged", token=admin).json == {"items": [],
                                                                    "next_cursor": None}
