"""Point the bot at our webhook: ``setWebhook(<PUBLIC_BASE_URL>/webhooks/telegram,
secret_token=TELEGRAM_WEBHOOK_SECRET)``. Run once per deploy (or after rotating the secret):

    PYTHONPATH=.:layers python -m photoshoot.telegram.webhook_setup

Locally the Telegram sandbox already delivers to the local stack's webhook, so this is only
needed against real Telegram.
"""
from __future__ import annotations

import json

from photoshoot.settings import get_settings
from photoshoot.telegram.bot_api import bot_api

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


if __name__ == "__main__":
    print(json.dumps(register_webhook()))  # the URL only: never the token or the secret
