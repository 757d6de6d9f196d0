"""Where visitors' own records live: a partition per visitor, so writes spread as widely as the
visitors do (a hot funnel has many visitors, not one), and the first view of a step is a
conditional put on one item of it."""

from __future__ import annotations

from typing import Final

from funnel_core.store.keyspace import Prefixes, register
from funnel_core.store.tenancy import PK, SK

VISITOR: Final = "VISITOR#"
VIEWED: Final = "VIEWED#"
ENTERED: Final = "ENTERED#"
SUBMITTED: Final = "SUBMITTED#"

register(Prefixes(area="visitors", partitions=(VISITOR,), ids=("vis_",)))


def visitor_pk(group_id: str, visitor_id: str) -> str:
    return f"{VISITOR}{group_id}#{visitor_id}"


def viewed_step_key(group_id: str, visitor_id: str, step_id: str) -> dict[str, str]:
    return {PK: visitor_pk(group_id, visitor_id), SK: f"{VIEWED}{step_id}"}


def entered_funnel_key(group_id: str, visitor_id: str, funnel_id: str) -> dict[str, str]:
    return {PK: visitor_pk(group_id, visitor_id), SK: f"{ENTERED}{funnel_id}"}


def submitted_form_key(group_id: str, visitor_id: str, submission_id: str) -> dict[str, str]:
    return {PK: visitor_pk(group_id, visitor_id), SK: f"{SUBMITTED}{submission_id}"}
