"""Scheduled: re-check pending orders with YooKassa (a lost notification still credits),
expire those pending for more than a day, and apply recent refunds whose notification was
lost (the photoshoots are still taken back)."""
from __future__ import annotations

import time

from photoshoot.payments.refund_sweep import sweep_refunds
from photoshoot.payments.sweep import TIME_BUDGET_S, sweep_pending_orders


def run(event=None) -> dict:
    started = time.monotonic()
    refunds = sweep_refunds()
    # One time budget for both, inside the function's timeout; whatever is left over waits
    # for the next run.
    orders = sweep_pending_orders(budget_s=TIME_BUDGET_S - (time.monotonic() - started))
    return {"orders": orders, "refunds": refunds}
