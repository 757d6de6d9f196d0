"""Connections between things: created, listed by direction, ended (never deleted)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from funnel_core.audit.events import EventType
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import Conflict, NotFound, ValidationFailed
from funnel_core.ids import new_id, now_iso, to_iso
from funnel_core.models.common import Page
from funnel_core.ontology import keys
from funnel_core.ontology.access import Action, Authorizer, authorizer
from funnel_core.ontology.finding import find_thing
from funnel_core.ontology.foreign import Owner, owner_of_connection, owner_of_entity, owner_of_thing, route_managing
from funnel_core.ontology.models.connections import Connection, ConnectionCreate
from funnel_core.ontology.store.connections import ConnectionStore
from funnel_core.ontology.store.members import MemberStore
from funnel_core.ontology.store.things import ThingStore
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.items import fields_of
from funnel_core.store.paging import page_request
from funnel_core.store.table import Record, Table
from funnel_core.validation import checked

# Relationships with routes of their own that keep them true; those of other areas are theirs.
_MEMBER_OF_ROUTE = "/groups/{groupId}/members/{personId}"
# Ending one connection takes four actions (the connection, its guard, the other end's count,
# the event); a transaction holds 100.
ENDED_PER_CHANGE = 20


def new_connection(
    group_id: str,
    from_id: str,
    to_id: str,
    relationship: str,
    created_by: str,
    at: str,
    metadata: dict[str, Any] | None = None,
) -> Connection:
    """A live connection made now, by ``created_by`` (e.g. ``owns`` from a funnel's maker)."""
    return Connection(
        connectionId=new_id("con"),
        groupId=group_id,
        fromThingId=from_id,
        toThingId=to_id,
        relationshipType=relationship,
        metadata=metadata or {},
        validFrom=at,
        createdAt=at,
        updatedAt=at,
        createdBy=created_by,
    )


def _ending(connection: Connection) -> dict[str, str]:
    return {"from": connection.fromThingId, "to": connection.toThingId, "relationshipType": connection.relationshipType}


class Connections:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.access = access
        self.connections = ConnectionStore(table)
        self.things = ThingStore(table)
        self.members = MemberStore(table)

    def add(self, change: Change, connection: Connection) -> None:
        """Write a connection into a change (for areas that connect their own things)."""
        self.connections.add(change, connection)

    def connect_in(self, change: Change, connection: Connection, *, new_ends: frozenset[str] = frozenset()) -> None:
        """A connection between live things, made in another area's change: each end counts one
        more connection, except ``new_ends``, things written in the same change (which count it
        themselves, ``things.add_in(..., connections=1)``)."""
        for thing_id, field in ((connection.fromThingId, "fromThingId"), (connection.toThingId, "toThingId")):
            if thing_id not in new_ends:
                self._connect(change, connection.groupId, thing_id, field)
        self.connections.add(change, connection)

    def live_between(self, group_id: str, from_id: str, relationship: str, to_id: str) -> bool:
        """Whether a live ``relationship`` connection from ``from_id`` to ``to_id`` exists."""
        return self.connections.guard_exists(group_id, from_id, relationship, to_id)

    def live_one(self, group_id: str, from_id: str, relationship: str, to_id: str) -> Connection | None:
        """The live ``relationship`` connection from ``from_id`` to ``to_id``, if there is one."""
        guard = self.table.get(keys.connection_guard_key(group_id, from_id, relationship, to_id))
        if guard is None:
            return None
        return self.table.read(self.connections.ref(group_id, str(guard["connectionId"])))

    def create(self, caller: Caller, group_id: str, body: ConnectionCreate) -> Connection:
        route = _MEMBER_OF_ROUTE if body.relationshipType == "member_of" else route_managing(body.relationshipType)
        if route is not None:
            raise ValidationFailed.on(
                "relationshipType", f"{body.relationshipType} connections are managed through {route}"
            )
        if body.fromThingId == body.toThingId:
            raise ValidationFailed.on("toThingId", "a thing cannot be connected to itself")
        at = now_iso()
        valid_from = to_iso(body.validFrom) if body.validFrom else at
        valid_to = to_iso(body.validTo) if body.validTo else None
        if valid_to is not None and valid_to <= valid_from:
            raise ValidationFailed.on("validTo", "must be after validFrom")
        metadata = checked("metadata", body.metadata, limit=10_000)
        self.access.authorize(caller, group_id, Action.WRITE_CONTENT)
        connection = new_connection(
            group_id, body.fromThingId, body.toThingId, body.relationshipType, caller.person_id, at, metadata
        )
        connection = connection.model_copy(
            update={"strength": body.strength, "validFrom": valid_from, "validTo": valid_to}
        )
        with self.table.change(caller.person_id, group_id) as change:
            self._connect(change, group_id, body.fromThingId, "fromThingId")
            self._connect(change, group_id, body.toThingId, "toThingId")
            self.connections.add(change, connection)
            change.record(EventType.CONNECTION_CREATED, connection.connectionId, _ending(connection), at)
        return connection

    def _connect(self, change: Change, group_id: str, thing_id: str, field: str) -> None:
        owner = owner_of_thing(thing_id)
        if owner is None:
            self.things.connect(change, group_id, thing_id, field)
        else:
            owner.things(self.table).require_live(change, group_id, thing_id, field)

    def list_of(
        self,
        caller: Caller,
        group_id: str,
        thing_id: str,
        direction: Literal["out", "in"],
        relationship: str | None,
        include_ended: bool,
        limit: int,
        cursor: str | None,
    ) -> Page[Connection]:
        # People are not thing items: a member of the group is found by their membership, a
        # person whose role is inherited from an ancestor group by being the caller.
        membership = self.members.membership_ref(group_id, thing_id)
        thing, access = find_thing(
            self.access, self.table, caller, group_id, thing_id, Action.READ_CONTENT, also=[membership]
        )
        if thing is None and access.found(membership) is None and thing_id != caller.person_id:
            raise NotFound(f"thing {thing_id} not found")
        page = page_request(
            caller.person_id,
            "connections",
            limit,
            cursor,
            group=group_id,
            thing=thing_id,
            direction=direction,
            type=relationship,
            ended=include_ended,
        )
        records, next_cursor = self.connections.list(
            group_id, thing_id, direction, relationship, None if include_ended else now_iso(), page
        )
        return Page[Connection](items=self._connections(records), nextCursor=next_cursor)

    def _connections(self, records: Sequence[Record]) -> list[Connection]:
        """Connection items as they are; the index entries of other areas' items as the
        connections their area says they stand for, in the order listed."""
        converted: dict[int, Connection | None] = {}
        by_owner: dict[str, tuple[Owner, list[int]]] = {}
        for n, record in enumerate(records):
            owner = owner_of_entity(record.get("entity", ""))
            if owner is None:
                converted[n] = Connection.model_validate(fields_of(record))
            else:
                by_owner.setdefault(owner.area, (owner, []))[1].append(n)
        for owner, places in by_owner.values():
            found = owner.things(self.table).connections([records[n] for n in places])
            converted.update(zip(places, found, strict=True))
        return [connection for _, connection in sorted(converted.items()) if connection is not None]

    def end(self, caller: Caller, group_id: str, connection_id: str) -> Connection:
        owner = owner_of_connection(connection_id)
        if owner is not None:
            self.access.authorize(caller, group_id, Action.WRITE_CONTENT)
            owner.things(self.table).refuse_ending(group_id, connection_id)
        ref = self.connections.ref(group_id, connection_id)
        connection = self.access.authorize(caller, group_id, Action.WRITE_CONTENT, refs=[ref]).found(ref)
        if connection is None:
            raise NotFound(f"connection {connection_id} not found")
        if (route := route_managing(connection.relationshipType)) is not None:
            raise Conflict(f"connection {connection_id} is a {connection.relationshipType}: it is kept through {route}")
        at = now_iso()
        if connection.validTo is not None and connection.validTo <= at:
            return connection
        with self.table.change(caller.person_id, group_id) as change:
            return self.end_in(change, connection, at)

    def end_in(self, change: Change, connection: Connection, at: str, *, keep: str | None = None) -> Connection:
        """End a live connection in ``change``; ``keep`` is an end whose count is not kept (a
        thing archived in the same change)."""
        ended = connection.model_copy(update={"validTo": at, "version": connection.version + 1, "updatedAt": at})
        self.connections.end(change, ended, connection.version)
        for thing_id in (connection.fromThingId, connection.toThingId):
            if thing_id != keep and owner_of_thing(thing_id) is None:
                self.things.disconnect(change, connection.groupId, thing_id)
        change.record(EventType.CONNECTION_ENDED, connection.connectionId, _ending(connection), at)
        return ended


@contextmanager
def end_live_connections(
    table: Table, caller: Caller, group_id: str, thing_id: str, live: Sequence[Connection], at: str
) -> Iterator[Change]:
    """A change that ends ``live``, the live connections of ``thing_id``, with whatever the
    caller adds to it. When they are too many for one transaction the first of them end in
    changes of their own just before; each is whole, and a retry ends the rest."""
    connections = service_on(table)
    first, last = list(live[:-ENDED_PER_CHANGE]), list(live[-ENDED_PER_CHANGE:])
    for start in range(0, len(first), ENDED_PER_CHANGE):
        with table.change(caller.person_id, group_id) as change:
            for connection in first[start : start + ENDED_PER_CHANGE]:
                connections.end_in(change, connection, at, keep=thing_id)
    with table.change(caller.person_id, group_id) as change:
        yield change
        for connection in last:
            connections.end_in(change, connection, at, keep=thing_id)


def service_on(table: Table) -> Connections:
    return Connections(table, authorizer())


@once
def service() -> Connections:
    return service_on(table())
