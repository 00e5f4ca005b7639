"""Point the bot at our webhook: ``setWebhook(<PUBLIC_BASE_URL>/webhooks/telegram,
secret_token=TELEGRAM_WEBHOOK_SECRET)``, then bring the bot's profile in step (the «/» menu,
descriptions, the Mini App menu button: ``bot_profile``). ``infra.deploy`` runs it as its
last step; run it by hand after rotating the secret or to repeat that step (docs/deploy.md);
re-running sends only what changed:

    PYTHONPATH=.:layers python -m photoshoot.telegram.webhook_setup

It prints one JSON line (the URL and each profile part's state — never the token or the
secret) and exits 1 when anything failed, with Telegram's answer on stderr. Locally the
Telegram sandbox already delivers to the local stack's webhook; running it there sets the
sandbox's profile (shown on /sandbox/telegram/).
"""
from __future__ import annotations

import json
import sys

from photoshoot.settings import MisconfiguredError, get_settings
from photoshoot.telegram.bot_api import TelegramApiError, bot_api
from photoshoot.telegram.bot_profile import BotProfileNotSynced, sync_bot_profile

# What the bot handles: messages (/start, codes, photos, Stars receipts), inline buttons and
# the Stars pre-checkout query.
ALLOWED_UPDATES = ["message", "callback_query", "pre_checkout_query"]


def webhook_url() -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/webhooks/telegram"


def register_webhook() -> dict:
    settings = get_settings()
    if not settings.telegram_webhook_secret:
        raise ValueError("TELEGRAM_WEBHOOK_SECRET is empty: Telegram would send no secret")
    bot_api().set_webhook(webhook_url(), settings.telegram_webhook_secret, ALLOWED_UPDATES)
    return {"url": webhook_url(), "allowed_updates": ALLOWED_UPDATES}


def main() -> int:
    """The webhook, then the profile; one failing does not stop the other."""
    result: dict = {}
    failed = False
    try:  # names what is missing or unsafe (never a value), rather than a traceback
        get_settings()
    except MisconfiguredError as error:
        print(f"settings: {error}", file=sys.stderr)
        return 1
    try:
        result["webhook"] = register_webhook()
    except (TelegramApiError, ValueError) as error:  # never the URL with the token in it
        result["webhook"] = "failed"
        print(f"setWebhook failed: {error}", file=sys.stderr)
        failed = True
    try:
        result["profile"] = sync_bot_profile()
    except BotProfileNotSynced as error:
        result["profile"] = error.report
        print(f"bot profile not fully set: {error}", file=sys.stderr)
        failed = True
    print(json.dumps(result, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
