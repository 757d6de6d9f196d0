"""The analytics roll-up's cost against traffic: the same funnel with a thousand views on a day
and with a million, the job's DynamoDB requests and time side by side.

A million views are not sent through the stream here: they are written as the counter items
their counts leave, by the consumer's own key functions (each visitor to its shard, each shard's
views added up), which is all the job ever reads."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from local.bench.calls import CallRecorder
from local.bench.markdown import table

DAY = date(2026, 11, 25)
TRAFFIC = (1_000, 1_000_000)
# Of the views, as a funnel's steps might see them: the first step's visitors, then fewer.
_STEP_SHARE = (1.0, 0.4, 0.1)


@dataclass(frozen=True)
class RollUpRun:
    views: int
    counter_items: int
    requests: Counter[str]
    milliseconds: float


def _seed_counters(views: int) -> int:
    """The counter items ``views`` visitors of the sample funnel's steps leave on the day; how many."""
    from funnel_core.analytics import counters, keys
    from funnel_core.store.default import table
    from local.samples.world import FUNNEL, GROUP, SECOND_STEP, STEP

    steps = (STEP, SECOND_STEP)
    per_shard: Counter[tuple[str, int]] = Counter()
    for step, share in zip(steps, _STEP_SHARE, strict=False):
        for n in range(int(views * share)):
            per_shard[(step, keys.shard_of(f"vis_{n:012d}"))] += 1
    store = table()
    for (step, shard), count in per_shard.items():
        key = keys.counter_key(GROUP, FUNNEL, shard, DAY.isoformat(), step, keys.NO_VARIANT)
        fields = counters.counter_fields(GROUP, FUNNEL, step, keys.NO_VARIANT, DAY.isoformat())
        store.add(key, {"views": count, "uniques": count}, fields)
    counters.Counters(store).mark_active(DAY.isoformat(), GROUP, FUNNEL)
    return len(per_shard)


def measure_rollup(recorder: CallRecorder, reset: Callable[[], None]) -> list[RollUpRun]:
    """One run of the job per traffic level, each on a fresh sample world (``reset``)."""
    from funnel_core.analytics import rollup
    from funnel_core.store.default import table

    runs = []
    for views in TRAFFIC:
        reset()
        items = _seed_counters(views)
        recorder.take()
        started = time.perf_counter()
        result = rollup.RollUps(table()).run([DAY])
        elapsed = (time.perf_counter() - started) * 1000
        calls = recorder.take()
        assert result.written == 3, result
        runs.append(RollUpRun(views, items, Counter(call.operation for call in calls), elapsed))
    return runs


def _requests_row(first: str, counter_items: int, requests: Counter[str], milliseconds: float) -> list[str]:
    """A run as a row: what it is, the counter items it read, its requests by kind and in all, its time."""
    kinds = ", ".join(f"{name} x{count}" for name, count in sorted(requests.items()))
    return [first, f"{counter_items:,}", kinds, f"{sum(requests.values())}", f"{milliseconds:.0f}"]


def render_rollup(runs: list[RollUpRun]) -> str:
    rows = [_requests_row(f"{run.views:,}", run.counter_items, run.requests, run.milliseconds) for run in runs]
    first, last = runs[0], runs[-1]
    same = "the same" if first.requests == last.requests else "**not the same**"
    return f"""The job's run for the sample funnel's day, once with {first.views:,} views of it and once with
{last.views:,} ({_STEP_SHARE[1]:.0%} of them reaching its second step), the views written as the
counter items their counts leave (the consumer's own key functions), which is all the job reads:
{same} requests, {last.milliseconds / first.milliseconds:.2f}x the time.

{table(["views on the day", "counter items", "DynamoDB requests", "in all", "ms"], rows)}
"""


# ---------------------------------------------------------------- the report over 90 days

REPORT_DAYS = (1, 90)
_LOOKS = 5


@dataclass(frozen=True)
class ReportRun:
    days: int
    counter_items: int
    requests: Counter[str]
    milliseconds: float  # the median of a few reads


def _seed_days(days: int) -> int:
    """Counter items for every shard, both steps of the sample funnel, each of ``days`` days up
    to ``DAY``: the most a range of that length holds (a shard with traffic every day)."""
    from datetime import timedelta

    from funnel_core.analytics import counters, keys
    from funnel_core.store.default import table
    from local.samples.world import FUNNEL, GROUP, SECOND_STEP, STEP

    items = []
    for back in range(days):
        day = (DAY - timedelta(days=back)).isoformat()
        for step in (STEP, SECOND_STEP):
            for shard in range(keys.COUNTER_SHARDS):
                key = keys.counter_key(GROUP, FUNNEL, shard, day, step, keys.NO_VARIANT)
                fields = counters.counter_fields(GROUP, FUNNEL, step, keys.NO_VARIANT, day)
                items.append({**key, **fields, "views": 30, "uniques": 20, "optIns": 2})
    table().batch_write(puts=items)  # the items as the counts leave them, written 25 at a time
    return len(items)


