"""What authorization reads: a group, the caller's memberships in it and its ancestors, and the
items the route needs, all in one BatchGetItem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from funnel_core.ontology import keys
from funnel_core.ontology.models.groups import Group
from funnel_core.ontology.models.members import Role
from funnel_core.store.items import key_of, to_model
from funnel_core.store.table import Ref, Table
from funnel_core.store.tenancy import group_key


@dataclass
class AccessSnapshot:
    group: Group | None
    roles: dict[str, Role]
    items: dict[Ref[Any], Any] = field(default_factory=dict)


class AccessStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def read(
        self, group_id: str, person_id: str, ancestor_ids: Sequence[str] | None, refs: Sequence[Ref[Any]] = ()
    ) -> AccessSnapshot:
        """The group, the caller's roles in it (and in its ancestors when they are known) and
        ``refs``, in one BatchGetItem. One key may serve several purposes: the caller's own
        membership may be the item the route asked for."""
        role_keys = {
            role_group: keys.membership_key(role_group, person_id) for role_group in [group_id, *(ancestor_ids or [])]
        }
        ref_keys = [ref.key for ref in refs]
        found = self.table.batch_get([group_key(group_id), *role_keys.values(), *ref_keys])
        group = found.get(key_of(group_key(group_id)))
        roles = {
            role_group: Role(found[key_of(key)]["role"])
            for role_group, key in role_keys.items()
            if key_of(key) in found
        }
        items = {ref: to_model(ref.model, found[(ref.pk, ref.sk)]) for ref in refs if (ref.pk, ref.sk) in found}
        return AccessSnapshot(group=to_model(Group, group) if group else None, roles=roles, items=items)

    def read_roles(self, group_ids: Sequence[str], person_id: str) -> dict[str, Role]:
        found = self.table.batch_get([keys.membership_key(group_id, person_id) for group_id in group_ids])
        return {record["groupId"]: Role(record["role"]) for record in found.values()}
