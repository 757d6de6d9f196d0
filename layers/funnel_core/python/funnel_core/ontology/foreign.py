"""Things another area keeps in items of its own, seen through the ontology's generic routes.

The generic thing, connection and member routes are the same for every thing. An area whose
things live elsewhere (the builder keeps a funnel with its steps and elements in one item
collection) is named here, with the id prefixes it makes, the index entries of its items that
stand for connections, and the relationships it manages through routes of its own. Its module
is imported only when one of those is met, so the generic routes cost nothing for the areas a
request does not touch, and the ontology never imports another area.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from funnel_core.ontology.models.connections import Connection
    from funnel_core.ontology.models.things import Thing
    from funnel_core.store.change import Change
    from funnel_core.store.table import Record, Ref, Table


class ForeignThings(Protocol):
    """What an area answers for its things on the generic routes."""

    def ref(self, group_id: str, thing_id: str) -> Ref[Thing] | None:
        """The item to read with the caller's authorization when it alone shows the thing."""

    def find(self, group_id: str, thing_id: str) -> Thing | None:
        """The thing, when ``ref`` gave None: read after authorization."""

    def require_live(self, change: Change, group_id: str, thing_id: str, field: str) -> None:
        """A connection or knowledge item may point at the thing only while it is live."""

    def connections(self, records: Sequence[Record]) -> list[Connection | None]:
        """The connections that index entries of the area's items stand for, one per entry's
        slot and in the order the area lists them, or None where an entry stands for nothing
        any more (its parent no longer lists it)."""

    def refuse_ending(self, group_id: str, connection_id: str) -> None:
        """Raise: such a connection is ended through the area's own routes (or does not exist)."""

    def unassign(self, change: Change, person_id: str, thing_id: str) -> None:
        """End a person's ``assigned_to`` connection to the thing: they leave the group (the
        membership and its ``assignedTo`` are the ontology's to change)."""


@dataclass(frozen=True)
class Owner:
    area: str
    module: str
    id_prefixes: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    connection_id_prefixes: tuple[str, ...] = ()
    # relationship type -> the route that manages it
    relationships: dict[str, str] = field(default_factory=dict)

    def things(self, table: Table) -> ForeignThings:
        things: ForeignThings = importlib.import_module(self.module).foreign_things(table)
        return things


OWNERS: tuple[Owner, ...] = (
    Owner(
        area="builder",
        module="funnel_core.builder.as_things",
        id_prefixes=("fnl_", "stp_", "elm_"),
        entities=("step", "element"),
        connection_id_prefixes=("con_stp_", "con_elm_"),
        relationships={
            "assigned_to": "/groups/{groupId}/funnels/{funnelId}/assignees/{personId}",
            "funnel_contains_step": "/groups/{groupId}/funnels/{funnelId}/steps",
            "step_contains_element": "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements",
            # A step's properties.productId: the connection follows it.
            "funnel_leads_to_product": "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}",
        },
    ),
)


def owner_of_thing(thing_id: str) -> Owner | None:
    return next((owner for owner in OWNERS if thing_id.startswith(owner.id_prefixes)), None)


def owner_of_entity(entity: str) -> Owner | None:
    return next((owner for owner in OWNERS if entity in owner.entities), None)


def owner_of_connection(connection_id: str) -> Owner | None:
    return next((owner for owner in OWNERS if connection_id.startswith(owner.connection_id_prefixes)), None)


def route_managing(relationship: str) -> str | None:
    return next((owner.relationships[relationship] for owner in OWNERS if relationship in owner.relationships), None)
