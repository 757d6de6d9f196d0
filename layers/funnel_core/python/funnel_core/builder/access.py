"""Who may do what with a group's funnels: owners everything; a group_user reads and edits the
funnels assigned to them (the assignment is read in the same BatchGetItem as the rest of the
authorization) and nothing else; customers see nothing of the builder."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from funnel_core.builder.models.aggregate import Funnel
from funnel_core.builder.store.assignments import AssignmentStore
from funnel_core.builder.store.funnels import FunnelStore
from funnel_core.caller import Caller
from funnel_core.errors import Forbidden, NotFound
from funnel_core.ontology.access import Access, Action, Authorizer
from funnel_core.ontology.models.members import Role
from funnel_core.store.table import Ref


class FunnelAction(StrEnum):
    READ = "read this funnel"
    EDIT = "edit this funnel"
    MANAGE = "create, publish, archive, duplicate or assign funnels"
    EXPORT = "export this funnel's submissions"


class FunnelAuthorizer:
    def __init__(self, access: Authorizer) -> None:
        self.access = access

    def authorize(
        self,
        caller: Caller,
        group_id: str,
        funnel_id: str | None,
        action: FunnelAction,
        refs: Sequence[Ref[Any]] = (),
    ) -> Access:
        assignment = AssignmentStore.ref(group_id, caller.person_id, funnel_id) if funnel_id else None
        access = self.access.authorize(
            caller, group_id, Action.READ_GROUP, refs=[*refs, *([assignment] if assignment else [])]
        )
        if access.allows(Action.WRITE_CONTENT):
            return access
        assigned = assignment is not None and access.found(assignment) is not None
        if access.role is Role.GROUP_USER and assigned and action in (FunnelAction.READ, FunnelAction.EDIT):
            return access
        raise Forbidden(f"your role ({access.role}) does not let you {action}")

    def with_funnel(self, caller: Caller, group_id: str, funnel_id: str, action: FunnelAction) -> tuple[Access, Funnel]:
        """The authorization and the funnel item read with it, for routes that need only the
        funnel, not its steps and elements (one request instead of two). 404 if there is none."""
        ref = FunnelStore.ref(group_id, funnel_id)
        access = self.authorize(caller, group_id, funnel_id, action, refs=[ref])
        funnel = access.found(ref)
        if funnel is None:
            raise NotFound(f"funnel {funnel_id} not found")
        return access, funnel
