"""The sandbox answers the bot-profile methods as Telegram does — its documented limits
refused with a 400 — and keeps what was set, for its page and ``GET /profile``."""
from __future__ import annotations

import pytest

from photoshoot.settings import get_settings
from photoshoot.telegram.bot_api import BotApi, TelegramApiError
from tests.unit.telegram.sandbox_server import sandbox_server  # noqa: F401 - fixture

DEFAULT = {"type": "default"}


@pytest.fixture
def bot(sandbox_server):  # noqa: F811
    return BotApi(get_settings().telegram_bot_token, sandbox_server.api_base)


def _refused(call) -> str:
    with pytest.raises(TelegramApiError) as refused:
        call()
    assert refused.value.error_code == 400
    return refused.value.description


def test_commands_are_kept_per_scope_and_language(sandbox_server, bot):  # noqa: F811
    assert bot.get_my_commands(DEFAULT, "ru") == []
    menu = [{"command": "start", "description": "Начать"},
            {"command": "pay_support2", "description": "Оплата"}]
    assert bot.set_my_commands(menu, DEFAULT, "ru") is True
    assert bot.get_my_commands(DEFAULT, "ru") == menu
    assert bot.get_my_commands(DEFAULT) == []  # the fallback language is another list
    private = {"type": "all_private_chats"}
    assert bot.get_my_commands(private, "ru") == []
    assert sandbox_server.profile()["commands"] == [
        {"scope": DEFAULT, "language_code": "ru", "commands": menu}]


@pytest.mark.parametrize("command, description, answer", [
    ("Start", "Начать", "BOT_COMMAND_INVALID"),
    ("/start", "Начать", "BOT_COMMAND_INVALID"),
    ("new-shoot", "Начать", "BOT_COMMAND_INVALID"),
    ("x" * 33, "Начать", "BOT_COMMAND_INVALID"),
    ("", "Начать", "BOT_COMMAND_INVALID"),
    ("start", "", "BOT_COMMAND_DESCRIPTION_INVALID"),
    ("start", "я" * 257, "BOT_COMMAND_DESCRIPTION_INVALID"),
    ("start", "📸" * 129, "BOT_COMMAND_DESCRIPTION_INVALID"),  # 258 UTF-16 units
])
def test_a_command_outside_telegrams_limits_is_refused(bot, command, description, answer):
    description_of = _refused(lambda: bot.set_my_commands(
        [{"command": command, "description": description}], DEFAULT, "ru"))
    assert description_of == f"Bad Request: {answer}"
    assert bot.get_my_commands(DEFAULT, "ru") == []  # nothing of a refused list is kept


def test_the_longest_allowed_command_list_is_accepted_and_one_more_is_refused(bot):
    menu = [{"command": f"c{i}_" + "x" * (30 - len(str(i))), "description": "я" * 256}
            for i in range(100)]
    assert all(len(c["command"]) == 32 for c in menu)
    assert bot.set_my_commands(menu, DEFAULT) is True
    too_many = menu + [{"command": "one_more", "description": "Ещё"}]
    assert "too many commands" in _refused(lambda: bot.set_my_commands(too_many, DEFAULT))
    assert len(bot.get_my_commands(DEFAULT)) == 100


def test_a_bad_language_code_or_scope_is_refused(bot):
    menu = [{"command": "start", "description": "Начать"}]
    assert "language code" in _refused(lambda: bot.set_my_commands(menu, DEFAULT, "rus"))
    assert "BotCommandScope" in _refused(lambda: bot.set_my_commands(menu, {"type": "all"}))
    assert "chat_id" in _refused(lambda: bot.set_my_commands(menu, {"type": "chat"}))


def test_descriptions_have_telegrams_length_limits_and_empty_removes(bot):
    assert bot.set_my_description("я" * 512, "ru") is True
    assert bot.get_my_description("ru") == "я" * 512
    assert bot.get_my_description() == ""
    assert "too long" in _refused(lambda: bot.set_my_description("я" * 513, "ru"))
    assert bot.set_my_short_description("я" * 120, "ru") is True
    assert "too long" in _refused(lambda: bot.set_my_short_description("я" * 121, "ru"))
    assert "too long" in _refused(lambda: bot.set_my_short_description("📸" * 60 + "я"))
    assert bot.get_my_short_description("ru") == "я" * 120
    assert bot.set_my_description("", "ru") is True
    assert bot.get_my_description("ru") == ""


def test_menu_button_web_app_needs_https(sandbox_server, bot):  # noqa: F811
    assert bot.get_chat_menu_button() == {"type": "commands"}
    answer = _refused(lambda: bot.set_chat_menu_button(
        {"type": "web_app", "text": "Открыть сайт", "web_app": {"url": "http://site.example"}}))
    assert "Only HTTPS links are allowed" in answer
    assert "text is empty" in _refused(lambda: bot.set_chat_menu_button(
        {"type": "web_app", "text": " ", "web_app": {"url": "https://site.example"}}))
    assert "unsupported type" in _refused(lambda: bot.set_chat_menu_button({"type": "url"}))
    button = {"type": "web_app", "text": "Открыть сайт",
              "web_app": {"url": "https://site.example"}}
    assert bot.set_chat_menu_button(button) is True
    assert bot.get_chat_menu_button() == button
    assert bot.set_chat_menu_button({"type": "default"}) is True  # no effect for every chat
    assert bot.get_chat_menu_button() == button
    assert bot.set_chat_menu_button({"type": "commands"}) is True
    assert sandbox_server.profile()["menu_button"] == {"type": "commands"}


def test_the_page_shows_the_profile(sandbox_server, bot):  # noqa: F811
    page = sandbox_server.get("/").text
    assert "Профиль не задан" in page
    bot.set_my_commands([{"command": "balance", "description": "Баланс <фотосессий>"}],
                        DEFAULT, "ru")
    bot.set_my_description("Студийные фото товаров", "ru")
    bot.set_my_short_description("Фото для карточек", "ru")
    bot.set_chat_menu_button({"type": "web_app", "text": "Открыть сайт",
                              "web_app": {"url": "https://site.example"}})
    page = sandbox_server.get("/").text
    assert "Профиль не задан" not in page
    assert "<code>/balance</code> — Баланс &lt;фотосессий&gt;" in page
    assert "Студийные фото товаров" in page and "Фото для карточек" in page
    assert "«Открыть сайт» → https://site.example" in page


def test_reset_forgets_the_profile(sandbox_server, bot):  # noqa: F811
    import requests

    bot.set_my_description("Студийные фото товаров", "ru")
    requests.post(f"{sandbox_server.api_base}/reset", timeout=10)
    assert bot.get_my_description("ru") == ""
