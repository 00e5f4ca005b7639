"""A person logs in with a code from the bot: the login page asks for the code, the
Telegram sandbox is their Telegram, and they land on the home page with the sign-up bonus."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

CODE = re.compile(r"\b(\d{6})\b")


def _write_to_the_bot(telegram_tab, person: dict, text: str) -> None:
    telegram_tab.get_by_test_id("sandbox-write-id").fill(str(person["id"]))
    telegram_tab.get_by_test_id("sandbox-write-first-name").fill(person["first_name"])
    telegram_tab.get_by_test_id("sandbox-write-username").fill(person["username"])
    telegram_tab.get_by_test_id("sandbox-write-text").fill(text)
    telegram_tab.get_by_test_id("sandbox-write-submit").click()
    telegram_tab.wait_for_load_state()


def _last_bot_message(telegram_tab) -> str:
    return telegram_tab.get_by_test_id("sandbox-message-bot").last.inner_text()


def test_code_login_lands_on_home_with_balance_of_one(page, local_stack):
    suffix = uuid.uuid4().hex[:8]
    person = {"id": 600_000_000 + int(suffix, 16) % 99_999_999, "first_name": "Ольга",
              "username": f"olga_{suffix}"}

    # Arriving from the home page (the SPA's default destination after login is /generate).
    page.goto("/login?next=%2F")
    page.get_by_test_id("login-code-username").fill("@" + person["username"])
    page.get_by_test_id("login-code-request").click()

    # The bot has never talked to Olga: the page sends her to the bot first.
    expect(page.get_by_test_id("login-code-not-delivered")).to_be_visible()
    bot_link = page.get_by_test_id("login-code-open-bot").get_attribute("href")
    start_payload = bot_link.split("?start=", 1)[1]

    telegram_tab = page.context.new_page()
    telegram_tab.goto("/sandbox/telegram/")
    _write_to_the_bot(telegram_tab, person, f"/start {start_payload}")
    assert "Запросить код ещё раз" in _last_bot_message(telegram_tab)

    page.bring_to_front()
    page.get_by_test_id("login-code-request").click()
    expect(page.get_by_test_id("login-code-input")).to_be_visible()

    telegram_tab.reload()
    code = CODE.search(_last_bot_message(telegram_tab)).group(1)
    page.get_by_test_id("login-code-input").fill(code)  # six digits submit by themselves

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("header-balance-value")).to_have_text("1")
    expect(page.get_by_test_id("header-login")).to_have_count(0)
