"""People and their memberships (the ``member_of`` connection carrying a role)."""

from __future__ import annotations

from funnel_core.errors import NotFound, ValidationFailed
from funnel_core.models.common import Page
from funnel_core.ontology import keys
from funnel_core.ontology.models.members import Membership, Person
from funnel_core.store.change import Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.paging import PageRequest
from funnel_core.store.table import Query, Ref, Table
from funnel_core.store.tenancy import group_pk
from funnel_core.store.transaction import ITEM_PRESENT, Condition

ASSIGNED_TO = "assignedTo"


class MemberStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    @staticmethod
    def membership_ref(group_id: str, person_id: str) -> Ref[Membership]:
        return Ref.to(keys.membership_key(group_id, person_id), Membership)

    @staticmethod
    def person_ref(person_id: str) -> Ref[Person]:
        return Ref.to(keys.person_key(person_id), Person)

    def list_members(self, group_id: str, page: PageRequest) -> Page[Membership]:
        query = Query(group_pk(group_id), sort_prefix=keys.MEMBER, newest_first=False)
        return self._page(query, page)

    def list_memberships_of(self, person_id: str, page: PageRequest) -> Page[Membership]:
        query = Query(keys.memberships_of_person_pk(person_id), index=keys.GSI1, newest_first=False)
        return self._page(query, page)

    def _page(self, query: Query, page: PageRequest) -> Page[Membership]:
        records, cursor = self.table.query(query, page)
        return Page[Membership](items=[to_model(Membership, record) for record in records], nextCursor=cursor)

    def put_person(self, change: Change, person: Person) -> None:
        change.put(as_item(person, "person", keys.person_key(person.personId)))

    def put_membership(self, change: Change, membership: Membership) -> None:
        """Write the membership's own fields; what it is assigned to is kept by the assignments."""
        m = membership
        fields = as_item(m, "membership", {}, keys.membership_index(m.groupId, m.personId))
        fields.pop(ASSIGNED_TO)
        change.set_fields(keys.membership_key(m.groupId, m.personId), fields)

    def note_assignment(
        self, change: Change, group_id: str, person_id: str, thing_ids: set[str], assigned: bool
    ) -> None:
        """Keep ``assignedTo``; assigning requires the person to be a group_user of the group."""
        key = keys.membership_key(group_id, person_id)
        names = {"#to": ASSIGNED_TO}
        if assigned:
            values = {":user": "group_user", ":ids": thing_ids}
            condition = Condition("#role = :user", {**names, "#role": "role"}, values)
            failure = ValidationFailed.on("personId", "only a group_user of this group is assigned to funnels")
            change.update(key, "ADD #to :ids", condition, failure)
        else:
            condition = Condition("attribute_exists(PK)", names, {":ids": thing_ids})
            change.update(key, "DELETE #to :ids", condition, NotFound(f"person {person_id} is not a member"))

    def remove_membership(self, change: Change, group_id: str, person_id: str) -> None:
        change.delete(
            keys.membership_key(group_id, person_id), ITEM_PRESENT, NotFound(f"person {person_id} is not a member")
        )
