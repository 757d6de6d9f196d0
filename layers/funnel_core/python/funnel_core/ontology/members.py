"""Members of a group and their roles."""

from __future__ import annotations

from funnel_core.audit.events import EventType
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import NotFound
from funnel_core.ids import now_iso
from funnel_core.models.common import Page
from funnel_core.ontology.access import Action, Authorizer, authorizer
from funnel_core.ontology.foreign import owner_of_thing
from funnel_core.ontology.models.groups import Group
from funnel_core.ontology.models.members import Me, Membership, MembershipSummary, Role
from funnel_core.ontology.store.groups import GroupStore
from funnel_core.ontology.store.members import MemberStore
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.paging import page_request
from funnel_core.store.table import Table

_ME_MEMBERSHIPS_MAX = 1000
_ENDED_WITH_REMOVAL = 40


def _owner_delta(before: Role | None, after: Role | None) -> int:
    return int(after is Role.GROUP_OWNER) - int(before is Role.GROUP_OWNER)


class Members:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.access = access
        self.members = MemberStore(table)
        self.groups = GroupStore(table)

    def me(self, caller: Caller) -> Me:
        memberships: list[MembershipSummary] = []
        cursor: str | None = None
        while len(memberships) < _ME_MEMBERSHIPS_MAX:
            page = self.members.list_memberships_of(caller.person_id, page_request(caller.person_id, "me", 100, cursor))
            memberships += [MembershipSummary(groupId=m.groupId, role=m.role) for m in page.items]
            cursor = page.nextCursor
            if cursor is None:
                break
        return Me(
            personId=caller.person_id,
            email=caller.email,
            name=caller.name,
            platformOwner=caller.is_platform_owner,
            memberships=memberships,
        )

    def list_members(self, caller: Caller, group_id: str, limit: int, cursor: str | None) -> Page[Membership]:
        self.access.authorize(caller, group_id, Action.READ_CONTENT)
        page = page_request(caller.person_id, "members", limit, cursor, group=group_id)
        return self.members.list_members(group_id, page)

    def _count_owners(self, change: Change, group: Group, delta: int) -> None:
        """When the owners change, the owner count moves with them (and checks the group)."""
        if delta:
            self.groups.adjust_owner_count(change, group, delta)

    def put(self, caller: Caller, group_id: str, person_id: str, role: Role) -> tuple[Membership, bool]:
        """Give a person a role in the group; returns the membership and whether it is new."""
        membership_ref = self.members.membership_ref(group_id, person_id)
        person_ref = self.members.person_ref(person_id)
        access = self.access.authorize(caller, group_id, Action.MANAGE_GROUP, refs=[membership_ref, person_ref])
        existing, person = access.found(membership_ref), access.found(person_ref)
        if existing is not None and existing.role is role:
            return existing, False
        at = now_iso()
        membership = Membership(
            groupId=group_id,
            personId=person_id,
            role=role,
            email=person.email if person else None,
            name=person.name if person else None,
            createdAt=existing.createdAt if existing else at,
            updatedAt=at,
            addedBy=caller.person_id,
        )
        with self.table.change(caller.person_id, group_id) as change:
            self._count_owners(change, access.group, _owner_delta(existing.role if existing else None, role))
            self.members.put_membership(change, membership)
            metadata = {"role": role, "previousRole": existing.role if existing else None}
            change.record(EventType.MEMBER_ADDED, person_id, metadata, at)
        return membership, existing is None

    def remove(self, caller: Caller, group_id: str, person_id: str) -> None:
        """Owners remove anyone; any member may remove themselves (leave the group). What other
        areas connected the person to in the group (funnels assigned to them) ends with it."""
        leaving = person_id == caller.person_id
        ref = self.members.membership_ref(group_id, person_id)
        access = self.access.authorize(
            caller, group_id, Action.READ_GROUP if leaving else Action.MANAGE_GROUP, refs=[ref]
        )
        existing = access.found(ref)
        if existing is None:
            raise NotFound(f"person {person_id} is not a member of group {group_id}")
        # A transaction holds 100 actions: assignments past what fits beside the removal end first.
        assigned = sorted(existing.assignedTo)
        ending_alone, ending_with = assigned[:-_ENDED_WITH_REMOVAL], assigned[-_ENDED_WITH_REMOVAL:]
        for start in range(0, len(ending_alone), _ENDED_WITH_REMOVAL):
            with self.table.change(caller.person_id, group_id) as change:
                self._unassign(
                    change, person_id, ending_alone[start : start + _ENDED_WITH_REMOVAL], keep_membership=True
                )
        with self.table.change(caller.person_id, group_id) as change:
            self._count_owners(change, access.group, _owner_delta(existing.role, None))
            self.members.remove_membership(change, group_id, person_id)
            change.record(EventType.MEMBER_REMOVED, person_id, {"role": existing.role})
            self._unassign(change, person_id, ending_with, keep_membership=False)

    def note_assignment(self, change: Change, group_id: str, person_id: str, thing_id: str, *, assigned: bool) -> None:
        """For the area that assigns group_users to its things: keep the membership's
        ``assignedTo`` in the change that assigns or unassigns (assigning needs a group_user)."""
        self.members.note_assignment(change, group_id, person_id, {thing_id}, assigned)

    def _unassign(self, change: Change, person_id: str, thing_ids: list[str], *, keep_membership: bool) -> None:
        """End the person's assignments to ``thing_ids`` through the areas that made them; with
        ``keep_membership`` the membership forgets them (one update for them all: a change may
        touch an item once), without it the membership goes in the same change."""
        for thing_id in thing_ids:
            owner = owner_of_thing(thing_id)
            if owner is not None:
                owner.things(self.table).unassign(change, person_id, thing_id)
        if keep_membership and thing_ids:
            self.members.note_assignment(change, change.group_id, person_id, set(thing_ids), assigned=False)


@once
def service() -> Members:
    return Members(table(), authorizer())
