"""Group users assigned to funnels: they may then read and edit them, and nothing else."""

from __future__ import annotations

from funnel_core.audit.events import EventType
from funnel_core.builder.access import FunnelAction, FunnelAuthorizer
from funnel_core.builder.store.assignments import AssignmentStore
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.ids import now_iso
from funnel_core.ontology.access import Authorizer, authorizer
from funnel_core.ontology.connections import new_connection
from funnel_core.ontology.members import Members
from funnel_core.ontology.models.connections import Connection
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.table import Table

ASSIGNED_TO = "assigned_to"


def _ending(person_id: str, funnel_id: str) -> dict[str, str]:
    return {"from": person_id, "to": funnel_id, "relationshipType": ASSIGNED_TO}


class Assignees:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.funnel_access = FunnelAuthorizer(access)
        self.assignments = AssignmentStore(table)
        self.members = Members(table, access)

    def assign(self, caller: Caller, group_id: str, funnel_id: str, person_id: str) -> Connection:
        """Assign a group_user of the group to the funnel: they may then read and edit it."""
        self.funnel_access.with_funnel(caller, group_id, funnel_id, FunnelAction.MANAGE)
        at = now_iso()
        assignment = new_connection(group_id, person_id, funnel_id, ASSIGNED_TO, caller.person_id, at)
        with self.table.change(caller.person_id, group_id) as change:
            # Only a group_user of the group, checked in the change: a removal cannot slip between.
            self.members.note_assignment(change, group_id, person_id, funnel_id, assigned=True)
            self.assignments.assign(change, assignment)
            change.record(EventType.CONNECTION_CREATED, funnel_id, _ending(person_id, funnel_id), at)
        return assignment

    def unassign(self, caller: Caller, group_id: str, funnel_id: str, person_id: str) -> None:
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.MANAGE)
        with self.table.change(caller.person_id, group_id) as change:
            self.end(change, person_id, funnel_id)
            self.members.note_assignment(change, group_id, person_id, funnel_id, assigned=False)

    def end(self, change: Change, person_id: str, funnel_id: str) -> None:
        """End an assignment in ``change``, the membership's ``assignedTo`` left to the caller."""
        self.assignments.unassign(change, change.group_id, person_id, funnel_id)
        change.record(EventType.CONNECTION_ENDED, funnel_id, _ending(person_id, funnel_id))


@once
def service() -> Assignees:
    return Assignees(table(), authorizer())
