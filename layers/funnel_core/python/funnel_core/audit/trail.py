"""Recording an event into a change, and listing a group's events, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from funnel_core.audit import keys
from funnel_core.audit.events import Event
from funnel_core.models.common import Page
from funnel_core.store.items import as_item, to_model
from funnel_core.store.table import Query, Table

if TYPE_CHECKING:
    from funnel_core.store.paging import PageRequest
    from funnel_core.store.transaction import Transaction


def event_item(event: Event) -> dict[str, Any]:
    e = event
    key = keys.event_key(e.groupId, e.timestamp, e.eventId)
    return as_item(e, "event", key, keys.event_index(e.groupId, e.targetId, e.actorId, e.type, e.timestamp, e.eventId))


def put_event(transaction: Transaction, event: Event) -> None:
    transaction.put(event_item(event))


@dataclass(frozen=True)
class EventFilter:
    event_type: str | None = None
    actor_id: str | None = None
    target_id: str | None = None
    since: str | None = None
    until: str | None = None


class EventStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def list(self, group_id: str, selection: EventFilter, page: PageRequest) -> Page[Event]:
        """The most selective index serves the query; the other filters narrow its pages."""
        equals: dict[str, Any] = {}
        if selection.target_id:
            partition, index = keys.events_by_target_pk(group_id, selection.target_id), "GSI1"
        elif selection.actor_id:
            partition, index = keys.events_by_actor_pk(group_id, selection.actor_id), "GSI2"
        elif selection.event_type:
            partition, index = keys.events_by_type_pk(group_id, selection.event_type), "GSI3"
        else:
            partition, index = keys.events_pk(group_id), None
        if selection.target_id and selection.actor_id:
            equals["actorId"] = selection.actor_id
        if selection.event_type and (selection.target_id or selection.actor_id):
            equals["type"] = selection.event_type
        between = None
        if selection.since or selection.until:
            between = (selection.since or "0", f"{selection.until}#~" if selection.until else "~")
        query = Query(partition, index=index, sort_between=between, equals=equals)
        records, next_cursor = self.table.query(query, page)
        return Page[Event](items=[to_model(Event, record) for record in records], nextCursor=next_cursor)
