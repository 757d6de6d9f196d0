"""Where audit events live: a partition of their own per group, newest last, indexed by target,
actor and type. The stream's filter and the archive know events by the ``EVENTS#`` prefix."""

from __future__ import annotations

from typing import Final

from funnel_core.store.keyspace import Prefixes, register
from funnel_core.store.tenancy import PK, SK

EVENTS: Final = "EVENTS#"

register(Prefixes(area="audit", partitions=(EVENTS,), ids=("evt_",)))


def events_pk(group_id: str) -> str:
    return f"{EVENTS}{group_id}"


def event_key(group_id: str, timestamp: str, event_id: str) -> dict[str, str]:
    return {PK: events_pk(group_id), SK: f"{timestamp}#{event_id}"}


# Visitor events (page views) arrive at a visitor's pace, not a builder's: spread over shards by
# visitor, so a viral funnel's views never crowd one partition (docs/pages.md).
VISITOR_EVENT_SHARDS: Final = 64


def visitor_events_pk(group_id: str, shard: int) -> str:
    return f"{events_pk(group_id)}#V{shard:02d}"


def visitor_event_key(group_id: str, shard: int, timestamp: str, event_id: str) -> dict[str, str]:
    return {PK: visitor_events_pk(group_id, shard), SK: f"{timestamp}#{event_id}"}


def events_by_target_pk(group_id: str, target_id: str) -> str:
    return f"{events_pk(group_id)}#TARGET#{target_id}"


def events_by_actor_pk(group_id: str, actor_id: str) -> str:
    return f"{events_pk(group_id)}#ACTOR#{actor_id}"


def events_by_type_pk(group_id: str, event_type: str) -> str:
    return f"{events_pk(group_id)}#TYPE#{event_type}"


def event_index(
    group_id: str, target_id: str, actor_id: str, event_type: str, timestamp: str, event_id: str
) -> dict[str, str]:
    sort = f"{timestamp}#{event_id}"
    return {
        "GSI1PK": events_by_target_pk(group_id, target_id),
        "GSI1SK": sort,
        "GSI2PK": events_by_actor_pk(group_id, actor_id),
        "GSI2SK": sort,
        "GSI3PK": events_by_type_pk(group_id, event_type),
        "GSI3SK": sort,
    }
