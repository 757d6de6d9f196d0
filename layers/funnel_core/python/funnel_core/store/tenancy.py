"""The root of the key design: every tenant-owned item's partition key starts with its group's.

A group's own item is the tenant's root; a change that writes inside a group checks that item is
not archived (``store.change``). Each area's keys (``<area>/keys.py``) build on ``group_pk``.
"""

from __future__ import annotations

from typing import Final

from funnel_core.store.keyspace import Prefixes, register

PK: Final = "PK"
SK: Final = "SK"
GROUP_META: Final = "GROUP"

register(Prefixes(area="tenancy", partitions=("GROUP#",), sorts=(GROUP_META,)))


def group_pk(group_id: str) -> str:
    return f"GROUP#{group_id}"


def group_key(group_id: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: GROUP_META}
