"""YooKassa HTTP notifications: authenticate by source IP, parse, re-fetch, settle.

Notifications are unsigned, so the body is never trusted: it only names a payment or refund,
which is fetched from the API, and the order moves by what the API says (see
``settlement``). Exactly-once comes from the order's conditional transition and the ledger
entry's ``attribute_not_exists`` in one transaction; Powertools idempotency would add a
second table write per notification and nothing the ledger does not already guarantee, so
it is not used here.
"""
from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from functools import lru_cache

from photoshoot.errors import BadRequest, Forbidden
from photoshoot.observability import logger
from photoshoot.payments import gateway, settlement
from photoshoot.settings import get_settings

PAYMENT_EVENTS = ("payment.succeeded", "payment.canceled", "payment.waiting_for_capture")
REFUND_EVENTS = ("refund.succeeded",)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class SourceNotAllowed(Forbidden):
    code = "source_not_allowed"
    message = "Уведомление отклонено."


@dataclass(frozen=True)
class Notification:
    event: str
    object_id: str


@lru_cache(maxsize=8)
def allowed_networks(ranges: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(r.strip(), strict=False) for r in ranges if r.strip())


def is_allowed_source(ip: str, ranges: tuple[str, ...] | None = None) -> bool:
    """Is ``ip`` (IPv4 or IPv6) inside one of the allowed YooKassa ranges?"""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:185.71.76.1 from a dual-stack socket
    networks = allowed_networks(ranges if ranges is not None
                                else get_settings().yookassa_allowed_ips)
    return any(address.version == net.version and address in net for net in networks)


def parse_notification(body: str | bytes) -> Notification:
    """``{type: "notification", event, object: {id, ...}}`` → the event and the object id."""
    try:
        data = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("Notification body is not JSON.") from None
    if not isinstance(data, dict) or data.get("type") != "notification":
        raise BadRequest("Not a YooKassa notification.")
    event = data.get("event")
    obj = data.get("object")
    if not isinstance(event, str) or not isinstance(obj, dict):
        raise BadRequest("Notification without event or object.")
    object_id = obj.get("id")
    if not isinstance(object_id, str) or not object_id or len(object_id) > 64:
        raise BadRequest("Notification object without id.")
    return Notification(event=event, object_id=object_id)


def handle_notification(body: str | bytes, source_ip: str) -> str:
    """Process one notification; returns the outcome (for the log and the tests).

    Raises ``SourceNotAllowed`` (403) for a sender outside the allowlist, ``BadRequest``
    (400) for a malformed body and ``PaymentProviderError`` when the API cannot be reached
    (the webhook answers 5xx so that YooKassa redelivers later).
    """
    if not is_allowed_source(source_ip):
        logger.warning("notification from a source outside the allowlist",
                       extra={"source_ip": source_ip})
        raise SourceNotAllowed()
    notification = parse_notification(body)
    try:
        if notification.event in PAYMENT_EVENTS:
            outcome = settlement.settle_payment(gateway.fetch_payment(notification.object_id))
        elif notification.event in REFUND_EVENTS:
            refund = gateway.fetch_refund(notification.object_id)
            outcome = settlement.refund_order(refund, gateway.fetch_payment(refund.payment_id))
        else:
            outcome = settlement.IGNORED
    except gateway.PaymentNotFound:
        # The API does not know the object: a forgery or another shop's id. Nothing to do,
        # and redelivery would not change that.
        outcome = settlement.UNKNOWN_ORDER
    logger.info("notification processed", extra={"event": notification.event,
                                                  "object_id": notification.object_id,
                                                  "outcome": outcome})
    return outcome
