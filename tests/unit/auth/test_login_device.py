"""The bot names the browser that started a login, so a person sent someone else's login
link (or code request) sees that the browser is not theirs before confirming."""
import pytest

from photoshoot.auth.devices import describe
from tests.unit.auth.test_code_login import anna  # noqa: F401 - fixture
from tests.unit.telegram.fakes import ANNA

YANDEX_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/124.0.0.0 YaBrowser/24.4.0.0 Safari/537.36")
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")


@pytest.mark.parametrize("agent, name", [
    (YANDEX_WINDOWS, "Яндекс Браузер на Windows"),
    (SAFARI_IPHONE, "Safari на iPhone"),
    ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Mobile Safari/537.36", "Chrome на Android"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0", "Edge на macOS"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
     "Firefox на Linux"),
    ("curl/8.5.0", ""), ("", ""), (None, ""),
])
def test_common_browsers_are_named_and_others_left_unnamed(agent, name):
    assert describe(agent) == name


def _start_link(api, agent=None):
    headers = {"User-Agent": agent} if agent else {}
    response = api.post("/api/auth/link", body={}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json["bot_link"].split("?start=", 1)[1]


def test_the_confirm_message_names_the_browser_that_started_the_login(api, fake_bot,
                                                                       telegram):
    telegram.write(ANNA, f"/start {_start_link(api, YANDEX_WINDOWS)}")
    text = fake_bot.last_text(ANNA["id"])
    assert "Вход начат в браузере: Яндекс Браузер на Windows." in text
    assert "Если вход начинали не вы" in text
    assert fake_bot.button_data(ANNA["id"])


def test_an_unknown_browser_adds_no_line(api, fake_bot, telegram):
    telegram.write(ANNA, f"/start {_start_link(api)}")
    text = fake_bot.last_text(ANNA["id"])
    assert "Вход начат" not in text
    assert "Если вход начинали не вы" in text


def test_the_login_code_message_names_the_browser_too(api, fake_bot, anna):  # noqa: F811
    response = api.post("/api/auth/code/request", body={"username": "@anna_shop"},
                        headers={"User-Agent": SAFARI_IPHONE})
    assert response.json["delivered"] is True
    assert "Вход начат в браузере: Safari на iPhone." in fake_bot.last_text(ANNA["id"])
