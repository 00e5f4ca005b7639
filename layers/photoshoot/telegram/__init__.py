"""Telegram: the Bot API client, update dispatch for the bot webhook, and notifications."""
