"""Groups: create (top-level or child), read, list, update, archive."""

from __future__ import annotations

from funnel_core.auth.access import Action, authorize
from funnel_core.auth.caller import Caller
from funnel_core.domain.common import audit_event, page_request, slugify, with_suffix
from funnel_core.errors import Forbidden, SlugTaken, ValidationFailed, VersionConflict
from funnel_core.ids import new_id, now_iso
from funnel_core.models.common import Page
from funnel_core.models.events import EventType
from funnel_core.models.groups import Group, GroupCreate, GroupStatus, GroupUpdate
from funnel_core.models.members import Membership, Person, Role
from funnel_core.store.ontology import OntologyStore, UnitOfWork


def _person(caller: Caller, at: str) -> Person:
    return Person(personId=caller.person_id, email=caller.email, name=caller.name, createdAt=at, updatedAt=at)


def create_group(store: OntologyStore, caller: Caller, body: GroupCreate) -> Group:
    """Any signed-in user may create a top-level group; a child group needs owner of the parent.
    Either way the creator becomes its group_owner."""
    ancestor_ids: list[str] = []
    if body.parentGroupId:
        parent = authorize(store, caller, body.parentGroupId, Action.MANAGE_GROUP).group
        ancestor_ids = [*parent.ancestorIds, parent.groupId]
    if body.slug:
        return _create_group(store, caller, body, body.slug, ancestor_ids)
    # A slug the client did not choose may be made unique; one the client chose may not.
    derived = slugify(body.name, fallback="group")
    try:
        return _create_group(store, caller, body, derived, ancestor_ids)
    except SlugTaken:
        return _create_group(store, caller, body, with_suffix(derived), ancestor_ids)


def _create_group(store: OntologyStore, caller: Caller, body: GroupCreate, slug: str, ancestor_ids: list[str]) -> Group:
    uow = store.unit_of_work()
    if body.parentGroupId:
        uow.require_group_writable(body.parentGroupId)
    at = now_iso()
    group = Group(
        groupId=new_id("grp"),
        name=body.name,
        slug=slug,
        type=body.type,
        parentGroupId=body.parentGroupId,
        ancestorIds=ancestor_ids,
        description=body.description,
        settings=body.settings,
        ownerCount=1,
        createdAt=at,
        updatedAt=at,
        createdBy=caller.person_id,
    )
    owner = Membership(
        groupId=group.groupId,
        personId=caller.person_id,
        role=Role.GROUP_OWNER,
        email=caller.email,
        name=caller.name,
        createdAt=at,
        updatedAt=at,
        addedBy=caller.person_id,
    )
    uow.add_group(group)
    uow.put_person(_person(caller, at))
    uow.put_membership(owner)
    metadata = {"entity": "group", "name": group.name, "slug": group.slug, "parentGroupId": group.parentGroupId}
    uow.record(audit_event(EventType.ENTITY_CREATED, caller, group.groupId, group.groupId, metadata, at))
    uow.record(audit_event(EventType.MEMBER_ADDED, caller, group.groupId, caller.person_id, {"role": owner.role}, at))
    uow.commit()
    return group


def get_group(store: OntologyStore, caller: Caller, group_id: str) -> Group:
    return authorize(store, caller, group_id, Action.READ_GROUP).group


def list_my_groups(store: OntologyStore, caller: Caller, limit: int, cursor: str | None) -> Page[Group]:
    page = store.list_memberships_of_person(caller.person_id, page_request(caller, "groups", limit, cursor))
    groups = store.get_groups([membership.groupId for membership in page.items])
    return Page[Group](items=groups, nextCursor=page.nextCursor)


def list_child_groups(
    store: OntologyStore, caller: Caller, group_id: str, limit: int, cursor: str | None
) -> Page[Group]:
    authorize(store, caller, group_id, Action.READ_GROUP)
    return store.list_child_groups(group_id, page_request(caller, "children", limit, cursor, group=group_id))


def update_group(store: OntologyStore, caller: Caller, group_id: str, body: GroupUpdate) -> Group:
    group = authorize(store, caller, group_id, Action.MANAGE_GROUP).group
    if body.version != group.version:
        raise VersionConflict(f"group {group_id} is at version {group.version}, not {body.version}")
    if body.status is GroupStatus.ARCHIVED:
        raise ValidationFailed.on("status", "archive a group with DELETE /groups/{groupId}")
    if body.status is GroupStatus.SUSPENDED and not caller.is_platform_owner:
        raise Forbidden("only a platform owner can suspend a group")

    # Only description may be cleared with null; a null elsewhere means "leave as is".
    changes = {
        name: value
        for name, value in body.model_dump(exclude_unset=True, exclude={"version"}).items()
        if value is not None or name == "description"
    }
    updated = Group.model_validate(
        {**group.model_dump(), **changes, "version": group.version + 1, "updatedAt": now_iso()},
    )
    uow = store.unit_of_work()
    if updated.slug != group.slug:
        uow.release_group_slug(group.slug)
        uow.claim_group_slug(updated.slug, group_id)
    _save(
        uow, caller, updated, group.version, EventType.ENTITY_UPDATED, {"entity": "group", "changed": sorted(changes)}
    )
    return updated


def archive_group(store: OntologyStore, caller: Caller, group_id: str) -> Group:
    group = authorize(store, caller, group_id, Action.MANAGE_GROUP).group
    if group.status is GroupStatus.ARCHIVED:
        return group
    archived = group.model_copy(
        update={"status": GroupStatus.ARCHIVED, "version": group.version + 1, "updatedAt": now_iso()}
    )
    _save(store.unit_of_work(), caller, archived, group.version, EventType.ENTITY_ARCHIVED, {"entity": "group"})
    return archived


def _save(
    uow: UnitOfWork, caller: Caller, group: Group, expected_version: int, event: EventType, metadata: dict
) -> None:
    uow.replace_group(group, expected_version)
    uow.record(audit_event(event, caller, group.groupId, group.groupId, metadata, group.updatedAt))
    uow.commit()
