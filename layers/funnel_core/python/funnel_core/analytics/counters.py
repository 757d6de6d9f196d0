"""The counters of a funnel's traffic, fed by the table's stream.

Each visitor event the table's stream delivers adds to one counter item: the funnel's shard of
the visitor, the day in the group's time zone, the step, the A/B variant. ``page_viewed`` adds a
view (and a unique visitor when it was the visitor's first view of the step),
``form_submitted`` an opt-in, ``purchase_completed`` a purchase and its amount to the revenue of
its currency, ``payment_refunded`` what the refund gave back to the refunds of its currency (on
the day of the refund). Bots write no event: their views are added straight to the same items as they are
served (``count_bot``). Each event counts once however often the stream delivers it: its guard
and its addition are one transaction, and a guard already there means it was counted.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from funnel_core.analytics import keys
from funnel_core.audit.events import Event, EventType
from funnel_core.container import once
from funnel_core.errors import DomainError
from funnel_core.ontology.models.groups import Group
from funnel_core.store.codec import deserialize
from funnel_core.store.default import table
from funnel_core.store.items import to_model
from funnel_core.store.table import Table, add_expression
from funnel_core.store.tenancy import group_key
from funnel_core.store.transaction import ITEM_ABSENT, Condition

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

COUNTED_EVENTS = frozenset(
    {EventType.PAGE_VIEWED, EventType.FORM_SUBMITTED, EventType.PURCHASE_COMPLETED, EventType.PAYMENT_REFUNDED}
)
COUNTER = "funnel_counter"
# The stream keeps a record 24 hours: a guard kept two days outlives every redelivery.
GUARD_SECONDS = 2 * 24 * 3600
# A day's markers outlive the job's last look at the day (the day after it ends, where it ends).
_ACTIVE_SECONDS = 7 * 24 * 3600
# A group's time zone, read once per container and then every few minutes.
_ZONE_SECONDS = 300


class _Counted(DomainError):
    status, code = 200, "counted"


def time_zone_of(table: Table, group_id: str) -> str:
    """The group's time zone (its settings'), UTC for a group not found."""
    record = table.get(group_key(group_id))
    return to_model(Group, record).settings.timezone if record else "UTC"


def counter_fields(group_id: str, funnel_id: str, step_id: str, variant: str, day: str) -> dict[str, str]:
    """What a counter item says of itself, beside its counts."""
    return {
        "groupId": group_id,
        "funnelId": funnel_id,
        "stepId": step_id,
        "variant": variant,
        "day": day,
        "entity": COUNTER,
    }


def revenue_attribute(currency: str) -> str:
    return f"revenue_{currency.upper()}"


def refunded_attribute(currency: str) -> str:
    return f"refunded_{currency.upper()}"


def day_in(zone: ZoneInfo, timestamp: str) -> str:
    """The day of ``timestamp`` (ISO 8601, UTC) where the group is."""
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return moment.astimezone(zone).date().isoformat()


def additions(event: Event) -> dict[str, int]:
    """What the event adds to its counter item; empty for an event that counts nothing."""
    metadata = event.metadata
    if event.type == EventType.PAGE_VIEWED:
        return {"views": 1, "uniques": 1} if metadata.get("firstView") else {"views": 1}
    if event.type == EventType.FORM_SUBMITTED:
        return {"optIns": 1}
    if event.type == EventType.PURCHASE_COMPLETED and isinstance(metadata.get("currency"), str):
        return {"purchases": 1, revenue_attribute(metadata["currency"]): int(metadata.get("amount") or 0)}
    if event.type == EventType.PAYMENT_REFUNDED and metadata.get("currency") and metadata.get("refundedNow"):
        return {refunded_attribute(metadata["currency"]): int(metadata["refundedNow"])}
    return {}


def visitor_event(record: DynamoDBRecord) -> Event | None:
    """The visitor event (a view, an opt-in, a purchase, a refund) a stream record holds, if any."""
    image = (record.raw_event.get("dynamodb") or {}).get("NewImage") or {}
    item = deserialize(image)
    if item.get("entity") != "event" or item.get("type") not in COUNTED_EVENTS:
        return None
    return to_model(Event, item)


class Counters:
    def __init__(self, table: Table) -> None:
        self.table = table
        self._zones: dict[str, tuple[float, ZoneInfo]] = {}
        # The (day, group, funnel) this container has marked active already.
        self._marked: set[tuple[str, str, str]] = set()

    def mark_active(self, day: str, group_id: str, funnel_id: str) -> None:
        """Tell the roll-up job the funnel had traffic on the day: once per container."""
        if (day, group_id, funnel_id) in self._marked:
            return
        fields = {
            "groupId": group_id,
            "funnelId": funnel_id,
            "day": day,
            "entity": "active_funnel",
            "ttl": int(time.time()) + _ACTIVE_SECONDS,
        }
        self.table.add(keys.active_key(day, group_id, funnel_id), {"marks": 1}, fields)
        self._marked.add((day, group_id, funnel_id))

    def zone_of(self, group_id: str) -> ZoneInfo:
        known = self._zones.get(group_id)
        if known is not None and time.monotonic() - known[0] < _ZONE_SECONDS:
            return known[1]
        zone = ZoneInfo(time_zone_of(self.table, group_id))
        self._zones[group_id] = (time.monotonic(), zone)
        return zone

    def count_record(self, record: DynamoDBRecord) -> bool:
        """Count one stream record of an event item; False when it counts nothing (not a
        visitor event, or counted already)."""
        event = visitor_event(record)
        return event is not None and self.count(event)

    def count(self, event: Event) -> bool:
        metadata = event.metadata
        funnel_id, step_id = metadata.get("funnelId"), metadata.get("stepId")
        added = additions(event)
        if not (isinstance(funnel_id, str) and isinstance(step_id, str) and added):
            return False
        visitor = str(metadata.get("visitorId") or metadata.get("customerId") or event.eventId)
        day = day_in(self.zone_of(event.groupId), event.timestamp)
        variant = str(metadata.get("variantStepId") or keys.NO_VARIANT)
        key = keys.counter_key(event.groupId, funnel_id, keys.shard_of(visitor), day, step_id, variant)
        guard = {
            **keys.counted_key(event.groupId, event.eventId),
            "entity": "counted_event",
            "ttl": int(time.time()) + GUARD_SECONDS,
        }
        expression, names, values = add_expression(
            added, counter_fields(event.groupId, funnel_id, step_id, variant, day)
        )
        # Marked first: a count that fails is retried and marks nothing more; a mark without its
        # count only has the job compute the same numbers again.
        self.mark_active(day, event.groupId, funnel_id)
        try:
            with self.table.change("analytics", event.groupId, check_group=False) as change:
                change.put(guard, ITEM_ABSENT, _Counted(f"event {event.eventId} was counted"))
                change.update(key, expression, Condition("", names, values))
        except _Counted:
            return False
        return True

    def count_bot(self, group_id: str, funnel_id: str, step_id: str, visitor_id: str, zone: str) -> None:
        """A view a bot made: served, not a visitor's, counted apart (one UpdateItem, no event)."""
        day = datetime.now(UTC).astimezone(ZoneInfo(zone)).date().isoformat()
        key = keys.counter_key(group_id, funnel_id, keys.shard_of(visitor_id), day, step_id, keys.NO_VARIANT)
        self.mark_active(day, group_id, funnel_id)
        self.table.add(key, {"botViews": 1}, counter_fields(group_id, funnel_id, step_id, keys.NO_VARIANT, day))


@once
def service() -> Counters:
    return Counters(table())
