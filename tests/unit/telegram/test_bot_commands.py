"""The «/» menu and the bot's router cannot drift apart: every command in the menu has its
own route, and every command the router handles is in the menu (and in /help)."""
from __future__ import annotations

import re

from photoshoot.telegram import updates
from photoshoot.telegram.bot_commands import BOT_COMMANDS, help_lines


def _routed_commands() -> set[str]:
    return {kind.split(":", 1)[1] for kind in updates.ROUTES if kind.startswith("command:")}


def test_every_menu_command_is_routed_and_every_routed_command_is_in_the_menu():
    menu = [name for name, _ in BOT_COMMANDS]
    assert len(menu) == len(set(menu)), "a command is listed twice"
    assert set(menu) == _routed_commands()


def test_every_menu_command_reaches_its_own_handler_not_the_unknown_command_help():
    for name, _ in BOT_COMMANDS:
        update = {"update_id": 1, "message": {"text": f"/{name}@photoshoot_bot extra"}}
        kind = updates.update_kind(update)
        assert kind == f"command:{name}"
        assert updates.ROUTES.get(kind), f"/{name} would get the unknown-command help"


def test_the_menu_is_within_telegrams_limits_and_in_russian():
    assert 1 <= len(BOT_COMMANDS) <= 100
    for name, description in BOT_COMMANDS:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
        assert 1 <= len(description.encode("utf-16-le")) // 2 <= 256
        assert re.search(r"[а-яё]", description, re.IGNORECASE), description


def test_help_lists_exactly_the_menu():
    listed = re.findall(r"^/([a-z0-9_]+) — ", help_lines(), re.MULTILINE)
    assert listed == [name for name, _ in BOT_COMMANDS]
