"""The leads area's keys: the guard that makes a customer unique per normalized email in its
group, the guard that makes each form post (its token, or its Idempotency-Key) write once, the
per-visitor rate windows, and the group's monthly count of submissions."""

from __future__ import annotations

import hashlib
from typing import Final

from funnel_core.store.keyspace import Prefixes, register
from funnel_core.store.tenancy import PK, SK, group_pk

CUSTOMER_EMAIL: Final = "CUSTOMEREMAIL#"
FORM_POST: Final = "FORMPOST#"
RATE: Final = "RATE#"
MONTHLY_SUBMISSIONS: Final = "formSubmissions"

FUNNEL_SUBMISSIONS: Final = "#SUBMISSIONS#"
CUSTOMER_SUBMISSIONS: Final = "#CUSTOMERSUBMISSIONS#"

register(
    Prefixes(
        area="leads",
        partitions=(RATE,),
        group_partitions=(FUNNEL_SUBMISSIONS, CUSTOMER_SUBMISSIONS),
        sorts=(CUSTOMER_EMAIL, FORM_POST),
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


def customer_email_key(group_id: str, email: str) -> dict[str, str]:
    # Hashed: a key is visible in logs and metrics, an email address must not be.
    return {PK: group_pk(group_id), SK: f"{CUSTOMER_EMAIL}{_digest(email)}"}


def form_post_key(group_id: str, replay_key: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"{FORM_POST}{_digest(replay_key)}"}


def rate_key(funnel_id: str, client: str, window: int) -> dict[str, str]:
    return {PK: f"{RATE}{funnel_id}#{_digest(client)}", SK: str(window)}


def monthly_submissions_attribute(month: str) -> str:
    """The group item's count of accepted submissions in ``month`` (YYYY-MM)."""
    return f"{MONTHLY_SUBMISSIONS}#{month}"
