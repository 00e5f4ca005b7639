"""Orders a person must look at: every order with a review flag (``payments.review``), for
the admin page.

No index can find them (``review_flags`` is a set, which cannot be an index key), so this is
a Scan of the orders table filtered on the flag attributes. Flagged orders are rare and the
page is opened by hand, so the Scan is bounded instead: at most ``MAX_PAGES`` pages of
``PAGE_SIZE`` evaluated orders per request; if the table is not finished, the answer carries
``next_cursor`` (the order id the Scan stopped at) to continue from. Newest first within one
answer; the page merges the answers it loaded. Cost: the Scan reads (and is billed for)
every order it evaluates, flagged or not — see docs/admin.md."""
from __future__ import annotations

from typing import Any

from photoshoot.errors import ValidationFailed
from photoshoot.models import Order
from photoshoot.payments.review import flag_label

PAGE_SIZE = 1000  # orders evaluated per Scan call (DynamoDB also stops a page at 1 MB)
MAX_PAGES = 5  # Scan calls per request: at most 5000 orders evaluated
MAX_CURSOR = 128

_FLAGGED = Order.review_flags.exists() | Order.review_flag.exists()


def list_flagged_orders(cursor: str | None = None) -> dict[str, Any]:
    """``{"items": [...newest first], "next_cursor": str | None}``."""
    start = None
    if cursor is not None:
        if not cursor or len(cursor) > MAX_CURSOR:
            raise ValidationFailed("Некорректная позиция списка.", details={"field": "cursor"})
        start = {"order_id": {"S": cursor}}
    pages = Order.scan(_FLAGGED, page_size=PAGE_SIZE, last_evaluated_key=start).page_iter
    orders: list[Order] = []
    for _ in range(MAX_PAGES):
        try:
            page = next(pages)
        except StopIteration:
            break
        orders.extend(Order.from_raw_data(item) for item in page.get("Items", ()))
        if pages.last_evaluated_key is None:
            break
    last = pages.last_evaluated_key
    orders = [order for order in orders if order.flags]  # an emptied set is not a flag
    orders.sort(key=lambda order: order.created_at, reverse=True)
    return {"items": [flagged_order_view(order) for order in orders],
            "next_cursor": last["order_id"]["S"] if last else None}


def flagged_order_view(order: Order) -> dict[str, Any]:
    stars = order.provider == "stars"
    return {
        "order_id": order.order_id,
        "user_id": order.user_id,
        "provider": order.provider,
        "status": order.status,
        "currency": order.currency,
        "amount_kopecks": int(order.amount_kopecks),
        "amount_stars": int(order.amount_stars) if stars and order.amount_stars is not None
        else None,
        "photoshoots": int(order.photoshoots),
        # what the refund notifications counted so far (None before that was tracked)
        "refunded_kopecks": int(order.counted_refunded_kopecks)
        if order.counted_refunded_kopecks is not None else None,
        "payment_id": order.payment_id,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "flags": [{"code": flag, "label": flag_label(flag)} for flag in sorted(order.flags)],
    }
