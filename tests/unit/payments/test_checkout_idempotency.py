"""POST /api/payments is idempotent per person and package, and rate limited: double clicks,
two tabs and scripts get one pending order and one YooKassa payment, never a second charge
on the shop's credentials."""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest

from photoshoot.models import Order
from photoshoot.models.base import utc_now_iso
from photoshoot.payments import checkout
from photoshoot.settings import reset_settings_cache
from tests.unit.payments.conftest import make_user


def _payments_created(shop) -> int:
    return sum(1 for call in shop.yookassa.sandbox.api_calls
               if call["method"] == "POST" and call["path"].endswith("/payments"))


def _orders() -> list[Order]:
    return list(Order.scan(consistent_read=True))


def _concurrently(shop, token: str, package_id: str, count: int) -> list:
    start = threading.Barrier(count)

    def buy(_):
        start.wait()
        return shop.api.post("/api/payments", body={"package_id": package_id}, token=token)

    # chalice.test.Client swaps os.environ for a dict copy around each request and puts back
    # what it found: requests in parallel can leave a copy in place, which monkeypatch's undo
    # never reaches (a limit set here would then leak into later tests).
    environ = os.environ
    try:
        with ThreadPoolExecutor(max_workers=count) as pool:
            return list(pool.map(buy, range(count)))
    finally:
        os.environ = environ


def _ago(seconds: float) -> str:
    return (datetime.now(timezone.utc) - timedelta(seconds=seconds)).isoformat(
        timespec="milliseconds").replace("+00:00", "Z")


@pytest.fixture
def limit(monkeypatch):
    def set_limit(count: int) -> None:
        monkeypatch.setenv("PAYMENTS_PER_10_MIN", str(count))
        reset_settings_cache()
    return set_limit


def test_twenty_concurrent_requests_make_one_order_and_one_payment(shop):
    token = make_user("1001")
    answers = _concurrently(shop, token, "start", 20)
    assert [a.status_code for a in answers] == [200] * 20, [a.json for a in answers]
    assert len({(a.json["order_id"], a.json["confirmation_url"]) for a in answers}) == 1
    [order] = _orders()
    assert order.order_id == answers[0].json["order_id"] and order.status == "pending"
    assert _payments_created(shop) == 1 and len(shop.yookassa.sandbox.payments) == 1
    assert order.payment_id in shop.yookassa.sandbox.payments


def test_a_repeat_within_the_window_answers_the_same_order(shop):
    token = make_user("1001")
    first, again = shop.buy(token, "start"), shop.buy(token, "start")
    assert again == first
    assert len(_orders()) == 1 and _payments_created(shop) == 1


def test_another_package_gets_its_own_order(shop):
    token = make_user("1001")
    start, seller = shop.buy(token, "start"), shop.buy(token, "seller")
    assert start["order_id"] != seller["order_id"]
    assert {o.package_id for o in _orders()} == {"start", "seller"}
    assert _payments_created(shop) == 2


def test_another_persons_request_never_gets_my_order(shop):
    mine, theirs = shop.buy(make_user("1001"), "start"), shop.buy(make_user("2002"), "start")
    assert mine["order_id"] != theirs["order_id"]


def test_a_pending_order_older_than_the_window_is_not_reused(shop):
    token = make_user("1001")
    old = shop.buy(token, "start")["order_id"]
    Order(old).update(actions=[Order.created_at.set(_ago(checkout.REUSE_WINDOW_S + 60))])
    fresh = shop.buy(token, "start")["order_id"]
    assert fresh != old and len(_orders()) == 2


def test_after_a_paid_order_concurrent_requests_make_one_new_order(shop):
    token = make_user("1001")
    paid = shop.buy(token, "start")["order_id"]
    shop.yookassa.pay(Order.get(paid).payment_id)
    assert Order.get(paid, consistent_read=True).status == "paid"
    answers = _concurrently(shop, token, "start", 10)
    assert {a.status_code for a in answers} == {200}
    [new] = {a.json["order_id"] for a in answers}
    assert new != paid and len(_orders()) == 2 and _payments_created(shop) == 2


def test_a_changed_price_gets_a_new_order_at_the_new_price(shop):
    from photoshoot.models import Package

    token = make_user("1001")
    old = shop.buy(token, "start")["order_id"]
    Package("start").update(actions=[Package.price_kopecks.set(19900)])
    new = shop.buy(token, "start")["order_id"]
    assert new != old and int(Order.get(new).amount_kopecks) == 19900


