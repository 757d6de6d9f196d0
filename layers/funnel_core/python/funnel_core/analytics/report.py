"""A funnel's analytics over a range of days: its counters read and added up, and the rates of
../shared/SPEC.md section 4 computed from the sums (``docs/analytics.md``).

The read is one Query per counter shard (32, eight at a time), each over the range's items of that
shard: its cost grows with days, steps and variants, never with visitors. A range is at most
``MAX_DAYS`` long.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from funnel_core.analytics import keys
from funnel_core.analytics.counters import COUNTER, time_zone_of
from funnel_core.analytics.models import (
    Counts,
    FunnelAnalytics,
    FunnelTotals,
    Granularity,
    PeriodFigures,
    PeriodStep,
    StepFigures,
    VariantFigures,
)
from funnel_core.builder import funnels
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import ValidationFailed
from funnel_core.store.default import table
from funnel_core.store.table import Query, Table

MAX_DAYS = 366
DEFAULT_DAYS = 30
_REVENUE = "revenue_"
_REFUNDED = "refunded_"


def ratio(part: int, whole: int) -> float | None:
    """``part / whole``, rounded to four places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def period_of(day: str, granularity: Granularity) -> str:
    if granularity is Granularity.DAY:
        return day
    if granularity is Granularity.MONTH:
        return day[:7]
    moment = date.fromisoformat(day)
    return (moment - timedelta(days=moment.weekday())).isoformat()


def _add(into: Counts, item: dict[str, Any]) -> None:
    into.views += int(item.get("views", 0))
    into.uniqueVisitors += int(item.get("uniques", 0))
    into.optIns += int(item.get("optIns", 0))
    into.purchases += int(item.get("purchases", 0))
    into.botViews += int(item.get("botViews", 0))
    for name, value in item.items():
        for prefix, sums in ((_REVENUE, into.revenue), (_REFUNDED, into.refunded)):
            if name.startswith(prefix):
                currency = name.removeprefix(prefix)
                sums[currency] = sums.get(currency, 0) + int(value)


def range_of(start: date | None, end: date | None, zone: ZoneInfo) -> tuple[date, date]:
    """The days asked for, checked: both ends included, the last 30 days where the group is by default."""
    today = datetime.now(zone).date()
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationFailed.on("from", f"from ({start}) is after to ({end})")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationFailed.on("to", f"a report covers at most {MAX_DAYS} days; ask for a shorter range")
    return start, end


def figures(
    steps: list[tuple[str, str]], items: Iterable[dict[str, Any]], granularity: Granularity
) -> tuple[list[StepFigures], FunnelTotals, list[PeriodFigures]]:
    """The report of counter ``items`` for the funnel's ``steps`` ((id, name) in sequence)."""
    by_step: dict[str, StepFigures] = {
        step_id: StepFigures(stepId=step_id, name=name, sequence=n) for n, (step_id, name) in enumerate(steps, 1)
    }
    variants: dict[tuple[str, str], VariantFigures] = {}
    periods: dict[str, dict[str, PeriodStep]] = defaultdict(dict)
    totals = FunnelTotals()
    for item in items:
        _add(totals, item)
        step_id = str(item["stepId"])
        step = by_step.setdefault(step_id, StepFigures(stepId=step_id))
        _add(step, item)
        variant = str(item.get("variant") or keys.NO_VARIANT)
        _add(variants.setdefault((step_id, variant), VariantFigures(variant=variant)), item)
        period = periods[period_of(str(item["day"]), granularity)]
        _add(period.setdefault(step_id, PeriodStep(stepId=step_id)), item)
    ordered = sorted(by_step.values(), key=lambda s: (s.sequence is None, s.sequence or 0, s.stepId))
    live = [step for step in ordered if step.sequence is not None]
    for step in ordered:
        step.optInRate = ratio(step.optIns, step.uniqueVisitors)
        step.variants = sorted(
            (figure for (step_id, _), figure in variants.items() if step_id == step.stepId), key=lambda v: v.variant
        )
        for figure in step.variants:
            figure.optInRate = ratio(figure.optIns, figure.uniqueVisitors)
    for before, step in pairwise(live):
        step.stepConversion = ratio(step.uniqueVisitors, before.uniqueVisitors)
        step.dropOff = None if step.stepConversion is None else round(1 - step.stepConversion, 4)
    # The funnel's visitors are those who entered it (step 1's), not the sum over its steps.
    totals.uniqueVisitors = 0
    if live:
        entered, reached = live[0].uniqueVisitors, live[-1].uniqueVisitors
        totals.uniqueVisitors = entered
        totals.overallConversion = ratio(reached, entered)
        totals.earningsPerClick = {
            currency: round(amount / entered, 2) for currency, amount in totals.revenue.items() if entered
        }
    totals.averageOrderValue = {
        currency: round(amount / totals.purchases, 2) for currency, amount in totals.revenue.items() if totals.purchases
    }
    by_period = [
        PeriodFigures(period=name, steps=sorted(period.values(), key=lambda s: s.stepId))
        for name, period in sorted(periods.items())
    ]
    return ordered, totals, by_period


class Reports:
    def __init__(self, table: Table) -> None:
        self.table = table

    def funnel(
        self,
        caller: Caller,
        group_id: str,
        funnel_id: str,
        start: date | None,
        end: date | None,
        granularity: Granularity,
    ) -> FunnelAnalytics:
        view = funnels.service().get(caller, group_id, funnel_id)  # authorizes: a funnel reader
        zone_name = time_zone_of(self.table, group_id)
        first, last = range_of(start, end, ZoneInfo(zone_name))
        items = counter_items(self.table, group_id, funnel_id, first, last)
        # The funnel as visitors walk it: an A/B test's variants are counted under their control.
        flow = [(s.stepId, s.name) for s in view.steps if s.stepId not in view.held_out()]
        steps, totals, periods = figures(flow, items, granularity)
        return FunnelAnalytics.model_validate(
            {
                "groupId": group_id,
                "funnelId": funnel_id,
                "name": view.name,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "granularity": granularity,
                "timezone": zone_name,
                "totals": totals,
                "steps": steps,
                "periods": periods,
            }
        )


def counter_items(table: Table, group_id: str, funnel_id: str, first: date, last: date) -> list[dict[str, Any]]:
    """Every counter item of the funnel's days from ``first`` to ``last``: one Query per shard."""
    between = (keys.day_prefix(first.isoformat()), keys.day_prefix(last.isoformat()) + "~")

    def shard(n: int) -> list[dict[str, Any]]:
        query = Query(partition=keys.counters_pk(group_id, funnel_id, n), sort_between=between, newest_first=False)
        return [item for item in table.query_all(query) if item.get("entity") == COUNTER]

    with ThreadPoolExecutor(max_workers=8) as pool:
        return [item for found in pool.map(shard, range(keys.COUNTER_SHARDS)) for item in found]


@once
def service() -> Reports:
    return Reports(table())
