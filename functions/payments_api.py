"""Payments API: buy a package (order + YooKassa payment), read the user's orders."""
from __future__ import annotations

from functions.http import current_user_id, read_json
from photoshoot.payments import orders


def create_payment(request) -> dict:
    body = read_json(request)
    return orders.start_payment(current_user_id(request), body.get("package_id"))


def list_orders(request) -> dict:
    return {"items": orders.list_orders(current_user_id(request))}


def get_order(request, order_id: str) -> dict:
    return orders.get_order(current_user_id(request), order_id)
