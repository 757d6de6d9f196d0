"""The audit trail of a group, newest first."""

from __future__ import annotations

from datetime import datetime

from funnel_core.auth.access import Action, authorize
from funnel_core.auth.caller import Caller
from funnel_core.domain.common import page_request
from funnel_core.errors import BadRequest, FieldProblem
from funnel_core.ids import to_iso
from funnel_core.models.common import Page
from funnel_core.models.events import Event, EventType
from funnel_core.store.ontology import EventFilter, OntologyStore


def list_events(
    store: OntologyStore,
    caller: Caller,
    group_id: str,
    event_type: EventType | None,
    actor_id: str | None,
    target_id: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    cursor: str | None,
) -> Page[Event]:
    selection = EventFilter(
        event_type=event_type.value if event_type else None,
        actor_id=actor_id,
        target_id=target_id,
        since=to_iso(since) if since else None,
        until=to_iso(until) if until else None,
    )
    if selection.since and selection.until and selection.since > selection.until:
        raise BadRequest("from must not be after to", [FieldProblem("from", "after to")])
    authorize(store, caller, group_id, Action.READ_AUDIT)
    page = page_request(caller, "events", limit, cursor, group=group_id, **selection.__dict__)
    return store.list_events(group_id, selection, page)
