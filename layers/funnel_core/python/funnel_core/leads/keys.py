"""The leads area's keys: the guard that makes each form post (its token, or its
Idempotency-Key) write once, the per-visitor rate windows, and the shards of the group's monthly
count of submissions (the guard that keeps one customer per email is the ontology's).

A viral funnel's opt-ins all belong to one group, so nothing a form post writes per post sits in
the group's own partition except the two things it makes (the customer and the submission): each
guard is a partition of its own, the monthly count is spread over ``SUBMISSION_COUNT_SHARDS``
partitions (``docs/pages.md``)."""

from __future__ import annotations

import hashlib
from typing import Final

from funnel_core.store.keyspace import Prefixes, register
from funnel_core.store.tenancy import PK, SK, group_pk

RATE: Final = "RATE#"

FUNNEL_SUBMISSIONS: Final = "#SUBMISSIONS#"
CUSTOMER_SUBMISSIONS: Final = "#CUSTOMERSUBMISSIONS#"
FORM_POST: Final = "#FORMPOST#"
SUBMISSION_COUNT: Final = "#SUBMISSIONCOUNT#"
# Each shard takes a tenth of a viral funnel's opt-ins; ten reads answer the month's total.
SUBMISSION_COUNT_SHARDS: Final = 10

register(
    Prefixes(
        area="leads",
        partitions=(RATE,),
        group_partitions=(FUNNEL_SUBMISSIONS, CUSTOMER_SUBMISSIONS, FORM_POST, SUBMISSION_COUNT),
    )
)


def funnel_submissions_pk(group_id: str, funnel_id: str) -> str:
    """A funnel's submissions, newest last by time: the owner's list and the CSV export read
    them in one Query (a copy of each submission thing, written in the same transaction)."""
    return f"{group_pk(group_id)}{FUNNEL_SUBMISSIONS}{funnel_id}"


def funnel_submission_key(group_id: str, funnel_id: str, created_at: str, submission_id: str) -> dict[str, str]:
    return {PK: funnel_submissions_pk(group_id, funnel_id), SK: f"{created_at}#{submission_id}"}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:40]


def customer_submission_key(group_id: str, customer_id: str, submission_id: str) -> dict[str, str]:
    """Which submissions are a customer's: what erasing their personal data reaches."""
    return {PK: f"{group_pk(group_id)}{CUSTOMER_SUBMISSIONS}{customer_id}", SK: submission_id}


def customer_submissions_pk(group_id: str, customer_id: str) -> str:
    return f"{group_pk(group_id)}{CUSTOMER_SUBMISSIONS}{customer_id}"


def form_post_key(group_id: str, replay_key: str) -> dict[str, str]:
    return {PK: f"{group_pk(group_id)}{FORM_POST}{_digest(replay_key)}", SK: "FORMPOST"}


def submission_count_key(group_id: str, month: str, shard: int) -> dict[str, str]:
    """One shard of the group's count of accepted submissions in ``month`` (YYYY-MM)."""
    return {PK: f"{group_pk(group_id)}{SUBMISSION_COUNT}{month}#{shard:02d}", SK: "COUNT"}


def rate_key(funnel_id: str, client: str, window: int) -> dict[str, str]:
    return {PK: f"{RATE}{funnel_id}#{_digest(client)}", SK: str(window)}
