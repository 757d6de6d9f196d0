"""The analytics counters on DynamoDB Local: each event counts once however often the stream
delivers it, on the day where the group is, and a report adds the shards up."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from funnel_core.analytics import counters, keys
from funnel_core.analytics.models import Granularity
from funnel_core.analytics.report import Reports
from funnel_core.audit import keys as audit_keys
from funnel_core.audit.events import Event, EventType
from funnel_core.caller import Caller
from funnel_core.store.codec import serialize
from funnel_core.store.default import table
from funnel_core.store.items import as_item
from funnel_core.store.tenancy import group_key
from local.samples.world import FUNNEL, GROUP, OWNER, SECOND_STEP, STEP, seed_sample_world


def _event(n: int, event_type: EventType, step: str, at: str, **metadata) -> Event:
    return Event(
        eventId=f"evt_counted{n:06d}",
        groupId=GROUP,
        type=event_type,
        actorId=f"vis_{n % 7}",
        targetId=step,
        timestamp=at,
        metadata={"funnelId": FUNNEL, "stepId": step, "visitorId": f"vis_{n % 7}", **metadata},
    )


def _record(event: Event) -> DynamoDBRecord:
    """The stream's INSERT record of the event's item, as Lambda hands it over."""
    item = as_item(event, "event", audit_keys.visitor_event_key(GROUP, 1, event.timestamp, event.eventId))
    return DynamoDBRecord({"eventID": "1", "eventName": "INSERT", "dynamodb": {"NewImage": serialize(item)}})


def _report(start: str, end: str):
    caller = Caller(person_id=OWNER, email=None, name=None, identity_groups=frozenset())
    return Reports(table()).funnel(
        caller, GROUP, FUNNEL, date.fromisoformat(start), date.fromisoformat(end), Granularity.DAY
    )


def test_each_event_counts_once_however_often_it_is_delivered(integration):
    integration.recreate_table()
    seed_sample_world(table())
    count = counters.Counters(table())
    views = [_event(n, EventType.PAGE_VIEWED, STEP, "2026-11-02T10:00:00.000Z", firstView=n < 7) for n in range(40)]
    optins = [_event(100 + n, EventType.FORM_SUBMITTED, STEP, "2026-11-02T10:05:00.000Z") for n in range(5)]
    paid = _event(200, EventType.PURCHASE_COMPLETED, SECOND_STEP, "2026-11-02T11:00:00Z", amount=4900, currency="USD")
    records = [_record(event) for event in [*views, *optins, paid]]

    taken = [count.count_record(record) for record in records]
    # A batch retried whole, and the same records twenty at once.
    again = [count.count_record(record) for record in records]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda _: count.count_record(records[0]), range(20)))

    assert taken == [True] * len(records)
    assert not any(again)
    assert not any(concurrent)
    report = _report("2026-11-01", "2026-11-03")
    first, second = report.steps
    assert (first.views, first.uniqueVisitors, first.optIns) == (40, 7, 5)
    assert (second.purchases, second.revenue) == (1, {"USD": 4900})
    assert report.totals.revenue == {"USD": 4900}
    # The views went to several shards (by visitor), and the report added them up.
    shards = {keys.shard_of(f"vis_{n}") for n in range(7)}
    assert len(shards) > 1


def test_events_of_no_funnel_step_count_nothing(integration):
    integration.recreate_table()
    seed_sample_world(table())
    count = counters.Counters(table())
    published = Event(
        eventId="evt_published0001", groupId=GROUP, type=EventType.FUNNEL_PUBLISHED, actorId=OWNER,
        targetId=FUNNEL, timestamp="2026-11-02T10:00:00Z", metadata={"funnelId": FUNNEL},
    )  # fmt: skip
    assert count.count_record(_record(published)) is False
    assert count.count(_event(1, EventType.PAGE_VIEWED, STEP, "2026-11-02T10:00:00Z", funnelId=None)) is False


def test_the_day_is_the_groups(integration):
    integration.recreate_table()
    seed_sample_world(table())
    group = table().get(group_key(GROUP))
    assert group is not None
    table().batch_write(puts=[{**group, "settings": {**group.get("settings", {}), "timezone": "Asia/Tokyo"}}])
    count = counters.Counters(table())
    # 20:00 UTC on 2 November is 05:00 on 3 November in Tokyo.
    assert count.count(_event(1, EventType.PAGE_VIEWED, STEP, "2026-11-02T20:00:00.000Z", firstView=True))

    assert _report("2026-11-02", "2026-11-02").steps[0].views == 0
    report = _report("2026-11-03", "2026-11-03")
    assert report.steps[0].views == 1
    assert report.timezone == "Asia/Tokyo"
