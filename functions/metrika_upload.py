"""Scheduled: upload paid orders to Yandex.Metrika as offline conversions (no-op when the
counter or the token is not configured)."""
from __future__ import annotations

from photoshoot.analytics.offline_conversions import upload_offline_conversions


def run(event=None) -> dict:
    return upload_offline_conversions()
