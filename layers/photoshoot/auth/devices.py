"""A person-readable name of the browser that started a login («Chrome на Windows»).

The bot shows it next to «Подтвердить вход» and with a login code: someone who was sent a
login link or asked for a code by another person sees that the browser is not theirs.
Only the common browsers and systems are named; anything else is left unnamed rather than
guessed (an empty answer shows no line)."""
from __future__ import annotations

import re

MAX_USER_AGENT = 512

# First match wins: browsers built on Chromium also say "Chrome", Chrome also says "Safari".
_BROWSERS = (("YaBrowser/", "Яндекс Браузер"), ("Edg/", "Edge"), ("EdgA/", "Edge"),
             ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
             ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = ((re.compile(r"iPhone"), "iPhone"), (re.compile(r"iPad"), "iPad"),
            (re.compile(r"Android"), "Android"), (re.compile(r"Windows"), "Windows"),
            (re.compile(r"Mac OS X|Macintosh"), "macOS"), (re.compile(r"CrOS"), "ChromeOS"),
            (re.compile(r"Linux"), "Linux"))


def describe(user_agent: str | None) -> str:
    agent = str(user_agent or "")[:MAX_USER_AGENT]
    browser = next((name for marker, name in _BROWSERS if marker in agent), "")
    system = next((name for pattern, name in _SYSTEMS if pattern.search(agent)), "")
    if browser and system:
        return f"{browser} на {system}"
    return browser or system


def started_in_line(device: str | None) -> str:
    """The message line about where the login started, or nothing."""
    return f"Вход начат в браузере: {device}.\n" if device else ""
