"""Where the analytics counters live.

A funnel's counters are spread over ``COUNTER_SHARDS`` partitions (the shard picked by the
visitor, so one visitor's events add to one shard). Each count is a transaction, whose writes
DynamoDB bills twice: at 10,000 views a second on one funnel each of 32 partitions takes about
312 counts, 625 write units, a second, under the 1,000 a partition takes. Each item counts one
(day, step, variant) of its shard; a report reads the shards' items of its days and adds them
up. A guard per counted event (kept two days, past the stream's 24 hours) makes a redelivered
stream record count nothing.
"""

from __future__ import annotations

import hashlib
from typing import Final

from funnel_core.store.keyspace import Prefixes, register
from funnel_core.store.tenancy import PK, SK

ANALYTICS: Final = "ANALYTICS#"
COUNTED: Final = "COUNTED#"
COUNTER_SHARDS: Final = 32
# Counters of views that are not an A/B test's (every view, until the split tests exist).
NO_VARIANT: Final = "-"

register(Prefixes(area="analytics", partitions=(ANALYTICS,), ids=("fan_",)))


def shard_of(visitor_id: str) -> int:
    digest = hashlib.blake2b(visitor_id.encode(), digest_size=4, person=b"counters").digest()
    return int.from_bytes(digest, "big") % COUNTER_SHARDS


def counters_pk(group_id: str, funnel_id: str, shard: int) -> str:
    return f"{ANALYTICS}{group_id}#FUNNEL#{funnel_id}#C{shard:02d}"


def day_prefix(day: str) -> str:
    return f"DAY#{day}#"


def counter_key(group_id: str, funnel_id: str, shard: int, day: str, step_id: str, variant: str) -> dict[str, str]:
    return {PK: counters_pk(group_id, funnel_id, shard), SK: f"{day_prefix(day)}STEP#{step_id}#VAR#{variant}"}


def counted_key(group_id: str, event_id: str) -> dict[str, str]:
    """The guard of an event counted: its own partition, as the events are spread."""
    return {PK: f"{ANALYTICS}{group_id}#{COUNTED}{event_id}", SK: "COUNTED"}


# A/B tests. A test's counters per arm, spread over the same number of shards by visitor (its
# exposures come at the rate of the control's views); the arm a visitor was first shown, and
# their conversions, in a partition per visitor; the running minimum of each variant's
# always-valid p-value in the test's own item.
AB_TEST: Final = "ABTEST#"


def test_counters_pk(group_id: str, test_id: str, shard: int) -> str:
    return f"{ANALYTICS}{group_id}#{AB_TEST}{test_id}#C{shard:02d}"


def test_counter_key(group_id: str, test_id: str, shard: int, arm: str) -> dict[str, str]:
    return {PK: test_counters_pk(group_id, test_id, shard), SK: f"ARM#{arm}"}


def visitor_tests_pk(group_id: str, visitor_id: str) -> str:
    return f"{ANALYTICS}{group_id}#VISITOR#{visitor_id}"


def exposure_key(group_id: str, visitor_id: str, test_id: str) -> dict[str, str]:
    return {PK: visitor_tests_pk(group_id, visitor_id), SK: f"{AB_TEST}{test_id}"}


def conversion_key(group_id: str, visitor_id: str, test_id: str, metric: str) -> dict[str, str]:
    """A visitor converts once per test and metric: their first opt-in, their first purchase."""
    return {PK: visitor_tests_pk(group_id, visitor_id), SK: f"{AB_TEST}{test_id}#CONVERTED#{metric}"}


def test_counted_key(group_id: str, event_id: str, test_id: str) -> dict[str, str]:
    """The guard of a purchase's revenue added to a test's arm."""
    return {PK: f"{ANALYTICS}{group_id}#{COUNTED}{event_id}", SK: f"{AB_TEST}{test_id}"}


def sequential_key(group_id: str, test_id: str) -> dict[str, str]:
    return {PK: f"{ANALYTICS}{group_id}#{AB_TEST}{test_id}", SK: "SEQUENTIAL"}


# Which funnels had traffic on a day, for the roll-up job: one marker per (day, funnel), written
# once per container, spread over a few partitions by funnel. The job reads these, never the
# visitors' events, so its reads grow with funnels, steps and days.
ACTIVE: Final = "ACTIVE#"
ACTIVE_SHARDS: Final = 8


def active_pk(day: str, shard: int) -> str:
    return f"{ANALYTICS}{ACTIVE}{day}#{shard}"


def active_key(day: str, group_id: str, funnel_id: str) -> dict[str, str]:
    digest = hashlib.blake2b(funnel_id.encode(), digest_size=2).digest()
    return {PK: active_pk(day, int.from_bytes(digest, "big") % ACTIVE_SHARDS), SK: f"{group_id}#{funnel_id}"}


def rollup_id(funnel_id: str, granularity: str, period: str) -> str:
    """The ``funnel_analytics`` thing of a funnel's period: the same id every run, so a run
    again rewrites it rather than adding another."""
    return "fan_" + hashlib.sha256(f"{funnel_id}|{granularity}|{period}".encode()).hexdigest()[:32]
