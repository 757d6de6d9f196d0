"""The scheduled roll-up: each funnel that had traffic on a recent day gets the ``funnel_analytics``
things of that day, its ISO week and its month, made from its counters, and an
``analytics_generated`` event for each one whose numbers changed.

Which funnels: the day's markers the counters leave (``keys.active_key``), never the visitors'
events, so a run reads the markers, then per funnel its steps and one Query per counter shard
over at most 37 days: its cost grows with funnels, steps and days, never with visitors. Run
twice, it writes the same things (their ids follow from the funnel and the period) and the
second run, finding the numbers the same, writes nothing at all.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from funnel_core.analytics import experiments, keys
from funnel_core.analytics.counters import time_zone_of
from funnel_core.analytics.models import Granularity
from funnel_core.analytics.report import counter_items, figures, period_of
from funnel_core.audit.events import EventType
from funnel_core.builder.funnels import steps_in_order
from funnel_core.container import once
from funnel_core.errors import DomainError
from funnel_core.ids import now_iso
from funnel_core.observability import logger
from funnel_core.ontology import things
from funnel_core.ontology.models.things import Thing, ThingStatus
from funnel_core.store.default import table
from funnel_core.store.table import Query, Table
from funnel_core.store.transaction import ITEM_ABSENT, Condition

JOB = "analytics-job"
FUNNEL_ANALYTICS = "funnel_analytics"


class _Raced(DomainError):
    """Another run rewrote the thing meanwhile: this run leaves it to that one."""

    status, code = 409, "raced"


@dataclass(frozen=True)
class RollUpResult:
    funnels: int = 0
    written: int = 0
    unchanged: int = 0


def periods_of(day: date) -> dict[Granularity, tuple[date, date]]:
    """The day, its ISO week and its month, each as (first day, last day)."""
    monday = day - timedelta(days=day.weekday())
    last_of_month = calendar.monthrange(day.year, day.month)[1]
    return {
        Granularity.DAY: (day, day),
        Granularity.WEEK: (monday, monday + timedelta(days=6)),
        Granularity.MONTH: (day.replace(day=1), day.replace(day=last_of_month)),
    }


def recent_days(now: datetime) -> list[date]:
    """The days some group may be on, or have just finished, wherever it is (UTC-12 to UTC+14)."""
    today = now.astimezone(UTC).date()
    return [today - timedelta(days=1), today, today + timedelta(days=1)]


class RollUps:
    def __init__(self, table: Table) -> None:
        self.table = table

    def run(self, days: list[date] | None = None) -> RollUpResult:
        funnels = written = unchanged = 0
        looked: set[tuple[str, str]] = set()
        for day in days or recent_days(datetime.now(UTC)):
            for group_id, funnel_id in self._active(day):
                funnels += 1
                done, same = self.roll_up(group_id, funnel_id, day)
                written, unchanged = written + done, unchanged + same
                looked.add((group_id, funnel_id))
        # Each running A/B test of those funnels is looked at once a run: its always-valid
        # p-values kept, so the sequential test's running minimum moves even if nobody reads it.
        for group_id, funnel_id in sorted(looked):
            experiments.Experiments(self.table).look_at_running(group_id, funnel_id)
        logger.info("analytics rolled up", extra={"funnels": funnels, "written": written, "unchanged": unchanged})
        return RollUpResult(funnels, written, unchanged)

    def _active(self, day: date) -> list[tuple[str, str]]:
        found = []
        for shard in range(keys.ACTIVE_SHARDS):
            query = Query(partition=keys.active_pk(day.isoformat(), shard), newest_first=False)
            found += [(str(item["groupId"]), str(item["funnelId"])) for item in self.table.query_all(query)]
        return sorted(set(found))

    def roll_up(self, group_id: str, funnel_id: str, day: date) -> tuple[int, int]:
        """The funnel's things of the periods around ``day``: (written, unchanged)."""
        steps = steps_in_order(self.table, group_id, funnel_id)
        if steps is None:
            return 0, 0  # archived or gone since: nothing to report on
        periods = periods_of(day)
        first = min(start for start, _ in periods.values())
        last = max(end for _, end in periods.values())
        items = counter_items(self.table, group_id, funnel_id, first, last)
        zone = time_zone_of(self.table, group_id)
        written = unchanged = 0
        for granularity, (start, end) in periods.items():
            inside = [item for item in items if start.isoformat() <= str(item["day"]) <= end.isoformat()]
            step_figures, totals, _ = figures(steps, inside, granularity)
            period = period_of(start.isoformat(), granularity)
            properties: dict[str, Any] = {
                "funnelId": funnel_id,
                "granularity": granularity.value,
                "period": period,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "timezone": zone,
                "totals": totals.model_dump(mode="json"),
                "steps": [step.model_dump(mode="json") for step in step_figures],
            }
            if self._write(group_id, funnel_id, granularity, period, properties):
                written += 1
            else:
                unchanged += 1
        return written, unchanged

    def _write(
        self, group_id: str, funnel_id: str, granularity: Granularity, period: str, properties: dict[str, Any]
    ) -> bool:
        """Write the period's thing if its numbers changed; True when written."""
        thing_id = keys.rollup_id(funnel_id, granularity.value, period)
        existing = self.table.read(things.thing_ref(group_id, thing_id))
        if existing is not None and existing.properties == properties:
            return False
        at = now_iso()
        thing = Thing(
            thingId=thing_id,
            groupId=group_id,
            type=FUNNEL_ANALYTICS,
            name=f"Analytics of {funnel_id}, {granularity.value} {period}",
            status=ThingStatus.ACTIVE,
            properties=properties,
            version=existing.version + 1 if existing else 1,
            createdAt=existing.createdAt if existing else at,
            updatedAt=at,
            createdBy=JOB,
            updatedBy=JOB,
        )
        condition = (
            ITEM_ABSENT if existing is None else Condition("#v = :v", {"#v": "version"}, {":v": existing.version})
        )
        try:
            with self.table.change(JOB, group_id, check_group=False) as change:
                things.put_in(change, thing, condition, _Raced(f"{thing_id} was rewritten meanwhile"))
                change.record(
                    EventType.ANALYTICS_GENERATED,
                    thing_id,
                    {"funnelId": funnel_id, "granularity": granularity.value, "period": period},
                    at,
                )
        except _Raced:
            return False
        return True


@once
def service() -> RollUps:
    return RollUps(table())
