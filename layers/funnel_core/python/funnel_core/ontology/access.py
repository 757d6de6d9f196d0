"""Authorization as SPEC's permission table says, resolved in one DynamoDB round trip.

A role held in a group holds in all its descendants, so the caller's effective role in a
group is the strongest of their roles in it and its ancestors. A group never moves, so its
ancestor ids are cached per container and the memberships in them are read in the same
BatchGetItem as the group (and, for by-id routes, the items asked for).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import Forbidden, NotFound
from funnel_core.ontology.models.groups import Group
from funnel_core.ontology.models.members import Role
from funnel_core.ontology.store.access import AccessSnapshot, AccessStore
from funnel_core.store.default import table
from funnel_core.store.table import Ref

M = TypeVar("M", bound=BaseModel)


class Action(StrEnum):
    READ_GROUP = "read the group"
    READ_CONTENT = "read the group's content"
    WRITE_CONTENT = "change the group's content"
    MANAGE_GROUP = "manage the group's settings and members"
    READ_AUDIT = "read the group's audit trail"


PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.GROUP_OWNER: frozenset(Action),
    # A group_user reaches funnels assigned to them; the funnel routes grant that per funnel.
    Role.GROUP_USER: frozenset({Action.READ_GROUP}),
    Role.CUSTOMER: frozenset({Action.READ_GROUP}),
}

_STRENGTH = {Role.GROUP_OWNER: 3, Role.GROUP_USER: 2, Role.CUSTOMER: 1}


class AccessReads(Protocol):
    def read(
        self, group_id: str, person_id: str, ancestor_ids: Sequence[str] | None, refs: Sequence[Ref[Any]] = ()
    ) -> AccessSnapshot: ...

    def read_roles(self, group_ids: Sequence[str], person_id: str) -> dict[str, Role]: ...


@dataclass(frozen=True)
class Access:
    caller: Caller
    group: Group
    role: Role | None  # None for a platform owner with no role of their own here
    items: dict[Ref[Any], Any] = field(default_factory=dict)

    def allows(self, action: Action) -> bool:
        return self.caller.is_platform_owner or (self.role is not None and action in PERMISSIONS[self.role])

    def found(self, ref: Ref[M]) -> M | None:
        """An item read with the authorization, if it exists."""
        return self.items.get(ref)


class _AncestorCache:
    """Ancestor ids of groups seen by this container; bounded, and safe because groups never move."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._entries: OrderedDict[str, list[str]] = OrderedDict()
        self._capacity = capacity

    def get(self, group_id: str) -> list[str] | None:
        if group_id in self._entries:
            self._entries.move_to_end(group_id)
            return self._entries[group_id]
        return None

    def put(self, group_id: str, ancestor_ids: list[str]) -> None:
        self._entries[group_id] = ancestor_ids
        self._entries.move_to_end(group_id)
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)


@once
def _ancestors() -> _AncestorCache:
    return _AncestorCache()


def strongest(roles: list[Role]) -> Role | None:
    return max(roles, key=_STRENGTH.__getitem__, default=None)


class Authorizer:
    def __init__(self, reads: AccessReads) -> None:
        self.reads = reads

    def authorize(self, caller: Caller, group_id: str, action: Action, refs: Sequence[Ref[Any]] = ()) -> Access:
        """The caller's access to a group for an action, with ``refs`` read alongside: 404 when
        they hold no role there (a group's existence is not leaked), 403 when their role is too
        weak."""
        known_ancestors = _ancestors().get(group_id)
        snapshot = self.reads.read(group_id, caller.person_id, known_ancestors, refs)
        group = snapshot.group
        if group is None:
            raise NotFound(f"group {group_id} not found")
        _ancestors().put(group_id, group.ancestorIds)

        roles = dict(snapshot.roles)
        if known_ancestors is None and group.ancestorIds and roles.get(group_id) is not Role.GROUP_OWNER:
            roles |= self.reads.read_roles(group.ancestorIds, caller.person_id)
        role = strongest(list(roles.values()))

        access = Access(caller=caller, group=group, role=role, items=snapshot.items)
        if role is None and not caller.is_platform_owner:
            raise NotFound(f"group {group_id} not found")
        if not access.allows(action):
            raise Forbidden(f"your role ({role}) does not let you {action}")
        return access


@once
def authorizer() -> Authorizer:
    return Authorizer(AccessStore(table()))
