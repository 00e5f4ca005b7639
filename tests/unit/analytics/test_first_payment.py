"""Sign-up → payment is the share of sign-ups who paid at least once: each account's first
payment is counted once (``signup_paid``), in the cell its sign-up was counted in, however
often it buys, whatever is redelivered or retried, on the web or in the bot."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from functions.yookassa_webhook import handle
from photoshoot import analytics
from photoshoot.analytics import counters, stats
from photoshoot.auth.accounts import Attribution, sign_in
from photoshoot.auth.sessions import issue_token
from photoshoot.auth.telegram_login import TelegramIdentity
from photoshoot.models import Order, StatCounter, User
from tests.unit.payments.conftest import function_url_event, make_user

YOOKASSA_IP = "185.71.76.10"


def _value(day: str, key: str) -> int:
    try:
        return int(StatCounter.get(day, key, consistent_read=True).value)
    except StatCounter.DoesNotExist:
        return 0


def _cells(metric: str) -> dict[tuple[str, str], int]:
    return {(item.day, item.metric): int(item.value) for item in StatCounter.scan()
            if item.metric.endswith(f"#{metric}")}


def _seller(user_id: str = "1001", utm_source: str | None = "vk") -> str:
    """A seller signed up the real way, with an e-mail for the receipt; their token."""
    utm = {"utm_source": utm_source} if utm_source else {}
    sign_in(TelegramIdentity(telegram_id=int(user_id), first_name="Анна"), source="widget",
            attribution=Attribution(utm=utm))
    User(user_id).update(actions=[User.email.set("buyer@example.ru")])
    return issue_token(user_id, 0)


def _pay(shop, token: str, notify: bool = True) -> tuple[str, dict]:
    order_id = shop.buy(token, "seller")["order_id"]
    payment_id = Order.get(order_id, consistent_read=True).payment_id
    shop.yookassa.pay(payment_id, notify=notify)
    return order_id, shop.yookassa.payment(payment_id)


def _deliver(shop, payment: dict) -> int:
    body = shop.yookassa.notification("payment.succeeded", payment)
    return handle(function_url_event(body, YOOKASSA_IP))["statusCode"]


def test_a_sign_up_stores_the_cell_it_was_counted_in(aws):
    _seller(utm_source="VK Ads")
    day = counters.today()
    assert User.get("1001").signup_cohort == f"{day}#vk_ads"
    assert _value(day, "vk_ads#signup") == 1
    assert _value(day, "vk_ads#signup_tracked") == 1


def test_repeat_purchases_and_duplicates_count_one_paying_sign_up(shop):
    token = _seller()
    for _ in range(3):
        _, payment = _pay(shop, token)
        assert _deliver(shop, payment) == 200  # a duplicate of each success notification
    day = counters.today()
    assert _value(day, "vk#payment_success") == 3
    assert _value(day, "vk#signup") == 1
    assert _cells("signup_paid") == {(day, "vk#signup_paid"): 1}


def test_the_first_payment_counts_on_the_sign_up_day_and_source(shop):
    """Paid days later, with the UTM filled in after sign-up: still the sign-up's cell, so
    that day's rate can never pass 100 %."""
    token = _seller(utm_source=None)
    User("1001").update(actions=[User.signup_cohort.set("2026-03-01#direct"),
                                 User.utm.set({"utm_source": "vk"})])
    _pay(shop, token)
    assert _cells("signup_paid") == {("2026-03-01", "direct#signup_paid"): 1}
    assert _value(counters.today(), "vk#payment_success") == 1  # the payment as ever


def test_fifty_concurrent_notifications_count_the_first_payment_once(shop):
    token = _seller()
    _, payment = _pay(shop, token, notify=False)
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda _: _deliver(shop, payment), range(50)))
    assert set(answers) == {200}
    assert _cells("signup_paid") == {(counters.today(), "vk#signup_paid"): 1}


def test_two_orders_paid_at_once_count_one_first_payment(aws):
    _seller()
    with ThreadPoolExecutor(max_workers=10) as pool:
        counted = list(pool.map(lambda n: analytics.record_first_payment("1001", f"o-{n % 2}"),
                                range(20)))
    assert counted.count(True) == 1
    assert _cells("signup_paid") == {(counters.today(), "vk#signup_paid"): 1}
    assert User.get("1001").first_paid_order_id in {"o-0", "o-1"}


def test_a_count_lost_after_the_credit_is_made_by_the_redelivery(shop, monkeypatch):
    """The credit committed but counting failed (DynamoDB hiccup, Lambda stopped): the
    payment still succeeds, and the redelivered notification counts it — once."""
    token = _seller()
    real = counters.add_guarded

    def down(*args, **kwargs):
        raise RuntimeError("DynamoDB is down")

    monkeypatch.setattr(counters, "add_guarded", down)
    order_id, payment = _pay(shop, token)
    assert Order.get(order_id).status == "paid"
    assert _cells("signup_paid") == {}
    monkeypatch.setattr(counters, "add_guarded", real)
    for _ in range(3):
        assert _deliver(shop, payment) == 200
    assert _cells("signup_paid") == {(counters.today(), "vk#signup_paid"): 1}


def test_a_first_payment_in_stars_counts(catalogue):
    from photoshoot.telegram.stars import StarsPayment, create_stars_order, credit_stars_payment

    _seller(utm_source="tg_ads")
    invoice = create_stars_order("1001", "start")
    payment = StarsPayment("1001", invoice.order_id, "XTR", invoice.stars, "stxFIRST")
    assert credit_stars_payment(payment).outcome == "credited"
    assert credit_stars_payment(payment).outcome == "duplicate"
    assert _cells("signup_paid") == {(counters.today(), "tg_ads#signup_paid"): 1}


def test_accounts_from_before_cohorts_are_marked_but_never_counted(aws):
    make_user("1001")  # no signup_cohort: its sign-up day has no signup_tracked base
    assert analytics.record_first_payment("1001", "o-1") is False
    assert analytics.record_first_payment("1001", "o-2") is False
    assert User.get("1001").first_paid_order_id == "o-1"
    assert _cells("signup_paid") == {}


def test_stats_give_the_rate_base_only_for_tracked_days(aws):
    """An old day (sign-ups counted before cohorts) has no base: the SPA shows "—" for it,
    and a range across the change divides only tracked sign-ups."""
    StatCounter("2026-03-01", "vk#signup", value=5).save()  # before the change
    StatCounter("2026-03-01", "vk#payment_success", value=7).save()
    for metric, value in (("signup", 4), ("signup_tracked", 4), ("signup_paid", 1),
                          ("payment_success", 3)):
        StatCounter("2026-03-02", f"vk#{metric}", value=value).save()
    body = stats.funnel_stats(date(2026, 3, 1), date(2026, 3, 2))
    old, new = body["days"]
    assert (old["signup"], old["signup_tracked"], old["signup_paid"]) == (5, 0, 0)
    assert (new["signup"], new["signup_tracked"], new["signup_paid"]) == (4, 4, 1)
    [vk] = body["sources"]
    assert (vk["signup"], vk["signup_tracked"], vk["signup_paid"], vk["payment_success"]) == (
        9, 4, 1, 10)
