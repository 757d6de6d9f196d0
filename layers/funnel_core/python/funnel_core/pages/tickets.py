"""View tickets: a live page names itself to its view beacon with a ticket signed at publish
time (group, funnel, step, version, place, and the group's time zone, which decides the day a
bot's view is counted on), so counting a view reads nothing. A viral funnel's
first page is one item; 10,000 beacons a second reading it would be a hot key, and a CDN serves
the page itself (docs/pages.md). A forged ticket cannot put views into another group."""

from __future__ import annotations

from dataclasses import dataclass

from funnel_core.signing import seal, unseal

PURPOSE = "view-ticket"
VIEW_TICKET_PLACEHOLDER = "\x00view-ticket\x00"
_MAX = 800


@dataclass(frozen=True)
class PageRef:
    """Which live page a view or a post is of."""

    groupId: str
    funnelId: str
    stepId: str
    version: int
    sequence: int
    timezone: str = "UTC"
    # Served in the step's place by an A/B test ("" when none): the variant step and the test.
    variantStepId: str = ""
    abTestId: str = ""


def issue(page: PageRef) -> str:
    fields = (
        page.groupId,
        page.funnelId,
        page.stepId,
        page.version,
        page.sequence,
        page.timezone,
        page.variantStepId,
        page.abTestId,
    )
    return seal(PURPOSE, "|".join(str(field) for field in fields).encode())


def read(ticket: str | None) -> PageRef | None:
    payload = unseal(PURPOSE, ticket, _MAX)
    if payload is None:
        return None
    try:
        # Five fields: a page published before tickets named the time zone; six, before A/B tests.
        group_id, funnel_id, step_id, version, sequence, *rest = payload.decode().split("|")
        return PageRef(group_id, funnel_id, step_id, int(version), int(sequence), *rest[:3])
    except (ValueError, UnicodeDecodeError):
        return None
