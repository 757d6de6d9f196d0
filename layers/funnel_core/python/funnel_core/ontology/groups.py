"""Groups: create (top-level or child), read, list, update, archive."""

from __future__ import annotations

from funnel_core.audit.events import EventType
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import Forbidden, SlugTaken, ValidationFailed
from funnel_core.ids import new_id, now_iso
from funnel_core.models.common import Page
from funnel_core.ontology.access import Action, Authorizer, authorizer
from funnel_core.ontology.models.groups import Group, GroupCreate, GroupStatus, GroupUpdate
from funnel_core.ontology.models.members import Membership, Person, Role
from funnel_core.ontology.store.groups import GroupStore
from funnel_core.ontology.store.members import MemberStore
from funnel_core.store.default import table
from funnel_core.store.paging import page_request
from funnel_core.store.table import Table
from funnel_core.validation import require_version, slugify, with_suffix


def person_of(caller: Caller, at: str) -> Person:
    return Person(personId=caller.person_id, email=caller.email, name=caller.name, createdAt=at, updatedAt=at)


class Groups:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.access = access
        self.groups = GroupStore(table)
        self.members = MemberStore(table)

    def create(self, caller: Caller, body: GroupCreate) -> Group:
        """Any signed-in user may create a top-level group; a child group needs owner of the
        parent. Either way the creator becomes its group_owner."""
        ancestor_ids: list[str] = []
        if body.parentGroupId:
            parent = self.access.authorize(caller, body.parentGroupId, Action.MANAGE_GROUP).group
            ancestor_ids = [*parent.ancestorIds, parent.groupId]
        if body.slug:
            return self._create(caller, body, body.slug, ancestor_ids)
        # A slug the client did not choose may be made unique; one the client chose may not.
        derived = slugify(body.name, fallback="group")
        try:
            return self._create(caller, body, derived, ancestor_ids)
        except SlugTaken:
            return self._create(caller, body, with_suffix(derived), ancestor_ids)

    def _create(self, caller: Caller, body: GroupCreate, slug: str, ancestor_ids: list[str]) -> Group:
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
        with self.table.change(caller.person_id, group.groupId) as change:
            if body.parentGroupId:
                change.require_writable(body.parentGroupId)
            self.groups.add(change, group)
            self.members.put_person(change, person_of(caller, at))
            self.members.put_membership(change, owner)
            metadata = {"entity": "group", "name": group.name, "slug": group.slug, "parentGroupId": group.parentGroupId}
            change.record(EventType.ENTITY_CREATED, group.groupId, metadata, at)
            change.record(EventType.MEMBER_ADDED, caller.person_id, {"role": owner.role}, at)
        return group

    def get(self, caller: Caller, group_id: str) -> Group:
        return self.access.authorize(caller, group_id, Action.READ_GROUP).group

    def list_mine(self, caller: Caller, limit: int, cursor: str | None) -> Page[Group]:
        page = self.members.list_memberships_of(
            caller.person_id, page_request(caller.person_id, "groups", limit, cursor)
        )
        groups = self.groups.get_many([membership.groupId for membership in page.items])
        return Page[Group](items=groups, nextCursor=page.nextCursor)

    def list_children(self, caller: Caller, group_id: str, limit: int, cursor: str | None) -> Page[Group]:
        self.access.authorize(caller, group_id, Action.READ_GROUP)
        page = page_request(caller.person_id, "children", limit, cursor, group=group_id)
        return self.groups.list_children(group_id, page)

    def update(self, caller: Caller, group_id: str, body: GroupUpdate) -> Group:
        group = self.access.authorize(caller, group_id, Action.MANAGE_GROUP).group
        require_version(f"group {group_id}", group.version, body.version)
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
            {**group.model_dump(), **changes, "version": group.version + 1, "updatedAt": now_iso()}
        )
        return self._save(
            caller, group, updated, EventType.ENTITY_UPDATED, {"entity": "group", "changed": sorted(changes)}
        )

    def archive(self, caller: Caller, group_id: str) -> Group:
        group = self.access.authorize(caller, group_id, Action.MANAGE_GROUP).group
        if group.status is GroupStatus.ARCHIVED:
            return group
        archived = group.model_copy(
            update={"status": GroupStatus.ARCHIVED, "version": group.version + 1, "updatedAt": now_iso()}
        )
        return self._save(caller, group, archived, EventType.ENTITY_ARCHIVED, {"entity": "group"})

    def _save(self, caller: Caller, group: Group, updated: Group, event: EventType, metadata: dict) -> Group:
        with self.table.change(caller.person_id, group.groupId) as change:
            if updated.slug != group.slug:
                self.groups.release_slug(change, group.slug)
                self.groups.claim_slug(change, updated.slug, group.groupId)
            self.groups.replace(change, updated, group.version)
            change.record(event, group.groupId, metadata, updated.updatedAt)
        return updated


@once
def service() -> Groups:
    return Groups(table(), authorizer())
