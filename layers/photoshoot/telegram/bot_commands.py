"""The bot's commands as a person sees them: the «/» menu in Telegram (``bot_profile``) and
the list in /help (``commands.on_help``) both come from here.

Each one is a ``command:<name>`` route of ``updates.ROUTES``, and every command route is
here: ``tests/unit/telegram/test_bot_commands.py`` holds the two together, so the menu never
offers a command the bot answers with the help text, nor hides one it handles.
Telegram's limits: a name is 1–32 of ``a-z0-9_``, a description 1–256 characters.
"""
from __future__ import annotations

# In menu order: what a new seller needs first.
BOT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Начать: приветствие, баланс и меню"),
    ("balance", "Сколько фотосессий на балансе"),
    ("buy", "Купить фотосессии за Telegram Stars"),
    ("cancel", "Отменить идущую фотосессию и вернуть её на баланс"),
    ("help", "Как сделать фотосессию"),
    # Telegram requires bots that sell for Stars to answer /paysupport.
    ("paysupport", "Вопросы об оплате и возврате Stars"),
)


def help_lines() -> str:
    """``/name — description`` lines for the help message."""
    return "\n".join(f"/{name} — {text[0].lower()}{text[1:]}" for name, text in BOT_COMMANDS)
