"""The group's monthly quota of form submissions (``settings.limits.monthlyFormSubmissions``),
counted in shards so a viral funnel's opt-ins never all write one item.

Shard ``n`` may take its share of the limit (a tenth, the remainder going to the first shards,
so the shares add up to the limit exactly). A post counts itself in a random shard, in the
transaction that writes the submission; when that shard is full, one BatchGetItem of all ten says
which still have room, and the post goes to one of those. Only when none has is it refused.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from funnel_core.errors import DomainError
from funnel_core.leads import keys
from funnel_core.store.change import Change
from funnel_core.store.items import key_of
from funnel_core.store.table import Table
from funnel_core.store.transaction import Condition

SHARDS = keys.SUBMISSION_COUNT_SHARDS
# A month's counts are kept two months past it, then DynamoDB's TTL takes them.
_KEPT_DAYS = 62
COUNT = "count"


class ShardFull(DomainError):
    """This shard took its share of the month; another may have room."""

    status, code = 429, "shard_full"

    def __init__(self, shard: int) -> None:
        super().__init__(f"submission count shard {shard} is full")
        self.shard = shard


def share(limit: int, shard: int) -> int:
    """What shard ``shard`` may count of ``limit``; the shares add up to ``limit``."""
    return limit // SHARDS + (1 if shard < limit % SHARDS else 0)


def any_shard() -> int:
    return random.randrange(SHARDS)  # noqa: S311 - spreading load, not a secret


def _expiry(month: str) -> int:
    year, number = int(month[:4]), int(month[5:7])
    following = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
    return int(following.timestamp()) + _KEPT_DAYS * 86_400


def count_in(change: Change, group_id: str, month: str, shard: int, limit: int) -> None:
    """One more accepted submission in ``month``, refused (``ShardFull``) past the shard's share.
    A shard whose share is nothing (a limit under ten) is refused without asking DynamoDB: its
    item may not exist, and an absent count passes the condition."""
    if share(limit, shard) == 0:
        raise ShardFull(shard)
    condition = Condition(
        "attribute_not_exists(#count) OR #count < :share",
        {"#count": COUNT, "#entity": "entity", "#ttl": "ttl"},
        {
            ":share": share(limit, shard),
            ":zero": 0,
            ":one": 1,
            ":entity": "submission_count",
            ":ttl": _expiry(month),
        },
    )
    change.update(
        keys.submission_count_key(group_id, month, shard),
        "SET #count = if_not_exists(#count, :zero) + :one, #entity = :entity, #ttl = :ttl",
        condition,
        ShardFull(shard),
    )


def counts(table: Table, group_id: str, month: str) -> list[int]:
    """Each shard's count of ``month``, in one BatchGetItem."""
    shard_keys = [keys.submission_count_key(group_id, month, shard) for shard in range(SHARDS)]
    found = table.batch_get(shard_keys)
    return [int(found.get(key_of(key), {}).get(COUNT, 0)) for key in shard_keys]


def used(table: Table, group_id: str, month: str) -> int:
    """The group's accepted submissions in ``month``."""
    return sum(counts(table, group_id, month))


def shard_with_room(table: Table, group_id: str, month: str, limit: int) -> int | None:
    """A shard that can still count one more this month, or None when the month is used up."""
    room = [shard for shard, taken in enumerate(counts(table, group_id, month)) if taken < share(limit, shard)]
    return random.choice(room) if room else None  # noqa: S311 - spreading load, not a secret
