"""Funnels, steps and elements as the ontology's generic routes see them (``ontology.foreign``).

A funnel item holds every field of a thing, so it is read as one with the caller's
authorization. A step or element is found through the containment index and shown as a thing of
type ``funnel_step`` or ``page_element``, its place and its funnel in ``properties`` and its
status its funnel's. Their containment connections are read from the parents' order lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from funnel_core.builder import keys
from funnel_core.builder.assignees import Assignees
from funnel_core.builder.models.aggregate import FunnelStep
from funnel_core.builder.store.parts import LocatedPart, PartStore
from funnel_core.errors import Conflict, NotFound, ValidationFailed
from funnel_core.ontology.access import authorizer
from funnel_core.ontology.models.connections import Connection
from funnel_core.ontology.models.things import Thing, ThingStatus
from funnel_core.store.change import Change
from funnel_core.store.table import Record, Ref, Table
from funnel_core.store.transaction import ITEM_LIVE


def _part_as_thing(located: LocatedPart) -> Thing:
    part, funnel = located.part, located.funnel
    if isinstance(part, FunnelStep):
        thing_type, thing_id, name = "funnel_step", part.stepId, part.name
        properties = {
            **part.properties,
            "funnelId": part.funnelId,
            "stepType": part.stepType,
            "slug": part.slug,
            "sequence": located.place,
            "elementIds": part.elementIds,
        }
    else:
        thing_type, thing_id, name = "page_element", part.elementId, part.elementType
        properties = {
            "funnelId": part.funnelId,
            "stepId": part.stepId,
            "elementType": part.elementType,
            "position": located.place,
            "settings": part.settings,
            "styling": part.styling,
            "visibility": part.visibility,
        }
    made_by = part.createdBy or funnel.createdBy
    return Thing(
        thingId=thing_id,
        groupId=part.groupId,
        type=thing_type,
        name=name,
        status=ThingStatus(funnel.status),
        properties=properties,
        version=part.version,
        createdAt=part.createdAt,
        updatedAt=part.updatedAt,
        createdBy=made_by,
        updatedBy=made_by,
    )


class FunnelThings:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.parts = PartStore(table)

    def ref(self, group_id: str, thing_id: str) -> Ref[Thing] | None:
        return None if keys.is_funnel_part(thing_id) else Ref.to(keys.funnel_key(group_id, thing_id), Thing)

    def find(self, group_id: str, thing_id: str) -> Thing | None:
        located = self.parts.locate(group_id, thing_id)
        return _part_as_thing(located) if located else None

    def require_live(self, change: Change, group_id: str, thing_id: str, field: str) -> None:
        not_live = ValidationFailed.on(field, f"thing {thing_id} does not exist in this group or is archived")
        if keys.is_funnel_part(thing_id):
            # A step or element is connected only through the builder's routes.
            raise not_live
        change.check(keys.funnel_key(group_id, thing_id), ITEM_LIVE, not_live)

    def connections(self, records: Sequence[Record]) -> list[Connection | None]:
        return self.parts.containments(records)

    def refuse_ending(self, group_id: str, connection_id: str) -> None:
        if self.parts.locate(group_id, keys.contained_id(connection_id)) is None:
            raise NotFound(f"connection {connection_id} not found")
        raise Conflict(
            f"connection {connection_id} is a funnel's structure: it ends when its step or element is removed"
            " (DELETE /groups/{groupId}/funnels/{funnelId}/steps/{stepId}[/elements/{elementId}])"
        )

    def unassign(self, change: Change, person_id: str, thing_id: str) -> None:
        Assignees(self.table, authorizer()).end(change, person_id, thing_id)


def foreign_things(table: Table) -> FunnelThings:
    return FunnelThings(table)
