"""The funnel item: listed with the group's things, unique by name and slug, counted against the
group's limit, and written back only as the change read it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from funnel_core.builder import keys
from funnel_core.builder.models.aggregate import Funnel
from funnel_core.errors import (
    Conflict,
    DomainError,
    LimitExceeded,
    NameTaken,
    SlugTaken,
    StructureConflict,
    VersionConflict,
)
from funnel_core.models.common import Page
from funnel_core.ontology.keys import GSI1, GSI2, thing_index, things_by_type_pk, things_by_type_status_pk
from funnel_core.ontology.models.groups import Group
from funnel_core.store.change import GROUP_ARCHIVED, Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.paging import PageRequest
from funnel_core.store.table import Query, Ref, Table
from funnel_core.store.tenancy import group_key
from funnel_core.store.transaction import ITEM_ABSENT, Condition


def funnel_item(funnel: Funnel) -> dict[str, Any]:
    index = thing_index(funnel.groupId, "funnel", funnel.status, funnel.funnelId)
    return as_item(funnel, "funnel", keys.funnel_key(funnel.groupId, funnel.funnelId), index)


def unchanged(what: str, expected_version: int | None, expected_structure: int | None) -> tuple[Condition, DomainError]:
    """The condition that an aggregate item is as the change read it: at the client's
    ``version`` (a stale one is the client's 409) and/or at the ``structureVersion`` the change
    was computed from (a race with another writer, which the rules retry)."""
    checks, names, values = ["attribute_exists(PK)"], {}, {}
    if expected_version is not None:
        checks.append("#version = :version")
        names["#version"], values[":version"] = "version", expected_version
    if expected_structure is not None:
        checks.append("structureVersion = :structure")
        values[":structure"] = expected_structure
    failure: DomainError = (
        VersionConflict(f"{what} changed since version {expected_version}")
        if expected_version is not None
        else StructureConflict(f"{what} changed concurrently; retry")
    )
    return Condition(" AND ".join(checks), names, values), failure


class FunnelStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    @staticmethod
    def ref(group_id: str, funnel_id: str) -> Ref[Funnel]:
        return Ref.to(keys.funnel_key(group_id, funnel_id), Funnel)

    def get_many(self, group_id: str, funnel_ids: Sequence[str]) -> list[Funnel]:
        found = self.table.batch_get([keys.funnel_key(group_id, funnel_id) for funnel_id in funnel_ids])
        funnels = {record["funnelId"]: to_model(Funnel, record) for record in found.values()}
        return [funnels[funnel_id] for funnel_id in funnel_ids if funnel_id in funnels]

    def list(self, group_id: str, status: str | None, page: PageRequest) -> Page[Funnel]:
        if status:
            query = Query(things_by_type_status_pk(group_id, "funnel", status), index=GSI2)
        else:
            query = Query(things_by_type_pk(group_id, "funnel"), index=GSI1)
        records, cursor = self.table.query(query, page)
        return Page[Funnel](items=[to_model(Funnel, record) for record in records], nextCursor=cursor)

    def count(self, change: Change, group: Group, delta: int) -> None:
        """Keep the group's funnel count under ``settings.limits.maxFunnels``. The update also
        checks that the group is not archived (``Change`` adds no second check)."""
        limit = group.settings.limits.maxFunnels
        condition = "#status <> :archived"
        values: dict[str, Any] = {":archived": "archived", ":delta": delta}
        if delta > 0:
            condition += " AND (attribute_not_exists(funnelCount) OR funnelCount < :limit)"
            values[":limit"] = limit

        def failure(old: dict[str, Any] | None) -> DomainError:
            status = old.get("status") if old else group.status
            if status == "archived":
                return GROUP_ARCHIVED
            return LimitExceeded.on_field("name", f"the group has reached its limit of {limit} funnels")

        change.update(
            group_key(group.groupId),
            "ADD funnelCount :delta",
            Condition(condition, {"#status": "status"}, values),
            failure,
        )

    def add(self, change: Change, funnel: Funnel) -> None:
        change.put(funnel_item(funnel), ITEM_ABSENT, Conflict("funnel id clash"))
        self.claim_name(change, funnel.groupId, funnel.name, funnel.funnelId)
        self.claim_slug(change, funnel.groupId, funnel.slug, funnel.funnelId)

    def claim_name(self, change: Change, group_id: str, name: str, funnel_id: str) -> None:
        guard = {**keys.funnel_name_key(group_id, name), "funnelId": funnel_id, "entity": "funnel_name"}
        change.put(
            guard, ITEM_ABSENT, NameTaken.on_field("name", f"a funnel named '{name}' already exists in this group")
        )

    def claim_slug(self, change: Change, group_id: str, slug: str, funnel_id: str) -> None:
        guard = {**keys.funnel_slug_key(group_id, slug), "funnelId": funnel_id, "entity": "funnel_slug"}
        change.put(
            guard, ITEM_ABSENT, SlugTaken.on_field("slug", f"a funnel with slug '{slug}' already exists in this group")
        )

    def release_name(self, change: Change, group_id: str, name: str) -> None:
        change.delete(keys.funnel_name_key(group_id, name))

    def release_slug(self, change: Change, group_id: str, slug: str) -> None:
        change.delete(keys.funnel_slug_key(group_id, slug))

    def replace(
        self,
        change: Change,
        funnel: Funnel,
        *,
        expected_version: int | None = None,
        expected_structure: int | None = None,
    ) -> None:
        """Write the funnel item back, on condition that nobody changed what this change read."""
        condition, failure = unchanged(f"funnel {funnel.funnelId}", expected_version, expected_structure)
        change.put(funnel_item(funnel), condition, failure)
