"""Accounts and sessions: Telegram login checks, JWT sessions, login challenges."""
