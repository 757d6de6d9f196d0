"""View tickets: a live page names itself to its view beacon with a ticket signed at publish
time (group, funnel, step, version, place), so counting a view reads nothing. A viral funnel's
first page is one item; 10,000 beacons a second reading it would be a hot key, and a CDN serves
the page itself (docs/pages.md). A forged ticket cannot put views into another group."""

from __future__ import annotations

from dataclasses import dataclass

from funnel_core.signing import seal, unseal

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


def issue(page: PageRef) -> str:
    return seal(PURPOSE, f"{page.groupId}|{page.funnelId}|{page.stepId}|{page.version}|{page.sequence}".encode())


def read(ticket: str | None) -> PageRef | None:
    payload = unseal(PURPOSE, ticket, _MAX)
    if payload is None:
        return None
    try:
        group_id, funnel_id, step_id, version, sequence = payload.decode().split("|")
        return PageRef(group_id, funnel_id, step_id, int(version), int(sequence))
    except (ValueError, UnicodeDecodeError):
        return None
