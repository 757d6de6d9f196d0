"""Connections between things: created, listed by direction, ended (never deleted)."""

from __future__ import annotations

from typing import Literal

from funnel_core.auth.access import Action, authorize
from funnel_core.auth.caller import Caller
from funnel_core.domain.common import audit_event, page_request, require_size
from funnel_core.errors import Conflict, NotFound, ValidationFailed
from funnel_core.ids import new_id, now_iso, to_iso
from funnel_core.models.common import Page
from funnel_core.models.connections import Connection, ConnectionCreate
from funnel_core.models.events import EventType
from funnel_core.models.members import Membership
from funnel_core.models.things import Thing
from funnel_core.store import keys
from funnel_core.store.ontology import ItemRef, OntologyStore

# Relationships that have routes of their own and stay true through them.
_MANAGED_RELATIONSHIPS = {
    "member_of": "/groups/{groupId}/members/{personId}",
    "assigned_to": "/groups/{groupId}/funnels/{funnelId}/assignees/{personId}",
    keys.FUNNEL_CONTAINS_STEP: "/groups/{groupId}/funnels/{funnelId}/steps",
    keys.STEP_CONTAINS_ELEMENT: "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements",
}


def create_connection(store: OntologyStore, caller: Caller, group_id: str, body: ConnectionCreate) -> Connection:
    route = _MANAGED_RELATIONSHIPS.get(body.relationshipType)
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
    require_size("metadata", body.metadata, 10_000)
    authorize(store, caller, group_id, Action.WRITE_CONTENT)

    connection = Connection(
        connectionId=new_id("con"),
        groupId=group_id,
        fromThingId=body.fromThingId,
        toThingId=body.toThingId,
        relationshipType=body.relationshipType,
        metadata=body.metadata,
        strength=body.strength,
        validFrom=valid_from,
        validTo=valid_to,
        createdAt=at,
        updatedAt=at,
        createdBy=caller.person_id,
    )
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.require_live_thing(group_id, body.fromThingId, "fromThingId")
    uow.require_live_thing(group_id, body.toThingId, "toThingId")
    uow.add_connection(connection)
    metadata = {"from": body.fromThingId, "to": body.toThingId, "relationshipType": body.relationshipType}
    uow.record(audit_event(EventType.CONNECTION_CREATED, caller, group_id, connection.connectionId, metadata, at))
    uow.commit()
    return connection


def list_connections(
    store: OntologyStore,
    caller: Caller,
    group_id: str,
    thing_id: str,
    direction: Literal["out", "in"],
    relationship: str | None,
    include_ended: bool,
    limit: int,
    cursor: str | None,
) -> Page[Connection]:
    if keys.is_funnel_part(thing_id):
        # Steps and elements live with their funnel; their id alone finds them by index.
        authorize(store, caller, group_id, Action.READ_CONTENT)
        found = store.locate_funnel_part(group_id, thing_id) is not None
    else:
        # People are not thing items: a member of the group is found by their membership, so
        # what they own and are assigned to lists from their side too.
        refs: list[ItemRef] = [("thing", thing_id), ("membership", thing_id)]
        access = authorize(store, caller, group_id, Action.READ_CONTENT, items=refs)
        found = access.found(Thing, refs[0]) is not None or access.found(Membership, refs[1]) is not None
    if not found:
        raise NotFound(f"thing {thing_id} not found")
    page = page_request(
        caller,
        "connections",
        limit,
        cursor,
        group=group_id,
        thing=thing_id,
        direction=direction,
        type=relationship,
        ended=include_ended,
    )
    return store.list_connections(group_id, thing_id, direction, relationship, include_ended, now_iso(), page)


def end_connection(store: OntologyStore, caller: Caller, group_id: str, connection_id: str) -> Connection:
    if keys.is_containment_connection_id(connection_id):
        authorize(store, caller, group_id, Action.WRITE_CONTENT)
        if store.locate_funnel_part(group_id, keys.contained_id(connection_id)) is None:
            raise NotFound(f"connection {connection_id} not found")
        raise Conflict(
            f"connection {connection_id} is a funnel's structure: it ends when its step or element is removed"
            " (DELETE /groups/{groupId}/funnels/{funnelId}/steps/{stepId}[/elements/{elementId}])"
        )
    ref: ItemRef = ("connection", connection_id)
    connection = authorize(store, caller, group_id, Action.WRITE_CONTENT, items=[ref]).found(Connection, ref)
    if connection is None:
        raise NotFound(f"connection {connection_id} not found")
    at = now_iso()
    if connection.validTo is not None and connection.validTo <= at:
        return connection
    ended = connection.model_copy(update={"validTo": at, "version": connection.version + 1, "updatedAt": at})
    uow = store.unit_of_work()
    uow.require_group_writable(group_id)
    uow.end_connection(ended, connection.version)
    metadata = {
        "from": connection.fromThingId,
        "to": connection.toThingId,
        "relationshipType": connection.relationshipType,
    }
    uow.record(audit_event(EventType.CONNECTION_ENDED, caller, group_id, connection_id, metadata, at))
    uow.commit()
    return ended
