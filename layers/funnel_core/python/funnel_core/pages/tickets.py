"""View tickets: a live page names itself to its view beacon with a ticket signed at publish
time (group, funnel, step, version, place), so counting a view reads nothing. A viral funnel's
first page is one item; 10,000 beacons a second reading it would be a hot key, and a CDN serves
the page itself (docs/pages.md). A forged ticket cannot put views into another group."""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass

from funnel_core.signing import signature

PURPOSE = "view-ticket"
VIEW_TICKET_PLACEHOLDER = "\x00view-ticket\x00"
_MAX = 600


@dataclass(frozen=True)
class PageRef:
    """Which live page a view or a post is of."""

    groupId: str
    funnelId: str
    stepId: str
    version: int
    sequence: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def issue(page: PageRef) -> str:
    payload = f"{page.groupId}|{page.funnelId}|{page.stepId}|{page.version}|{page.sequence}".encode()
    return f"{_b64(payload)}.{_b64(signature(PURPOSE, payload))}"


def read(ticket: str | None) -> PageRef | None:
    if not ticket or len(ticket) > _MAX or ticket.count(".") != 1:
        return None
    encoded, signed = ticket.split(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        given = base64.urlsafe_b64decode(signed + "=" * (-len(signed) % 4))
        group_id, funnel_id, step_id, version, sequence = payload.decode().split("|")
        ref = PageRef(group_id, funnel_id, step_id, int(version), int(sequence))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return ref if hmac.compare_digest(given, signature(PURPOSE, payload)) else None
