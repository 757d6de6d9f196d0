"""Authorization as SPEC's permission table says, resolved in one DynamoDB round trip.

A role held in a group holds in all its descendants, so the caller's effective role in a
group is the strongest of their roles in it and its ancestors. A group never moves, so its
ancestor ids are cached per container and the memberships in them are read in the same
BatchGetItem as the group (and, for by-id routes, the item asked for).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel

from funnel_core.auth.caller import Caller
from funnel_core.errors import Forbidden, NotFound
from funnel_core.models.builder import Funnel
from funnel_core.models.groups import Group
from funnel_core.models.members import Role
from funnel_core.store.ontology import ItemRef, OntologyStore


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

M = TypeVar("M", bound=BaseModel)

_STRENGTH = {Role.GROUP_OWNER: 3, Role.GROUP_USER: 2, Role.CUSTOMER: 1}


@dataclass(frozen=True)
class Access:
    caller: Caller
    group: Group
    role: Role | None  # None for a platform owner with no role of their own here
    items: dict[ItemRef, BaseModel] = field(default_factory=dict)

    def allows(self, action: Action) -> bool:
        return self.caller.is_platform_owner or (self.role is not None and action in PERMISSIONS[self.role])

    def found(self, kind: type[M], ref: ItemRef) -> M | None:
        """An item read with the authorization, if it exists."""
        item = self.items.get(ref)
        return item if isinstance(item, kind) else None

    def funnel(self, funnel_id: str) -> Funnel:
        """The funnel item, read with the authorization when the route asked for it
        (``items=[funnel_ref(funnel_id)]``): routes that need only the funnel, not its steps and
        elements, skip the Query of the item collection. 404 if there is none."""
        funnel = self.found(Funnel, funnel_ref(funnel_id))
        if funnel is None:
            raise NotFound(f"funnel {funnel_id} not found")
        return funnel


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

    def clear(self) -> None:
        self._entries.clear()


_ancestors = _AncestorCache()


def forget_ancestors() -> None:
    """What a new container starts with: no ancestor ids known."""
    _ancestors.clear()


def strongest(roles: list[Role]) -> Role | None:
    return max(roles, key=_STRENGTH.__getitem__, default=None)


def authorize(
    store: OntologyStore,
    caller: Caller,
    group_id: str,
    action: Action,
    items: Sequence[ItemRef] = (),
) -> Access:
    """The caller's access to a group for an action: 404 when they hold no role there (a
    group's existence is not leaked), 403 when their role is too weak."""
    known_ancestors = _ancestors.get(group_id)
    snapshot = store.read_access(group_id, caller.person_id, known_ancestors, items)
    group = snapshot.group
    if group is None:
        raise NotFound(f"group {group_id} not found")
    _ancestors.put(group_id, group.ancestorIds)

    roles = dict(snapshot.roles)
    if known_ancestors is None and group.ancestorIds and roles.get(group_id) is not Role.GROUP_OWNER:
        roles |= store.read_roles(group.ancestorIds, caller.person_id)
    role = strongest(list(roles.values()))

    access = Access(caller=caller, group=group, role=role, items=snapshot.items)
    if role is None and not caller.is_platform_owner:
        raise NotFound(f"group {group_id} not found")
    if not access.allows(action):
        raise Forbidden(f"your role ({role}) does not let you {action}")
    return access


class FunnelAction(StrEnum):
    READ = "read this funnel"
    EDIT = "edit this funnel"
    MANAGE = "create, publish, archive, duplicate or assign funnels"


def assignment_ref(caller: Caller, funnel_id: str) -> ItemRef:
    return ("assignment", f"{caller.person_id}#{funnel_id}")


def funnel_ref(funnel_id: str) -> ItemRef:
    return ("funnel", funnel_id)


def authorize_funnel(
    store: OntologyStore,
    caller: Caller,
    group_id: str,
    funnel_id: str | None,
    action: FunnelAction,
    items: Sequence[ItemRef] = (),
) -> Access:
    """Owners do everything with a group's funnels; a group_user reads and edits the funnels
    assigned to them (the assignment is read in the same BatchGetItem) and nothing else;
    customers see nothing of the builder."""
    refs = [*items, *([assignment_ref(caller, funnel_id)] if funnel_id else [])]
    access = authorize(store, caller, group_id, Action.READ_GROUP, items=refs)
    if access.allows(Action.WRITE_CONTENT):
        return access
    assigned = funnel_id is not None and assignment_ref(caller, funnel_id) in access.items
    if access.role is Role.GROUP_USER and assigned and action is not FunnelAction.MANAGE:
        return access
    raise Forbidden(f"your role ({access.role}) does not let you {action}")
