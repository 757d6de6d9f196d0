"""Assignments of group_users to funnels: the ``assigned_to`` connection, an item each, read by
(person, funnel) with authorization and listed per person."""

from __future__ import annotations

from funnel_core.builder import keys
from funnel_core.errors import NotFound
from funnel_core.models.common import Page
from funnel_core.ontology.keys import connection_index
from funnel_core.ontology.models.connections import Connection
from funnel_core.store.change import Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.paging import PageRequest
from funnel_core.store.table import Query, Ref, Table
from funnel_core.store.tenancy import group_pk
from funnel_core.store.transaction import ITEM_PRESENT


class AssignmentStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    @staticmethod
    def ref(group_id: str, person_id: str, funnel_id: str) -> Ref[Connection]:
        return Ref.to(keys.assignment_key(group_id, person_id, funnel_id), Connection)

    def list_of(self, group_id: str, person_id: str, page: PageRequest) -> Page[Connection]:
        query = Query(group_pk(group_id), sort_prefix=keys.assignments_of_prefix(person_id), newest_first=False)
        records, cursor = self.table.query(query, page)
        return Page[Connection](items=[to_model(Connection, record) for record in records], nextCursor=cursor)

    def assign(self, change: Change, assignment: Connection) -> None:
        """Listed with the person's connections like any other connection."""
        a = assignment
        index = connection_index(a.groupId, a.fromThingId, a.toThingId, a.relationshipType, a.connectionId)
        change.put(as_item(a, "assignment", keys.assignment_key(a.groupId, a.fromThingId, a.toThingId), index))

    def unassign(self, change: Change, group_id: str, person_id: str, funnel_id: str) -> None:
        key = keys.assignment_key(group_id, person_id, funnel_id)
        change.delete(key, ITEM_PRESENT, NotFound(f"person {person_id} is not assigned to funnel {funnel_id}"))
