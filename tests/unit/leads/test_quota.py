"""The group's monthly quota of form submissions, counted in shards: exact however posts spread."""

from __future__ import annotations

import pytest

from funnel_core.leads import quota
from funnel_core.store.default import table

MONTH = "2026-12"


@pytest.mark.parametrize("limit", [0, 1, 7, 10, 23, 10_000, 100_000_003])
def test_the_shares_add_up_to_the_limit(limit):
    shares = [quota.share(limit, shard) for shard in range(quota.SHARDS)]

    assert sum(shares) == limit
    assert max(shares) - min(shares) <= 1


def _take(group_id: str, shard: int, limit: int) -> bool:
    try:
        with table().change("vis_test", group_id, check_group=False) as change:
            quota.count_in(change, group_id, MONTH, shard, limit)
    except quota.ShardFull:
        return False
    return True


def test_posts_land_on_shards_with_room_until_the_limit_and_not_one_more(moto_table):
    limit, taken = 23, 0
    while (shard := quota.shard_with_room(table(), "grp_quota", MONTH, limit)) is not None:
        assert _take("grp_quota", shard, limit)
        taken += 1

    assert taken == limit
    assert quota.used(table(), "grp_quota", MONTH) == limit
    assert not any(_take("grp_quota", shard, limit) for shard in range(quota.SHARDS))


def test_a_full_shard_refuses_while_another_still_takes(moto_table):
    assert _take("grp_quota", 0, 12)  # shards 0 and 1 may take 2, the others 1
    assert _take("grp_quota", 0, 12)
    assert not _take("grp_quota", 0, 12)
    assert _take("grp_quota", 5, 12)
    assert quota.counts(table(), "grp_quota", MONTH) == [2, 0, 0, 0, 0, 1, 0, 0, 0, 0]


def test_a_lower_limit_mid_month_stops_the_shards_past_their_new_share(moto_table):
    for _ in range(3):
        assert _take("grp_quota", 4, 40)

    assert not _take("grp_quota", 4, 20)
    assert _take("grp_quota", 4, 40)


def test_a_shard_with_no_share_of_a_small_limit_takes_nothing(moto_table):
    assert not _take("grp_quota", 5, 3)
    assert [_take("grp_quota", shard, 3) for shard in range(quota.SHARDS)] == [True] * 3 + [False] * 7
