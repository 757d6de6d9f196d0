"""The audit trail of a group, newest first."""

from __future__ import annotations

from datetime import datetime

from funnel_core.audit.events import Event, EventType
from funnel_core.audit.trail import EventFilter, EventStore
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import BadRequest, FieldProblem
from funnel_core.ids import to_iso
from funnel_core.models.common import Page
from funnel_core.ontology.access import Action, Authorizer, authorizer
from funnel_core.store.default import table
from funnel_core.store.paging import page_request
from funnel_core.store.table import Table


class Events:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.access = access
        self.events = EventStore(table)

    def list(
        self,
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
        self.access.authorize(caller, group_id, Action.READ_AUDIT)
        page = page_request(caller.person_id, "events", limit, cursor, group=group_id, **selection.__dict__)
        return self.events.list(group_id, selection, page)


@once
def service() -> Events:
    return Events(table(), authorizer())
