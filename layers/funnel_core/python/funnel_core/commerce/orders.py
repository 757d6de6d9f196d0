"""What a visitor's browser holds of their order between the steps of a funnel: a ticket, sealed
with the stack's key, naming the group and the order, good for a day. The upsell pages take it
from the URL's fragment (never sent to a server, never in a Referer) and post it with the
visitor's "yes" or "no thanks"."""

from __future__ import annotations

import json
import time

from funnel_core.signing import seal, unseal

_PURPOSE = "order ticket"
TICKET_SECONDS = 24 * 3600
MAX_TICKET = 512


def order_ticket(group_id: str, order_id: str, now: float | None = None) -> str:
    expires = int((now or time.time()) + TICKET_SECONDS)
    return seal(_PURPOSE, json.dumps([group_id, order_id, expires], separators=(",", ":")).encode())


def ticket_order(ticket: str | None, group_id: str) -> str | None:
    """The order the ticket names, if it is genuine, of this group and not expired."""
    payload = unseal(_PURPOSE, ticket, MAX_TICKET)
    if payload is None:
        return None
    try:
        group, order_id, expires = json.loads(payload)
    except (ValueError, TypeError):
        return None
    if group != group_id or not isinstance(order_id, str) or not isinstance(expires, int) or expires < time.time():
        return None
    return order_id
