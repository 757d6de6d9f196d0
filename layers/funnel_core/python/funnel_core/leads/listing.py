"""The owner's view of a funnel's submissions: the list (filtered by status, step and time, with
the signed cursors) and the CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from funnel_core.builder.access import FunnelAction, FunnelAuthorizer
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import BadRequest, FieldProblem
from funnel_core.ids import to_iso
from funnel_core.leads import keys
from funnel_core.models.common import Page
from funnel_core.ontology.access import Authorizer, authorizer
from funnel_core.ontology.models.things import Thing
from funnel_core.store.default import table
from funnel_core.store.items import to_model
from funnel_core.store.paging import page_request
from funnel_core.store.table import Query, Table


@dataclass(frozen=True)
class SubmissionFilter:
    status: str | None = None
    step_id: str | None = None
    since: str | None = None
    until: str | None = None

    def query(self, group_id: str, funnel_id: str, newest_first: bool = True) -> Query:
        equals: dict[str, Any] = {}
        if self.status:
            equals["status"] = self.status
        if self.step_id:
            equals["stepId"] = self.step_id
        if self.since and self.until and self.since > self.until:
            raise BadRequest("from must not be after to", [FieldProblem("from", "after to")])
        between = None
        if self.since or self.until:
            between = (self.since or "0", f"{self.until}#~" if self.until else "~")
        partition = keys.funnel_submissions_pk(group_id, funnel_id)
        return Query(partition, sort_between=between, equals=equals, newest_first=newest_first)


def submission_filter(
    status: str | None, step_id: str | None, since: datetime | None, until: datetime | None
) -> SubmissionFilter:
    """The filter of a list or export route's query parameters."""
    return SubmissionFilter(
        status=status,
        step_id=step_id,
        since=to_iso(since) if since else None,
        until=to_iso(until) if until else None,
    )


class SubmissionList:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.funnel_access = FunnelAuthorizer(access)

    def list(
        self,
        caller: Caller,
        group_id: str,
        funnel_id: str,
        selection: SubmissionFilter,
        limit: int,
        cursor: str | None,
    ) -> Page[Thing]:
        """Newest first. A group_user sees those of the funnels assigned to them."""
        self.funnel_access.with_funnel(caller, group_id, funnel_id, FunnelAction.READ)
        page = page_request(
            caller.person_id,
            "submissions",
            limit,
            cursor,
            group=group_id,
            funnel=funnel_id,
            status=selection.status or "",
            step=selection.step_id or "",
            since=selection.since or "",
            until=selection.until or "",
        )
        records, next_cursor = self.table.query(selection.query(group_id, funnel_id), page)
        return Page[Thing](items=[to_model(Thing, record) for record in records], nextCursor=next_cursor)


@once
def service() -> SubmissionList:
    return SubmissionList(table(), authorizer())
