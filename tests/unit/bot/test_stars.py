"""Buying photoshoots with Telegram Stars: invoice, pre-checkout, exactly-once credit."""
import json
import threading
import time

import pytest

from photoshoot.billing import balance_of, ledger_of
from photoshoot.models import Order, Package
from tests.unit.telegram.fakes import ANNA, BORIS


@pytest.fixture
def pushes(monkeypatch):
    sent = []
    from photoshoot import realtime

    monkeypatch.setattr(realtime, "push_to_user", lambda user_id, message: sent.append(
        (user_id, message)) or 1)
    return sent


def _buy(telegram, fake_bot, user, package_id="start") -> Order:
    telegram.write(user, "/start")
    telegram.write(user, "/buy")
    telegram.press(user, f"pkg:{package_id}")
    invoice = fake_bot.of("sendInvoice")[-1]
    return Order.get(invoice["payload"])


def _pre_checkout(telegram, user, order: Order, amount=None, payload=None, query_id="q1"):
    return telegram.deliver({"pre_checkout_query": {
        "id": query_id, "from": {"is_bot": False, **user}, "currency": "XTR",
        "total_amount": int(order.amount_stars) if amount is None else amount,
        "invoice_payload": payload or order.order_id}})


def _payment_update(user, order: Order, charge_id="stxCHARGE1", amount=None,
                    update_id=None) -> dict:
    update = {"message": {
        "message_id": 77, "date": int(time.time()), "from": {"is_bot": False, **user},
        "chat": {"id": user["id"], "type": "private"},
        "successful_payment": {
            "currency": "XTR",
            "total_amount": int(order.amount_stars) if amount is None else amount,
            "invoice_payload": order.order_id, "telegram_payment_charge_id": charge_id,
            "provider_payment_charge_id": ""}}}
    if update_id is not None:
        update["update_id"] = update_id
    return update


def _answer(fake_bot) -> dict:
    return fake_bot.of("answerPreCheckoutQuery")[-1]


def test_buy_lists_packages_with_their_stars_prices(catalogue, fake_bot, telegram):
    telegram.write(ANNA, "/buy")
    markup = fake_bot.sent(ANNA["id"])[-1]["reply_markup"]["inline_keyboard"]
    buttons = [row[0] for row in markup]
    assert [b["callback_data"] for b in buttons] == ["pkg:start", "pkg:seller", "pkg:shop",
                                                      "pkg:brand"]
    start = Package.get("start")
    assert buttons[0]["text"] == f"Старт: 3 фотосессии — {int(start.stars_price)} ⭐"


def test_package_without_a_stars_price_is_not_offered(catalogue, fake_bot, telegram):
    from photoshoot import catalogue as catalogue_module

    Package.get("shop").update(actions=[Package.stars_price.remove()])
    catalogue_module.clear_cache()
    telegram.write(ANNA, "/buy")
    markup = fake_bot.sent(ANNA["id"])[-1]["reply_markup"]["inline_keyboard"]
    assert "pkg:shop" not in [row[0]["callback_data"] for row in markup]


def test_package_button_sends_a_stars_invoice_for_a_pending_order(catalogue, fake_bot,
                                                                 telegram):
    order = _buy(telegram, fake_bot, ANNA, "seller")
    invoice = fake_bot.of("sendInvoice")[-1]
    package = Package.get("seller")
    assert invoice["currency"] == "XTR" and invoice["provider_token"] == ""
    assert invoice["prices"] == [{"label": "10 фотосессий",
                                  "amount": int(package.stars_price)}]
    assert invoice["payload"] == order.order_id and int(invoice["chat_id"]) == ANNA["id"]
    assert (order.provider, order.currency, order.status, order.source) == (
        "stars", "XTR", "pending", "bot")
    assert order.amount_stars == package.stars_price and order.amount_kopecks == 0
    assert order.user_id == str(ANNA["id"]) and order.photoshoots == 10


def test_pre_checkout_for_the_buyers_pending_order_is_ok(catalogue, fake_bot, telegram):
    order = _buy(telegram, fake_bot, ANNA)
    _pre_checkout(telegram, ANNA, order)
    assert _answer(fake_bot) == {"pre_checkout_query_id": "q1", "ok": True}
    assert balance_of(str(ANNA["id"])) == 1  # nothing credited before successful_payment


