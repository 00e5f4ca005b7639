"""The bot's profile in Telegram — what a seller sees before the first message and around
the chat: the «/» command menu, the description in the empty chat («Что умеет этот бот?»),
the short description on the profile page and the share card, and the menu button beside
the input field (the site as a Mini App over HTTPS, else the command list).

``sync_bot_profile()`` reads every part back (getMyCommands, getMyDescription,
getMyShortDescription, getChatMenuButton) and sends only the parts that differ: Telegram
rate-limits the setters, and this runs after every deploy, together with the webhook
(``python -m photoshoot.telegram.webhook_setup``).

Texts are set for the fallback language (every person whose Telegram language has none of
its own: a Russian-speaking seller often runs Telegram in English, Kazakh or Uzbek) and for
``ru``; the bot speaks only Russian.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from photoshoot.settings import get_settings
from photoshoot.telegram.bot_api import BotApi, TelegramApiError, bot_api
from photoshoot.telegram.bot_commands import BOT_COMMANDS
from photoshoot.telegram.commands import mini_app_url, photoshoots

PROFILE_LANGUAGES = ("", "ru")
DEFAULT_SCOPE = {"type": "default"}
MENU_BUTTON_TEXT = "Открыть сайт"
SHORT_DESCRIPTION = ("Студийные фото товаров для Wildberries и Ozon за пару минут: пришлите "
                     "фото — получите готовую карточку.")


def description() -> str:
    """Shown in the empty chat before «Запустить»: what the bot does and what to do first."""
    bonus = get_settings().signup_bonus
    gift = []
    if bonus == 1:
        gift = ["🎁 Первая фотосессия — в подарок."]
    elif bonus > 1:
        gift = [f"🎁 {photoshoots(bonus)} в подарок для начала."]
    return "\n".join([
        "Photoshoot — студийные фото товаров для маркетплейсов за пару минут.",
        "",
        "📸 Пришлите фото товара — предложу стили под него или сделаю по вашему описанию.",
        "🖼 Готовые снимки придут альбомом: карточка 3:4 (900×1200) для Wildberries и Ozon, "
        "квадрат, лента или баннер.",
        *gift,
        "⭐ Оплата звёздами Telegram здесь или картой на сайте.",
        "",
        "Нажмите «Запустить» и пришлите фото товара.",
    ])


def menu_button() -> dict:
    """The site as a Mini App; without HTTPS the command list (Telegram's own default)."""
    url = mini_app_url()
    if url is None:
        return {"type": "commands"}
    return {"type": "web_app", "text": MENU_BUTTON_TEXT, "web_app": {"url": url}}


def _commands_key(commands: Any) -> tuple:
    return tuple((str(c.get("command")), str(c.get("description")))
                 for c in commands or [] if isinstance(c, dict))


def _menu_button_key(button: Any) -> tuple:
    """Equal keys show the same button: "default" (never set) opens the command list too,
    and a URL that comes back with a trailing slash is the same site."""
    button = button if isinstance(button, dict) else {}
    if button.get("type") == "web_app":
        url = str((button.get("web_app") or {}).get("url") or "").rstrip("/")
        return "web_app", str(button.get("text") or ""), url
    if button.get("type") in ("commands", "default", None):
        return ("commands",)
    return (str(button.get("type")),)


@dataclass(frozen=True)
class ProfilePart:
    """One thing Telegram shows, read back and compared by ``key`` before it is sent."""

    name: str
    wanted: Any
    read: Callable[[BotApi], Any]
    send: Callable[[BotApi], Any]
    key: Callable[[Any], Any] = lambda value: value


def profile_parts() -> list[ProfilePart]:
    commands = [{"command": name, "description": text} for name, text in BOT_COMMANDS]
    about, button = description(), menu_button()
    parts = []
    for lang in PROFILE_LANGUAGES:
        suffix = f":{lang}" if lang else ""
        parts += [
            ProfilePart(f"commands{suffix}", _commands_key(commands),
                        lambda api, lang=lang: api.get_my_commands(DEFAULT_SCOPE, lang),
                        lambda api, lang=lang: api.set_my_commands(commands, DEFAULT_SCOPE,
                                                                   lang),
                        _commands_key),
            ProfilePart(f"description{suffix}", about,
                        lambda api, lang=lang: api.get_my_description(lang),
                        lambda api, lang=lang: api.set_my_description(about, lang)),
            ProfilePart(f"short_description{suffix}", SHORT_DESCRIPTION,
                        lambda api, lang=lang: api.get_my_short_description(lang),
                        lambda api, lang=lang: api.set_my_short_description(SHORT_DESCRIPTION,
                                                                            lang)),
        ]
    parts.append(ProfilePart("menu_button", _menu_button_key(button),
                             lambda api: api.get_chat_menu_button(),
                             lambda api: api.set_chat_menu_button(button), _menu_button_key))
    return parts


class BotProfileNotSynced(Exception):
    """Some parts of the profile could not be read or set; ``report`` says which and why
    (Telegram's method and answer — never the token, see ``TelegramApiError``)."""

    def __init__(self, report: dict[str, str]):
        super().__init__()
        self.report = report

    def __str__(self) -> str:
        return "; ".join(f"{name}: {state[len('failed: '):]}"
                         for name, state in self.report.items() if state.startswith("failed"))


def sync_bot_profile(api: BotApi | None = None) -> dict[str, str]:
    """Make Telegram show ``profile_parts()``: each part "unchanged" or "updated". A part
    that fails does not stop the others; then ``BotProfileNotSynced`` with the report."""
    api = api or bot_api()
    report: dict[str, str] = {}
    for part in profile_parts():
        try:
            if part.key(part.read(api)) == part.wanted:
                report[part.name] = "unchanged"
                continue
            part.send(api)
            report[part.name] = "updated"
        except TelegramApiError as error:
            report[part.name] = f"failed: {error}"
    if any(state.startswith("failed") for state in report.values()):
        raise BotProfileNotSynced(report)
    return report
