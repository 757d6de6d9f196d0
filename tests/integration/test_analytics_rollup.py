"""The scheduled roll-up on DynamoDB Local: the funnels that had traffic get their day, week and
month things; a second run writes nothing; its cost does not grow with the visitors; and the
local scheduler runs it on the template's schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from funnel_core.analytics import counters, keys, rollup
from funnel_core.audit.events import Event, EventType
from funnel_core.ontology import things
from funnel_core.store.client import dynamodb
from funnel_core.store.default import table
from funnel_core.store.paging import PageRequest
from local.net import wait_until
from local.samples.world import FUNNEL, GROUP, SECOND_STEP, STEP, seed_sample_world
from local.scheduler import Scheduler
from local.template import rate_seconds, scheduled_functions

DAY = date(2026, 11, 25)  # a Wednesday


def _views(first: int, count: int, step: str = STEP) -> None:
    count_ = counters.Counters(table())
    for n in range(first, first + count):
        event = Event(
            eventId=f"evt_rollup{n:08d}",
            groupId=GROUP,
            type=EventType.PAGE_VIEWED,
            actorId=f"vis_{n}",
            targetId=step,
            timestamp=f"{DAY.isoformat()}T12:00:00.000Z",
            metadata={"funnelId": FUNNEL, "stepId": step, "visitorId": f"vis_{n}", "firstView": True},
        )
        assert count_.count(event)


def _rollups() -> dict[str, dict]:
    page = things.page_of_type(
        table(), GROUP, "funnel_analytics", None, PageRequest(limit=50, cursor=None, binding="t")
    )
    return {f"{t.properties['granularity']} {t.properties['period']}": t.properties for t in page.items}


def _generated() -> int:
    from funnel_core.audit.keys import events_by_type_pk
    from funnel_core.store.table import Query

    return len(list(table().query_all(Query(partition=events_by_type_pk(GROUP, "analytics_generated"), index="GSI3"))))


class _Calls:
    """Every DynamoDB request the handlers' client makes, by operation."""

    def __init__(self) -> None:
        self.made: list[str] = []

    def __call__(self, model, **_) -> None:
        self.made.append(model.name)


@pytest.fixture
def calls():
    recorder = _Calls()
    client = dynamodb()
    client.meta.events.register("before-call.dynamodb", recorder)
    yield recorder
    client.meta.events.unregister("before-call.dynamodb", recorder)


def test_a_run_rolls_the_days_traffic_up_and_a_second_run_writes_nothing(integration, calls):
    integration.recreate_table()
    seed_sample_world(table())
    _views(0, 10)
    _views(100, 4, step=SECOND_STEP)

    first = rollup.RollUps(table()).run([DAY])
    again = rollup.RollUps(table()).run([DAY])

    assert (first.funnels, first.written, first.unchanged) == (1, 3, 0)
    assert (again.funnels, again.written, again.unchanged) == (1, 0, 3)
    found = _rollups()
    assert set(found) == {"day 2026-11-25", "week 2026-11-23", "month 2026-11"}
    day = found["day 2026-11-25"]
    assert [step["uniqueVisitors"] for step in day["steps"]] == [10, 4]
    assert day["steps"][1]["stepConversion"] == 0.4
    assert (found["week 2026-11-23"]["from"], found["week 2026-11-23"]["to"]) == ("2026-11-23", "2026-11-29")
    assert found["month 2026-11"]["to"] == "2026-11-30"
    assert _generated() == 3  # one per thing written, none for the run that changed nothing


def test_the_jobs_reads_do_not_grow_with_the_visitors(integration, calls):
    integration.recreate_table()
    seed_sample_world(table())
    _views(0, 10)
    calls.made.clear()
    rollup.RollUps(table()).run([DAY])
    few = list(calls.made)

    _views(1000, 300)  # thirty times the visitors, on the same day and steps
    calls.made.clear()
    rollup.RollUps(table()).run([DAY])

    assert sorted(calls.made) == sorted(few)
    assert few.count("Query") == keys.ACTIVE_SHARDS + keys.COUNTER_SHARDS + 1  # markers, counters, the funnel
    assert _rollups()["day 2026-11-25"]["totals"]["views"] == 310


def test_nothing_to_roll_up_on_a_quiet_day(integration):
    integration.recreate_table()
    seed_sample_world(table())
    assert rollup.RollUps(table()).run([date(2026, 1, 1)]).funnels == 0
    assert rollup.recent_days(datetime(2026, 11, 25, 0, 30, tzinfo=UTC)) == [
        date(2026, 11, 24),
        DAY,
        date(2026, 11, 26),
    ]


def test_the_local_scheduler_runs_the_templates_schedule(integration):
    integration.recreate_table()
    seed_sample_world(table())
    _views(0, 3)
    [schedule] = [s for s in scheduled_functions() if s.logical_id == "AnalyticsRollUpFunction"]
    assert rate_seconds(schedule.expression) == 3600

    # Today's traffic (the job rolls up the recent days), and a schedule sped up for the test.
    today = datetime.now(UTC).date()
    now = Event(
        eventId="evt_scheduled0001",
        groupId=GROUP,
        type=EventType.PAGE_VIEWED,
        actorId="vis_s",
        targetId=STEP,
        timestamp=datetime.now(UTC).isoformat(),
        metadata={"funnelId": FUNNEL, "stepId": STEP, "visitorId": "vis_s"},
    )
    assert counters.Counters(table()).count(now)
    with Scheduler([schedule], region=integration.region, every=0.2) as scheduler:
        wait_until(lambda: scheduler.runs["AnalyticsRollUpFunction"] >= 2, timeout=60, what="two scheduled runs")
    assert f"day {today.isoformat()}" in _rollups()


@pytest.mark.parametrize(
    ("expression", "seconds"), [("rate(1 hour)", 3600), ("rate(5 minutes)", 300), ("rate(2 days)", 172800)]
)
def test_rates_are_read_as_eventbridge_reads_them(expression, seconds):
    assert rate_seconds(expression) == seconds


@pytest.mark.parametrize("expression", ["rate(1 hours)", "rate(5 minute)", "rate(0 minutes)", "cron(0 * * * ? *)"])
def test_what_the_local_scheduler_cannot_run_is_refused(expression):
    with pytest.raises(ValueError, match="rate"):
        rate_seconds(expression)
