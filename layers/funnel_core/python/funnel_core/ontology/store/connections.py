"""Connections: an item each, a guard item per live (from, relationship, to), and the two index
entries that list them out of and into a thing. Items of other areas that stand for connections
(a funnel's steps) carry the same index entries and list with them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from funnel_core.errors import Conflict, VersionConflict
from funnel_core.ontology import keys
from funnel_core.ontology.models.connections import Connection
from funnel_core.store.change import Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.paging import PageRequest
from funnel_core.store.table import Query, Record, Ref, Table
from funnel_core.store.transaction import ITEM_ABSENT, Condition, version_is


def _live_at(now: str) -> Condition:
    return Condition("attribute_not_exists(validTo) OR validTo > :now", {}, {":now": now})


def _item(connection: Connection) -> dict:
    c = connection
    index = keys.connection_index(c.groupId, c.fromThingId, c.toThingId, c.relationshipType, c.connectionId)
    return as_item(c, "connection", keys.connection_key(c.groupId, c.connectionId), index)


def _query(
    group_id: str, thing_id: str, direction: Literal["out", "in"], relationship: str | None, live_at: str | None
) -> Query:
    if direction == "out":
        partition, index = keys.connections_out_pk(group_id, thing_id), keys.GSI1
    else:
        partition, index = keys.connections_in_pk(group_id, thing_id), keys.GSI2
    return Query(
        partition,
        index=index,
        sort_prefix=f"{relationship}#" if relationship else None,
        condition=_live_at(live_at) if live_at else None,
    )


class ConnectionStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    @staticmethod
    def ref(group_id: str, connection_id: str) -> Ref[Connection]:
        return Ref.to(keys.connection_key(group_id, connection_id), Connection)

    def list(
        self,
        group_id: str,
        thing_id: str,
        direction: Literal["out", "in"],
        relationship: str | None,
        live_at: str | None,
        page: PageRequest,
    ) -> tuple[list[Record], str | None]:
        """A page of the index entries out of or into a thing, live at ``live_at`` (all when
        None): connection items, and the items of other areas that stand for connections."""
        return self.table.query(_query(group_id, thing_id, direction, relationship, live_at), page)

    def live_of(self, group_id: str, thing_id: str, now: str) -> Iterator[Connection]:
        """Every connection item live at ``now`` out of or into a thing, one of each."""
        seen: set[str] = set()
        for direction in ("out", "in"):
            for record in self.table.query_all(_query(group_id, thing_id, direction, None, now)):
                if record.get("entity") == "connection" and record["connectionId"] not in seen:
                    seen.add(record["connectionId"])
                    yield to_model(Connection, record)

    def guard_exists(self, group_id: str, from_id: str, relationship: str, to_id: str) -> bool:
        return self.table.get(keys.connection_guard_key(group_id, from_id, relationship, to_id)) is not None

    def add(self, change: Change, connection: Connection) -> None:
        c = connection
        change.put(_item(c), ITEM_ABSENT, Conflict("connection id clash"))
        guard = {
            **keys.connection_guard_key(c.groupId, c.fromThingId, c.relationshipType, c.toThingId),
            "connectionId": c.connectionId,
            "entity": "connection_guard",
        }
        change.put(
            guard,
            ITEM_ABSENT,
            Conflict(f"a live {c.relationshipType} connection from {c.fromThingId} to {c.toThingId} already exists"),
        )

    def end(self, change: Change, ended: Connection, expected_version: int) -> None:
        """Write the connection with its ``validTo``; its guard goes, so it may be made again."""
        c = ended
        change.put(
            _item(c), version_is(expected_version), VersionConflict(f"connection {c.connectionId} changed concurrently")
        )
        change.delete(keys.connection_guard_key(c.groupId, c.fromThingId, c.relationshipType, c.toThingId))