def measure_report_range(recorder: CallRecorder, reset: Callable[[], None]) -> list[ReportRun]:
    """``GET .../analytics`` for one day and for 90, on a funnel with counters on all of them."""
    import statistics
    from datetime import timedelta

    from funnel_core.analytics.models import Granularity
    from funnel_core.analytics.report import Reports
    from funnel_core.caller import Caller
    from funnel_core.store.default import table
    from local.samples.world import FUNNEL, GROUP, OWNER

    reset()
    items = _seed_days(max(REPORT_DAYS))
    owner = Caller(person_id=OWNER, email=None, name=None, identity_groups=frozenset())
    runs = []
    for days in REPORT_DAYS:
        first = DAY - timedelta(days=days - 1)
        times, calls = [], []
        for _ in range(_LOOKS):
            recorder.take()
            started = time.perf_counter()
            report = Reports(table()).funnel(owner, GROUP, FUNNEL, first, DAY, Granularity.DAY)
            times.append((time.perf_counter() - started) * 1000)
            calls = recorder.take()
            assert len(report.periods) == days, len(report.periods)
        in_range = items * days // max(REPORT_DAYS)
        runs.append(ReportRun(days, in_range, Counter(call.operation for call in calls), statistics.median(times)))
    return runs


def render_report_range(runs: list[ReportRun]) -> str:
    rows = [_requests_row(f"{run.days}", run.counter_items, run.requests, run.milliseconds) for run in runs]
    first, last = runs[0], runs[-1]
    same = "as" if first.requests == last.requests else "**not as**"
    return f"""`GET .../analytics` of the sample funnel (in process, median of {_LOOKS}), its counters on every
shard, step and day: {sum(last.requests.values())} requests for {last.days} days {same} for {first.days}
(a Query per shard, whatever the range), {last.milliseconds / first.milliseconds:.1f}x the time for
{last.counter_items // first.counter_items}x the counter items read.

{table(["days", "counter items read", "DynamoDB requests", "in all", "ms"], rows)}
"""


# ---------------------------------------------------------------- the stream consumer

STREAM_RECORDS = 1_000
STREAM_BATCH = 100


@dataclass(frozen=True)
class StreamRun:
    records: int
    batch: int
    seconds: float
    archive_seconds: float  # of which archiving (the objects' PUTs)
    objects: int


def _view_records(count: int) -> list[dict]:
    """The stream's INSERT records of ``count`` page views of the sample funnel's first step,
    a visitor each, as Lambda hands them over."""
    from funnel_core.audit import keys as audit_keys
    from funnel_core.audit.events import Event, EventType
    from funnel_core.store.codec import serialize
    from funnel_core.store.items import as_item
    from local.samples.world import FUNNEL, GROUP, STEP

    records = []
    for n in range(count):
        at = f"{DAY.isoformat()}T12:{n // 60 % 60:02d}:{n % 60:02d}.000Z"
        visitor = f"vis_bench{n:013d}"
        event = Event(
            eventId=f"evt_stream{n:010d}",
            groupId=GROUP,
            type=EventType.PAGE_VIEWED,
            actorId=visitor,
            targetId=STEP,
            timestamp=at,
            metadata={"funnelId": FUNNEL, "stepId": STEP, "visitorId": visitor, "firstView": True, "version": 1},
        )
        key = audit_keys.visitor_event_key(GROUP, n % audit_keys.VISITOR_EVENT_SHARDS, at, event.eventId)
        records.append(
            {
                "eventID": f"bench-{n:08d}",
                "eventName": "INSERT",
                "eventSource": "aws:dynamodb",
                "dynamodb": {"SequenceNumber": f"{n:021d}", "NewImage": serialize(as_item(event, "event", key))},
            }
        )
    return records


def measure_stream(reset: Callable[[], None], count: int = STREAM_RECORDS) -> StreamRun:
    """The events consumer (counting and archiving) over ``count`` page views in batches, on the
    local stack."""
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

    from funnel_core.audit import archive
    from local.lambda_events import LambdaContext

    reset()
    handler = __import__("audit.archive_events", fromlist=["lambda_handler"]).lambda_handler
    records = _view_records(count)
    context = LambdaContext(function_name="AuditArchiveFunction")
    started = time.perf_counter()
    for start in range(0, len(records), STREAM_BATCH):
        answer = handler({"Records": records[start : start + STREAM_BATCH]}, context)
        assert answer["batchItemFailures"] == [], answer
    seconds = time.perf_counter() - started
    archived = time.perf_counter()
    objects = 0
    for start in range(0, len(records), STREAM_BATCH):
        objects += len(archive.archive([DynamoDBRecord(r) for r in records[start : start + STREAM_BATCH]]))
    return StreamRun(len(records), STREAM_BATCH, seconds, time.perf_counter() - archived, objects)


def render_stream(run: StreamRun) -> str:
    rate = run.records / run.seconds
    return f"""The events consumer (`AuditArchiveFunction`'s handler, in process) over {run.records:,} page views of
the sample funnel in batches of {run.batch}, each a new visitor (a counter transaction each), on
DynamoDB Local and moto's S3: **{rate:,.0f} records a second**, {run.seconds * 1000 / run.records:.2f} ms a
record. Archiving alone (the same batches again): {run.objects} objects, {run.archive_seconds:.2f} s, so
{run.archive_seconds / run.seconds:.0%} of the consumer's time; the rest is counting, one
TransactWriteItems a view. On AWS a shard's batches run one at a time, so this is about one shard's rate;
the table's stream has as many shards as its partitions.
"""
