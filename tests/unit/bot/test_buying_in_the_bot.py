"""Buying in the bot around the payment itself: support for Stars buyers (/paysupport), an
empty balance met once per keyboard, and a package tapped twice is one order to pay."""
from __future__ import annotations

import threading
from types import SimpleNamespace

from photoshoot.models import Generation, Order
from photoshoot.settings import reset_settings_cache
from photoshoot.telegram import stars
from tests.unit.bot.test_photos import USER_ID, _send_product, quick  # noqa: F401
from tests.unit.bot.test_stars import _payment_update, _pre_checkout
from tests.unit.telegram.fakes import ANNA


def test_paysupport_says_how_to_reach_support(catalogue, fake_bot, telegram, monkeypatch):
    monkeypatch.setenv("SUPPORT_CONTACT", "@photoshoot_help")
    reset_settings_cache()
    telegram.write(ANNA, "/paysupport")
    text = fake_bot.last_text(ANNA["id"])
    assert "Telegram @photoshoot_help" in text and "оплат" in text
    telegram.write(ANNA, "/help")
    assert "/paysupport" in fake_bot.last_text(ANNA["id"])


def test_a_failed_stars_refund_names_the_support_contact(catalogue, fake_bot, telegram,
                                                         monkeypatch):
    monkeypatch.setenv("SUPPORT_CONTACT", "help@photoshoot.example")
    reset_settings_cache()
    telegram.write(ANNA, "/start")
    fake_bot.failing.add("refundStarPayment")
    order = SimpleNamespace(order_id="01UNKNOWNORDER0000000000000", amount_stars=50)
    telegram.deliver(_payment_update(ANNA, order, charge_id="stxLOST"))  # an unknown order
    text = fake_bot.last_text(ANNA["id"])
    assert "help@photoshoot.example" in text and "/paysupport" in text


def test_an_empty_balance_is_said_once_per_keyboard(pipeline, fake_bot, telegram, quick,
                                                    monkeypatch):
    monkeypatch.setenv("SIGNUP_BONUS", "0")
    reset_settings_cache()
    telegram.write(ANNA, "/start")
    style = _send_product(telegram, fake_bot)[0]
    for _ in range(3):
        telegram.press(ANNA, style["callback_data"], message_id=51)
    texts = [m["text"] for m in fake_bot.sent(ANNA["id"])]
    assert len([t for t in texts if "нет фотосессий" in t]) == 1
    assert "нет фотосессий" in fake_bot.answers()[-1]["text"]  # later taps: a toast
    assert Generation.count(USER_ID) == 0


def test_the_paid_message_says_to_press_the_style_or_send_a_photo(catalogue, fake_bot,
                                                                  telegram):
    telegram.write(ANNA, "/buy")
    telegram.press(ANNA, "pkg:start")
    order = Order.get(fake_bot.of("sendInvoice")[-1]["payload"])
    telegram.deliver(_payment_update(ANNA, order))
    text = fake_bot.last_text(ANNA["id"])
    assert "Нажмите стиль" in text and "пришлите новое фото" in text


def test_a_package_tapped_twice_is_one_order_and_one_payment(catalogue, fake_bot, telegram):
    telegram.write(ANNA, "/buy")
    telegram.press(ANNA, "pkg:start")
    telegram.press(ANNA, "pkg:start")
    first, second = fake_bot.of("sendInvoice")[-2:]
    assert first["payload"] == second["payload"]
    order = Order.get(first["payload"])
    telegram.deliver(_payment_update(ANNA, order))
    _pre_checkout(telegram, ANNA, order, query_id="q-second")
    answer = fake_bot.of("answerPreCheckoutQuery")[-1]
    assert answer["ok"] is False and "уже оплачен" in answer["error_message"]
    # after the payment a new tap is a new order
    telegram.press(ANNA, "pkg:start")
    assert fake_bot.of("sendInvoice")[-1]["payload"] != order.order_id


def test_two_taps_at_once_make_one_order(catalogue, fake_bot, telegram):
    telegram.write(ANNA, "/start")
    invoices, barrier = [], threading.Barrier(2)

    def tap():
        barrier.wait()
        invoices.append(stars.create_stars_order(USER_ID, "seller"))

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({invoice.order_id for invoice in invoices}) == 1
    assert len([o for o in Order.scan() if o.user_id == USER_ID]) == 1
