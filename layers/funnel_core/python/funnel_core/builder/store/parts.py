"""Steps and elements found by their id alone, and the containment connections they stand for.

A step is the ``funnel_contains_step`` connection from its funnel, an element the
``step_contains_element`` connection from its step: their items carry the connection index
entries, and their ``sequence`` or ``position`` is read from the parent's order list when they are
listed, so the connections are true by construction and a reorder rewrites only the parent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from funnel_core.builder import keys
from funnel_core.builder.models.aggregate import Funnel, FunnelStep, PageElement
from funnel_core.ontology.keys import GSI2, connections_in_pk
from funnel_core.ontology.models.connections import Connection
from funnel_core.store.items import key_of, to_model
from funnel_core.store.table import Query, Record, Table

_PARTS = frozenset({"step", "element"})


@dataclass(frozen=True)
class LocatedPart:
    """A live step or element, its sequence or position, and the funnel it belongs to."""

    part: FunnelStep | PageElement
    place: int
    funnel: Funnel


def _parent_key(part: Record) -> dict[str, str]:
    """The item whose order list places a step (its funnel) or an element (its step)."""
    if part["entity"] == "step":
        return keys.funnel_key(part["groupId"], part["funnelId"])
    return keys.step_key(part["groupId"], part["funnelId"], part["stepId"])


def containment(record: Record, parent: Record | None) -> Connection | None:
    """The containment connection a step or element item stands for, with its place in the
    parent's order list; None when the parent does not list it (being removed, or staged for a
    copy that is not committed yet)."""
    if parent is None:
        return None
    if record["entity"] == "step":
        relationship, parent_id, child_id = keys.FUNNEL_CONTAINS_STEP, record["funnelId"], record["stepId"]
        order, place = parent.get("stepIds", []), "sequence"
    else:
        relationship, parent_id, child_id = keys.STEP_CONTAINS_ELEMENT, record["stepId"], record["elementId"]
        order, place = parent.get("elementIds", []), "position"
    if child_id not in order:
        return None
    return Connection(
        connectionId=keys.containment_connection_id(child_id),
        groupId=record["groupId"],
        fromThingId=parent_id,
        toThingId=child_id,
        relationshipType=relationship,
        metadata={place: order.index(child_id) + 1},
        validFrom=record["createdAt"],
        createdAt=record["createdAt"],
        updatedAt=record["updatedAt"],
        createdBy=record.get("createdBy") or parent.get("createdBy") or "",
    )


def _place(connection: Connection) -> tuple[str, str, int]:
    return connection.fromThingId, connection.relationshipType, next(iter(connection.metadata.values()))


class PartStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def containments(self, records: Sequence[Record]) -> list[Connection | None]:
        """The connections steps and elements stand for, placed by their parents' order lists
        (one BatchGetItem for them all) and listed in that order; None where the parent does not
        list the part."""
        parents = self.table.batch_get([_parent_key(record) for record in records]) if records else {}
        found = [containment(record, parents.get(key_of(_parent_key(record)))) for record in records]
        # In the index they sort by the child's id (creation); a page lists them by their place.
        slots = [n for n, connection in enumerate(found) if connection is not None]
        placed = sorted((found[n] for n in slots), key=_place)  # type: ignore[arg-type]
        for n, connection in zip(slots, placed, strict=True):
            found[n] = connection
        return found

    def locate(self, group_id: str, part_id: str) -> LocatedPart | None:
        """A live step or element by its id alone, with its place and its funnel. The containment
        index names its funnel (a part never moves, so the index's eventual consistency does not
        matter); then one consistent BatchGetItem reads the part, its step and its funnel, and the
        part is live only if every order list up the chain lists it."""
        entries = self.table.query_all(Query(connections_in_pk(group_id, part_id), index=GSI2))
        indexed = next((record for record in entries if record.get("entity") in _PARTS), None)
        if indexed is None:
            return None
        chain = [
            {"PK": indexed["PK"], "SK": indexed["SK"]},
            _parent_key(indexed),
            keys.funnel_key(group_id, indexed["funnelId"]),
        ]
        found = self.table.batch_get(chain)
        part, parent, funnel = (found.get(key_of(key)) for key in chain)
        if part is None or parent is None or funnel is None:
            return None
        placed = containment(part, parent)
        if placed is None or (part["entity"] == "element" and containment(parent, funnel) is None):
            return None  # unlisted, or an element of a removed step
        model: type[FunnelStep | PageElement] = FunnelStep if part["entity"] == "step" else PageElement
        place: Any = next(iter(placed.metadata.values()))
        return LocatedPart(to_model(model, part), place, to_model(Funnel, funnel))
