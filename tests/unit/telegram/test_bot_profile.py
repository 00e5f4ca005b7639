"""The bot's profile — «/» menu, descriptions, the Mini App menu button — is brought in step
with Telegram (here the sandbox, over real HTTP) by reading it back and sending only what
differs; the setup command runs it after setWebhook."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from photoshoot.settings import get_settings, reset_settings_cache
from photoshoot.telegram import bot_profile
from photoshoot.telegram.bot_api import BotApi
from photoshoot.telegram.bot_commands import BOT_COMMANDS
from photoshoot.telegram.bot_profile import BotProfileNotSynced, sync_bot_profile
from tests.unit.telegram.sandbox_server import sandbox_server  # noqa: F401 - fixture

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
SETTERS = ("setMyCommands", "setMyDescription", "setMyShortDescription", "setChatMenuButton")
MENU = [{"command": name, "description": text} for name, text in BOT_COMMANDS]
PARTS = ["commands", "description", "short_description", "commands:ru", "description:ru",
         "short_description:ru", "menu_button"]


def _setter_calls(server) -> list[dict]:
    return [c for c in server.calls() if c["method"] in SETTERS]


def _use_site(monkeypatch, url: str) -> None:
    monkeypatch.setenv("PUBLIC_BASE_URL", url)
    reset_settings_cache()


def test_first_run_sets_the_menu_and_russian_descriptions_for_everyone(
        sandbox_server):  # noqa: F811
    report = sync_bot_profile()
    assert sorted(report) == sorted(PARTS)
    # a plain-HTTP site cannot be a Mini App: the button stays the command list, unsent
    assert report.pop("menu_button") == "unchanged"
    assert set(report.values()) == {"updated"}
    profile = sandbox_server.profile()
    assert profile["commands"] == [
        {"scope": {"type": "default"}, "language_code": "", "commands": MENU},
        {"scope": {"type": "default"}, "language_code": "ru", "commands": MENU}]
    for lang in ("", "ru"):
        assert profile["descriptions"][lang] == bot_profile.description()
        assert profile["short_descriptions"][lang] == bot_profile.SHORT_DESCRIPTION
    assert "Пришлите фото товара" in bot_profile.description()
    assert "Первая фотосессия — в подарок" in bot_profile.description()  # SIGNUP_BONUS=1
    assert profile["menu_button"] == {"type": "commands"}
    assert "setChatMenuButton" not in [c["method"] for c in sandbox_server.calls()]


def test_a_second_run_reads_everything_and_sends_nothing(sandbox_server):  # noqa: F811
    sync_bot_profile()
    sent_before = len(_setter_calls(sandbox_server))
    report = sync_bot_profile()
    assert set(report.values()) == {"unchanged"}
    assert len(_setter_calls(sandbox_server)) == sent_before


def test_only_the_part_that_differs_is_sent(sandbox_server, monkeypatch):  # noqa: F811
    sync_bot_profile()
    bot = BotApi(get_settings().telegram_bot_token, sandbox_server.api_base)
    bot.set_my_description("Старое описание", "ru")  # edited by hand in @BotFather
    bot.set_my_commands(MENU[::-1], {"type": "default"})  # the same commands, another order
    sent_before = len(_setter_calls(sandbox_server))
    report = sync_bot_profile()
    assert {name for name, state in report.items() if state == "updated"} == {
        "description:ru", "commands"}
    sent = _setter_calls(sandbox_server)[sent_before:]
    assert [c["method"] for c in sent] == ["setMyCommands", "setMyDescription"]
    assert sandbox_server.profile()["descriptions"]["ru"] == bot_profile.description()


def test_description_follows_the_signup_bonus(sandbox_server, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SIGNUP_BONUS", "3")
    reset_settings_cache()
    assert "🎁 3 фотосессии в подарок" in bot_profile.description()
    assert sync_bot_profile()["description:ru"] == "updated"  # within Telegram's 512
    monkeypatch.setenv("SIGNUP_BONUS", "0")
    reset_settings_cache()
    assert "подарок" not in bot_profile.description()


def test_an_https_site_opens_as_a_mini_app_from_the_menu_button(
        sandbox_server, monkeypatch):  # noqa: F811
    _use_site(monkeypatch, "https://photoshoot.example")
    assert sync_bot_profile()["menu_button"] == "updated"
    assert sandbox_server.profile()["menu_button"] == {
        "type": "web_app", "text": "Открыть сайт",
        "web_app": {"url": "https://photoshoot.example"}}
    assert sync_bot_profile()["menu_button"] == "unchanged"
    # The same site with a trailing slash is no change either.
    _use_site(monkeypatch, "https://photoshoot.example/")
    assert sync_bot_profile()["menu_button"] == "unchanged"
    # A new domain moves the button.
    _use_site(monkeypatch, "https://shop.photoshoot.example")
    assert sync_bot_profile()["menu_button"] == "updated"
    assert sandbox_server.profile()["menu_button"]["web_app"]["url"] == \
        "https://shop.photoshoot.example"


def test_without_https_a_mini_app_button_left_from_before_becomes_the_command_list(
        sandbox_server, monkeypatch):  # noqa: F811
    _use_site(monkeypatch, "https://photoshoot.example")
    sync_bot_profile()
    _use_site(monkeypatch, sandbox_server.base_url)
    assert sync_bot_profile()["menu_button"] == "updated"
    assert sandbox_server.profile()["menu_button"] == {"type": "commands"}


def test_a_refused_part_is_reported_and_the_others_are_still_set(
        sandbox_server, monkeypatch):  # noqa: F811
    _use_site(monkeypatch, "https://photoshoot.example")
    monkeypatch.setattr(bot_profile, "BOT_COMMANDS", (("Start", "Начать"),))
    with pytest.raises(BotProfileNotSynced) as failed:
        sync_bot_profile()
    report = failed.value.report
    assert report["commands:ru"] == "failed: setMyCommands: 400 Bad Request: BOT_COMMAND_INVALID"
    assert report["description:ru"] == "updated" and report["menu_button"] == "updated"
    assert "commands: setMyCommands: 400 Bad Request: BOT_COMMAND_INVALID" in str(failed.value)
    assert get_settings().telegram_bot_token not in str(failed.value)


def _setup_command(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "photoshoot.telegram.webhook_setup"],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT}/layers",
                                         **env},
                          capture_output=True, text=True, timeout=120)


def test_the_setup_command_sets_the_webhook_then_the_profile(sandbox_server):  # noqa: F811
    env = {"PUBLIC_BASE_URL": sandbox_server.base_url,
           "TELEGRAM_API_BASE": sandbox_server.api_base}
    done = _setup_command(env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["webhook"]["url"] == f"{sandbox_server.base_url}/webhooks/telegram"
    assert set(result["profile"].values()) == {"updated", "unchanged"}
    assert result["profile"]["commands:ru"] == "updated"
    methods = [c["method"] for c in sandbox_server.calls()]
    assert methods[0] == "setWebhook" and "setMyCommands" in methods
    again = json.loads(_setup_command(env).stdout)
    assert set(again["profile"].values()) == {"unchanged"}
    settings = get_settings()
    for secret in (settings.telegram_bot_token, settings.telegram_webhook_secret):
        assert secret not in done.stdout + done.stderr


def test_the_setup_command_fails_loudly_without_leaking_the_token(sandbox_server):  # noqa: F811
    token = "987654:WRONG-TOKEN-NOT-FOR-LOGS"
    done = _setup_command({"PUBLIC_BASE_URL": sandbox_server.base_url,
                           "TELEGRAM_API_BASE": sandbox_server.api_base,
                           "TELEGRAM_BOT_TOKEN": token})
    assert done.returncode == 1
    assert "setWebhook failed: setWebhook: 401 Unauthorized" in done.stderr
    assert "getMyCommands: 401 Unauthorized" in done.stderr
    assert set(json.loads(done.stdout)["profile"].values()) == {
        "failed: getMyCommands: 401 Unauthorized", "failed: getMyDescription: 401 Unauthorized",
        "failed: getMyShortDescription: 401 Unauthorized",
        "failed: getChatMenuButton: 401 Unauthorized"}
    assert token not in done.stdout + done.stderr and "WRONG-TOKEN" not in done.stderr
