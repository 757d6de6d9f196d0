"""Groups: their items, the slug guards that keep slugs unique, the counters other changes keep."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from funnel_core.errors import Conflict, DomainError, SlugTaken, VersionConflict
from funnel_core.models.common import Page
from funnel_core.ontology import keys
from funnel_core.ontology.models.groups import Group
from funnel_core.store.change import GROUP_ARCHIVED, Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.paging import PageRequest
from funnel_core.store.table import Query, Table
from funnel_core.store.tenancy import group_key
from funnel_core.store.transaction import ITEM_ABSENT, Condition, version_is

# Kept by the changes that move them (members, funnels), never by an edit of the group.
COUNTERS = frozenset({"ownerCount", "funnelCount"})


class GroupStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, group_id: str) -> Group | None:
        record = self.table.get(group_key(group_id))
        return to_model(Group, record) if record else None

    def get_many(self, group_ids: Sequence[str]) -> list[Group]:
        found = self.table.batch_get([group_key(group_id) for group_id in group_ids])
        groups = {record["groupId"]: to_model(Group, record) for record in found.values()}
        return [groups[group_id] for group_id in group_ids if group_id in groups]

    def list_children(self, parent_id: str, page: PageRequest) -> Page[Group]:
        records, cursor = self.table.query(Query(keys.children_pk(parent_id), index=keys.GSI1), page)
        return Page[Group](items=[to_model(Group, record) for record in records], nextCursor=cursor)

    def add(self, change: Change, group: Group) -> None:
        index = keys.group_index(group.parentGroupId, group.createdAt, group.groupId)
        item = as_item(group, "group", group_key(group.groupId), index)
        change.put(item, ITEM_ABSENT, Conflict(f"group {group.groupId} already exists"))
        self.claim_slug(change, group.slug, group.groupId)

    def claim_slug(self, change: Change, slug: str, group_id: str) -> None:
        guard = {**keys.group_slug_key(slug), "groupId": group_id, "entity": "group_slug"}
        change.put(guard, ITEM_ABSENT, SlugTaken(f"slug '{slug}' is taken by another group"))

    def release_slug(self, change: Change, slug: str) -> None:
        change.delete(keys.group_slug_key(slug))

    def replace(self, change: Change, group: Group, expected_version: int) -> None:
        """Write the group's own fields at ``expected_version``. The counters are left alone, so
        an edit never rolls back a concurrent member change."""
        change.set_fields(
            group_key(group.groupId),
            group.model_dump(mode="json", exclude={*COUNTERS, "groupId"}),
            version_is(expected_version),
            VersionConflict(f"group {group.groupId} changed since version {expected_version}"),
        )

    def adjust_owner_count(self, change: Change, group: Group, delta: int) -> None:
        """Keep the count of direct owners, refusing to let a top-level group lose its last one.
        The update also checks that the group is not archived (``Change`` adds no second check)."""
        condition = "#status <> :archived"
        if delta < 0:
            condition += " AND (attribute_exists(parentGroupId) OR ownerCount > :one)"
        values: dict[str, Any] = {":archived": "archived", ":delta": delta, **({":one": 1} if delta < 0 else {})}

        def failure(old: dict[str, Any] | None) -> DomainError:
            status = old.get("status") if old else group.status
            if status == "archived":
                return GROUP_ARCHIVED
            return Conflict("a top-level group must keep at least one group_owner")

        change.update(
            group_key(group.groupId),
            "ADD ownerCount :delta",
            Condition(condition, {"#status": "status"}, values),
            failure,
        )