def test_pre_checkout_for_someone_elses_order_is_refused(catalogue, fake_bot, telegram):
    order = _buy(telegram, fake_bot, ANNA)
    telegram.write(BORIS, "/start")
    _pre_checkout(telegram, BORIS, order)
    answer = _answer(fake_bot)
    assert answer["ok"] is False and "не найден" in answer["error_message"]


@pytest.mark.parametrize("case", ["wrong_amount", "unknown_order", "already_paid"])
def test_pre_checkout_refuses_what_does_not_match_a_pending_order(catalogue, fake_bot,
                                                                  telegram, case):
    order = _buy(telegram, fake_bot, ANNA)
    if case == "wrong_amount":
        _pre_checkout(telegram, ANNA, order, amount=1)
    elif case == "unknown_order":
        _pre_checkout(telegram, ANNA, order, payload="01HZZZZZZZZZZZZZZZZZZZZZZZ")
    else:
        telegram.deliver(_payment_update(ANNA, order))
        _pre_checkout(telegram, ANNA, order)
    answer = _answer(fake_bot)
    assert answer["ok"] is False and answer["error_message"]
    assert any(word in answer["error_message"] for word in ("Сумма", "не найден", "оплачен"))


def test_successful_payment_credits_marks_paid_and_tells_the_new_balance(
        catalogue, fake_bot, telegram, pushes):
    order = _buy(telegram, fake_bot, ANNA)
    telegram.deliver(_payment_update(ANNA, order, charge_id="stxA"))
    user_id = str(ANNA["id"])
    assert balance_of(user_id) == 1 + 3
    assert f"purchase#{order.order_id}" in [e.entry_id for e in ledger_of(user_id)]
    paid = Order.get(order.order_id)
    assert paid.status == "paid" and paid.payment_id == "stxA" and paid.paid_at
    text = fake_bot.last_text(ANNA["id"])
    assert "Оплата прошла" in text and "Теперь на балансе: 4 фотосессии" in text
    assert (user_id, {"type": "balance", "balance": 4}) in pushes
    assert not fake_bot.refunded


def test_duplicate_update_and_replay_credit_nothing(catalogue, fake_bot, telegram):
    order = _buy(telegram, fake_bot, ANNA)
    update = _payment_update(ANNA, order, update_id=900001)
    first = telegram.deliver(json.loads(json.dumps(update)))
    again = telegram.deliver(json.loads(json.dumps(update)))  # Telegram redelivers
    replay = telegram.deliver(_payment_update(ANNA, order))  # same charge, new update_id
    assert json.loads(again["body"])["duplicate"] is True
    assert json.loads(first["body"])["duplicate"] is False
    assert replay["statusCode"] == 200
    assert balance_of(str(ANNA["id"])) == 4
    assert len([t for t in fake_bot.sent(ANNA["id"]) if "Оплата прошла" in t["text"]]) == 1
    assert not fake_bot.refunded


def test_balance_contention_is_redelivered_never_refunded_as_a_second_charge(
        catalogue, fake_bot, telegram, contention):
    """DynamoDB cancelling the crediting transaction for contention must not read as "the
    order was settled before" (which would refund a valid payment as a second charge): the
    update fails, Telegram delivers it again, and it credits once."""
    from photoshoot.billing import BalanceContention

    order = _buy(telegram, fake_bot, ANNA)
    update = _payment_update(ANNA, order, charge_id="stxC", update_id=900002)
    contention.hold(5)

    with pytest.raises(BalanceContention):  # the Lambda errors: Telegram retries
        telegram.deliver(json.loads(json.dumps(update)))
    assert Order.get(order.order_id).status == "pending" and not fake_bot.refunded

    again = telegram.deliver(json.loads(json.dumps(update)))
    assert again["statusCode"] == 200 and json.loads(again["body"])["duplicate"] is False
    assert balance_of(str(ANNA["id"])) == 4 and not fake_bot.refunded
    assert Order.get(order.order_id).status == "paid"


