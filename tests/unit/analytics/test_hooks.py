"""Where the funnel is counted: account creation, order creation, payment credited now —
each exactly once, however often the event is repeated."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from functions.yookassa_webhook import handle
from photoshoot.analytics import counters
from photoshoot.models import Order, StatCounter, User
from tests.unit.payments.conftest import function_url_event, make_user
from tests.unit.telegram.fakes import ANNA, signed_widget

YOOKASSA_IP = "185.71.76.10"


def _value(key: str) -> int:
    try:
        return int(StatCounter.get(counters.today(), key, consistent_read=True).value)
    except StatCounter.DoesNotExist:
        return 0


def test_signup_is_counted_once_under_the_first_touch_source(api, aws):
    body = {**signed_widget(aws, **ANNA), "utm": {"utm_source": "vk", "utm_medium": "cpc"}}
    for _ in range(3):
        assert api.post("/api/auth/telegram", body=body).status_code == 200
    assert _value("vk#signup") == 1
    assert _value("direct#signup") == 0


def test_an_ad_click_tagged_only_by_direct_is_yandex_traffic_not_a_direct_visit(api, aws):
    """Yandex Direct's auto-tagging adds yclid and no UTM: the sign-up, and the account's
    later events, count under yandex."""
    body = {**signed_widget(aws, **ANNA), "utm": {"yclid": "4727519446469705727"}}
    assert api.post("/api/auth/telegram", body=body).status_code == 200

    assert _value("yandex#signup") == 1 and _value("direct#signup") == 0
    assert User.get(str(ANNA["id"])).signup_cohort.endswith("#yandex")
    assert counters.source_of_user(str(ANNA["id"])) == "yandex"
    # tagged UTM wins over the click id's default
    assert counters.source_from_utm({"utm_source": "vk"}, "4727519446469705727") == "vk"


def test_concurrent_first_logins_count_one_signup(api, aws):
    body = signed_widget(aws, **ANNA)
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda _: api.post("/api/auth/telegram", body=body).status_code,
                              range(8)))
    assert codes == [200] * 8
    assert _value("direct#signup") == 1


def test_order_creation_counts_payment_start(shop):
    token = make_user("1001")
    User("1001").update(actions=[User.utm.set({"utm_source": "tg_ads"})])
    shop.buy(token, "seller")
    shop.buy(token, "start")
    shop.buy(token, "start")  # the same checkout answered again: not a second start
    assert _value("tg_ads#payment_start") == 2


def test_duplicate_payment_notification_records_payment_success_once(shop):
    token = make_user("1001")
    order_id = shop.buy(token, "seller")["order_id"]
    order = Order.get(order_id, consistent_read=True)
    shop.yookassa.pay(order.payment_id, notify=False)
    payment = shop.yookassa.payment(order.payment_id)
    body = shop.yookassa.notification("payment.succeeded", payment)
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(
            lambda _: handle(function_url_event(body, YOOKASSA_IP))["statusCode"], range(10)))
    assert answers == [200] * 10
    assert _value("direct#payment_success") == 1
    assert _value("direct#revenue") == int(order.amount_kopecks)
