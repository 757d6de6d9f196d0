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


def render_rollup(runs: list[RollUpRun]) -> str:
    rows = [
        [
            f"{run.views:,}",
            f"{run.counter_items:,}",
            ", ".join(f"{name} x{count}" for name, count in sorted(run.requests.items())),
            f"{sum(run.requests.values())}",
            f"{run.milliseconds:.0f}",
        ]
        for run in runs
    ]
    first, last = runs[0], runs[-1]
    same = "the same" if first.requests == last.requests else "**not the same**"
    return f"""The job's run for the sample funnel's day, once with {first.views:,} views of it and once with
{last.views:,} ({_STEP_SHARE[1]:.0%} of them reaching its second step), the views written as the
counter items their counts leave (the consumer's own key functions), which is all the job reads:
{same} requests, {last.milliseconds / first.milliseconds:.2f}x the time.

{table(["views on the day", "counter items", "DynamoDB requests", "in all", "ms"], rows)}
"""