def test_twenty_concurrent_deliveries_of_one_payment_credit_once(catalogue, fake_bot,
                                                                 telegram):
    order = _buy(telegram, fake_bot, ANNA, "shop")
    # 10 redeliveries of one update and 10 replays of the same charge under new update ids
    updates = [_payment_update(ANNA, order, update_id=910000) for _ in range(10)]
    updates += [_payment_update(ANNA, order, update_id=920000 + i) for i in range(10)]
    answers, errors = [], []
    start = threading.Barrier(len(updates))

    def deliver(update):
        start.wait()
        try:
            answers.append(telegram.deliver(update))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=deliver, args=(u,)) for u in updates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # a delivery that meets the same update in progress answers 503: Telegram delivers again
    assert not errors and all(a["statusCode"] in (200, 503) for a in answers)
    assert sum(a["statusCode"] == 200 for a in answers) >= 11  # one per update id at least
    assert telegram.deliver(_payment_update(ANNA, order, update_id=910000))["statusCode"] == 200
    assert balance_of(str(ANNA["id"])) == 1 + 30
    purchases = [e for e in ledger_of(str(ANNA["id"])) if e.kind == "purchase"]
    assert len(purchases) == 1 and purchases[0].delta == 30
    assert Order.get(order.order_id).payment_id == "stxCHARGE1"
    assert not fake_bot.refunded


def test_a_second_charge_for_a_paid_order_is_refunded(catalogue, fake_bot, telegram):
    order = _buy(telegram, fake_bot, ANNA)
    telegram.deliver(_payment_update(ANNA, order, charge_id="stxFIRST"))
    telegram.deliver(_payment_update(ANNA, order, charge_id="stxSECOND"))
    assert balance_of(str(ANNA["id"])) == 4
    assert fake_bot.refunded == ["stxSECOND"]
    assert Order.get(order.order_id).flags == {"second_charge"}
    assert "Stars вернулись" in fake_bot.last_text(ANNA["id"])


def test_a_second_charge_keeps_the_orders_earlier_flag(catalogue, fake_bot, telegram):
    """A charge of the wrong amount was flagged and refunded, the right one credited, then a
    second charge came: a person sees both flags, not only the last."""
    order = _buy(telegram, fake_bot, ANNA)
    telegram.deliver(_payment_update(ANNA, order, amount=1, charge_id="stxLOW"))
    telegram.deliver(_payment_update(ANNA, order, charge_id="stxFIRST"))
    telegram.deliver(_payment_update(ANNA, order, charge_id="stxSECOND"))
    assert fake_bot.refunded == ["stxLOW", "stxSECOND"]
    assert balance_of(str(ANNA["id"])) == 4
    assert Order.get(order.order_id).flags == {"amount_mismatch", "second_charge"}


def test_a_payment_that_does_not_match_its_order_is_refunded_and_not_credited(
        catalogue, fake_bot, telegram):
    order = _buy(telegram, fake_bot, ANNA)
    telegram.deliver(_payment_update(ANNA, order, amount=1, charge_id="stxLOW"))
    assert balance_of(str(ANNA["id"])) == 1
    assert Order.get(order.order_id).status == "pending"
    assert fake_bot.refunded == ["stxLOW"]


def test_someone_paying_another_users_order_is_refunded(catalogue, fake_bot, telegram):
    order = _buy(telegram, fake_bot, ANNA)
    telegram.write(BORIS, "/start")
    telegram.deliver(_payment_update(BORIS, order, charge_id="stxBORIS"))
    assert balance_of(str(ANNA["id"])) == 1 and balance_of(str(BORIS["id"])) == 1
    assert fake_bot.refunded == ["stxBORIS"]


def test_a_payment_for_an_account_removed_meanwhile_is_refunded_not_redelivered(
        catalogue, fake_bot, telegram):
    """The account was removed by hand between the invoice and the payment: nobody to
    credit. A 5xx would have Telegram redeliver for a day; the Stars go back instead."""
    from photoshoot.models import User

    order = _buy(telegram, fake_bot, ANNA)
    User(str(ANNA["id"])).delete()
    answer = telegram.deliver(_payment_update(ANNA, order, charge_id="stxGONE"))
    assert answer["statusCode"] == 200
    assert fake_bot.refunded == ["stxGONE"]
    stored = Order.get(order.order_id)
    assert stored.status == "pending" and stored.flags == {"user_missing"}
    assert "Аккаунт, для которого выставлен этот счёт, удалён" in fake_bot.last_text(ANNA["id"])