def test_a_changed_photoshoot_count_gets_a_new_order_with_the_new_count(shop):
    """The admin made «start» bigger at the same price: a click after that buys what the
    card now shows, not the pending order from before the edit."""
    from photoshoot.models import Package

    token = make_user("1001")
    old = shop.buy(token, "start")["order_id"]
    before = int(Order.get(old).photoshoots)
    Package("start").update(actions=[Package.photoshoots.set(before + 5)])
    new = shop.buy(token, "start")["order_id"]
    assert new != old and int(Order.get(new).photoshoots) == before + 5


def test_over_the_limit_is_429_and_creates_no_order(shop, limit):
    limit(2)
    token = make_user("1001")
    start = shop.buy(token, "start")
    shop.buy(token, "seller")
    refused = shop.api.post("/api/payments", body={"package_id": "shop"}, token=token)
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "rate_limited"
    assert refused.json["error"]["message"].startswith("Не больше 2 попыток оплаты за 10 минут.")
    assert refused.json["error"]["details"]["retry_after_s"] > 0
    assert {o.package_id for o in _orders()} == {"start", "seller"}
    assert _payments_created(shop) == 2
    # Answering a pending order again creates nothing, so it is never refused.
    assert shop.buy(token, "start") == start


def test_concurrent_requests_over_the_limit_all_get_429_and_leave_no_order(shop, limit):
    limit(1)
    token = make_user("1001")
    shop.buy(token, "start")
    answers = _concurrently(shop, token, "seller", 10)
    assert [a.status_code for a in answers] == [429] * 10
    assert [o.package_id for o in _orders()] == ["start"]
    assert _payments_created(shop) == 1


def test_twenty_concurrent_requests_count_once_against_the_limit(shop, limit):
    limit(2)
    token = make_user("1001")
    assert {a.status_code for a in _concurrently(shop, token, "start", 20)} == {200}
    assert shop.api.post("/api/payments", body={"package_id": "seller"},
                         token=token).status_code == 200


def test_a_payment_failure_fails_every_waiting_request_and_the_next_one_starts_afresh(shop):
    token = make_user("1001")
    shop.yookassa.sandbox.fail_next[:] = [500] * 3  # every attempt of one creation
    answers = _concurrently(shop, token, "start", 5)
    assert [a.status_code for a in answers] == [502] * 5
    assert {a.json["error"]["code"] for a in answers} == {"payment_provider_error"}
    [cancelled] = _orders()
    assert cancelled.status == "cancelled" and cancelled.payment_id is None
    later = shop.buy(token, "start")
    assert later["order_id"] != cancelled.order_id
    assert Order.get(later["order_id"]).status == "pending"


def test_an_order_whose_creator_died_gets_its_payment_from_the_next_request(shop):
    """The request that took the slot crashed before storing the payment: the next one
    creates it under the order's own Idempotence-Key instead of waiting forever."""
    token = make_user("1001")
    window = int(time.time() // checkout.REUSE_WINDOW_S)
    order_id = checkout.slot_order_id("1001", "start", window, 0)
    Order(order_id, user_id="1001", package_id="start", package_title="Старт", photoshoots=3,
          amount_kopecks=29900, currency="RUB", provider="yookassa", status="pending",
          source="web", created_at=_ago(checkout.creation_budget_s() + 5)).save()
    answer = shop.buy(token, "start")
    assert answer["order_id"] == order_id
    order = Order.get(order_id, consistent_read=True)
    assert order.confirmation_url == answer["confirmation_url"] and order.payment_id
    [call] = [c for c in shop.yookassa.sandbox.api_calls if c["method"] == "POST"]
    assert order_id in call["idempotence_key"]
    assert len(_orders()) == 1


def test_a_crashed_creation_the_provider_already_made_is_the_same_payment(shop):
    """Taking over calls YooKassa with the same key and body as the dead request did: the
    payment it already created is returned, not a second one."""
    token = make_user("1001")
    first = shop.buy(token, "start")
    order = Order.get(first["order_id"], consistent_read=True)
    # As if the request had died after YooKassa answered, before the URL was stored.
    order.update(actions=[Order.payment_id.remove(), Order.confirmation_url.remove(),
                          Order.created_at.set(_ago(checkout.creation_budget_s() + 5))])
    again = shop.buy(token, "start")
    assert again == first
    assert len(shop.yookassa.sandbox.payments) == 1

