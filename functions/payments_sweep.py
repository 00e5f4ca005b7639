"""Scheduled: re-check pending orders with YooKassa (a lost notification still credits) and
expire those pending for more than a day."""
from __future__ import annotations

from photoshoot.payments.sweep import sweep_pending_orders


def run(event=None) -> dict:
    return sweep_pending_orders()
