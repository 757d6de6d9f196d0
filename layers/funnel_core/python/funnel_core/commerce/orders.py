"""What a visitor's browser holds of their order between the steps of a funnel: a ticket, sealed
with the stack's key, naming the group and the order, good for a day. The upsell pages take it
from the URL's fragment (never sent to a server, never in a Referer) and post it with the
visitor's "yes" or "no thanks"."""

from __future__ import annotations

import json
import time
from typing import Any

from funnel_core.ontology.models.things import Thing
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


def next_url(path: str | None, ticket: str | None = None) -> str | None:
    """A live page's URL from its path (``<group>/<funnel>/<step>``), with the order's ticket in
    its fragment for the upsell there."""
    if not path:
        return None
    return f"/p/{path}#o={ticket}" if ticket else f"/p/{path}"


def intent_metadata(
    order: Thing, funnel_id: str, step_id: str, version: int, kind: str, **extra: str
) -> dict[str, Any]:
    """What a PaymentIntent of the order carries, so that Stripe's webhook can record it alone:
    the group, funnel, step and version it was sold on, the order, the buyer."""
    properties = order.properties
    return {
        "groupId": order.groupId,
        "funnelId": funnel_id,
        "stepId": step_id,
        "version": str(version),
        "orderId": order.thingId,
        "customerId": properties["customerId"],
        "email": properties["email"],
        "visitorId": properties["visitorId"],
        "kind": kind,
        **{name: properties[name] for name in ("firstName", "lastName") if properties.get(name)},
        **extra,
    }
