"""Members of a group and their roles."""

from __future__ import annotations

from funnel_core.auth.access import Action, authorize
from funnel_core.auth.caller import Caller
from funnel_core.domain.common import audit_event, page_request
from funnel_core.errors import NotFound
from funnel_core.ids import now_iso
from funnel_core.models.common import Page
from funnel_core.models.events import EventType
from funnel_core.models.groups import Group
from funnel_core.models.members import Me, Membership, MembershipSummary, Person, Role
from funnel_core.store.ontology import ItemRef, OntologyStore, UnitOfWork

_ME_MEMBERSHIPS_MAX = 1000


def me(store: OntologyStore, caller: Caller) -> Me:
    memberships: list[MembershipSummary] = []
    cursor: str | None = None
    while len(memberships) < _ME_MEMBERSHIPS_MAX:
        page = store.list_memberships_of_person(caller.person_id, page_request(caller, "me", 100, cursor))
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


def list_members(
    store: OntologyStore, caller: Caller, group_id: str, limit: int, cursor: str | None
) -> Page[Membership]:
    authorize(store, caller, group_id, Action.READ_CONTENT)
    return store.list_members(group_id, page_request(caller, "members", limit, cursor, group=group_id))


def _owner_delta(before: Role | None, after: Role | None) -> int:
    return int(after is Role.GROUP_OWNER) - int(before is Role.GROUP_OWNER)


def _guard_group(uow: UnitOfWork, group: Group, owner_delta: int) -> None:
    """The group must be writable; when the owners change, the owner count moves with it."""
    if owner_delta:
        uow.adjust_owner_count(group, owner_delta)
    else:
        uow.require_group_writable(group.groupId)


def put_member(
    store: OntologyStore, caller: Caller, group_id: str, person_id: str, role: Role
) -> tuple[Membership, bool]:
    """Give a person a role in the group; returns the membership and whether it is new."""
    membership_ref: ItemRef = ("membership", person_id)
    person_ref: ItemRef = ("person", person_id)
    access = authorize(store, caller, group_id, Action.MANAGE_GROUP, items=[membership_ref, person_ref])
    group, existing = access.group, access.found(Membership, membership_ref)
    if existing is not None and existing.role is role:
        return existing, False
    person = access.found(Person, person_ref)
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
    uow = store.unit_of_work()
    _guard_group(uow, group, _owner_delta(existing.role if existing else None, role))
    uow.put_membership(membership)
    metadata = {"role": role, "previousRole": existing.role if existing else None}
    uow.record(audit_event(EventType.MEMBER_ADDED, caller, group_id, person_id, metadata, at))
    uow.commit()
    return membership, existing is None


def remove_member(store: OntologyStore, caller: Caller, group_id: str, person_id: str) -> None:
    """Owners remove anyone; any member may remove themselves (leave the group)."""
    leaving = person_id == caller.person_id
    ref: ItemRef = ("membership", person_id)
    access = authorize(store, caller, group_id, Action.READ_GROUP if leaving else Action.MANAGE_GROUP, items=[ref])
    group, existing = access.group, access.found(Membership, ref)
    if existing is None:
        raise NotFound(f"person {person_id} is not a member of group {group_id}")
    uow = store.unit_of_work()
    _guard_group(uow, group, _owner_delta(existing.role, None))
    uow.remove_membership(group_id, person_id)
    uow.record(audit_event(EventType.MEMBER_REMOVED, caller, group_id, person_id, {"role": existing.role}))
    uow.commit()
