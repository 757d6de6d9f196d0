"""A/B tests' counts and results.

- **Exposure.** The first view of a running test's arm by a visitor (the view beacon, through
  ``expose``) records the arm in the visitor's partition, and its ``page_viewed`` event says so
  (``exposure``); counting that event adds one exposure to the arm.
- **Conversions.** An opt-in (``form_submitted``) or a purchase (``purchase_completed``) by a
  visitor counts for every running test of its funnel they were exposed to, once per visitor and
  metric (a guard in their partition): the arm they were shown converted, whatever step they
  converted on. Each purchase's amount adds to the arm's revenue (a guard per event and test).
  So a test of a sales page is judged by the purchases on the order page after it.
- **Results.** The arms' counts (one Query per counter shard), SPEC's z-test of each variant
  against the control, the sample-ratio check, and the always-valid (mSPRT) p-value, whose
  running minimum over every look is kept: the recommended winner is the variant whose
  always-valid p-value fell under 5% (Bonferroni-divided by the number of variants), with a
  better rate than the control and no sample-ratio mismatch; a mismatch blocks every winner.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from funnel_core.analytics import keys, stats
from funnel_core.analytics.counters import GUARD_SECONDS, revenue_attribute
from funnel_core.analytics.models import AbTestResults, ArmResult, RatioResult, VariantResult
from funnel_core.audit.events import Event, EventType
from funnel_core.builder import keys as builder_keys
from funnel_core.builder.models.ab_tests import AbTest, AbTestMetric, AbTestStatus
from funnel_core.builder.models.aggregate import Funnel
from funnel_core.container import once
from funnel_core.errors import DomainError
from funnel_core.store.default import table
from funnel_core.store.items import to_model
from funnel_core.store.table import Query, Ref, Table, add_expression
from funnel_core.store.transaction import ITEM_ABSENT, Condition

TEST_COUNTER = "ab_test_counter"
EXPOSURE = "ab_exposure"
# Whether a test still runs, read once a minute per container: a conversion moments after a
# test ends may still count, none after.
_STATUS_SECONDS = 60
_METRIC_OF = {EventType.FORM_SUBMITTED: AbTestMetric.OPT_IN, EventType.PURCHASE_COMPLETED: AbTestMetric.PURCHASE}
_CONVERSIONS = {AbTestMetric.OPT_IN: "optIns", AbTestMetric.PURCHASE: "purchases"}


class _Guarded(DomainError):
    status, code = 200, "counted"


class _Converted(DomainError):
    status, code = 200, "converted"


def test_counter_fields(group_id: str, test_id: str, arm: str) -> dict[str, str]:
    return {"groupId": group_id, "abTestId": test_id, "stepId": arm, "entity": TEST_COUNTER}


class Experiments:
    def __init__(self, table: Table) -> None:
        self.table = table
        self._running: dict[tuple[str, str, str], tuple[float, bool]] = {}

    # --- the view beacon -------------------------------------------------------------------

    def expose(self, group_id: str, funnel_id: str, test_id: str, arm: str, visitor_id: str, at: str) -> bool:
        """Record the arm a visitor is shown; True the first time (later views change nothing:
        the assignment is deterministic, so it is the same arm)."""
        item = {
            **keys.exposure_key(group_id, visitor_id, test_id),
            "entity": EXPOSURE,
            "groupId": group_id,
            "funnelId": funnel_id,
            "abTestId": test_id,
            "variantStepId": arm,
            "visitorId": visitor_id,
            "exposedAt": at,
        }
        return self.table.put_if(item, ITEM_ABSENT)

    # --- the stream ------------------------------------------------------------------------

    def count(self, event: Event) -> int:
        """What the event adds to tests' counters: an exposure, or a conversion of each test the
        visitor was exposed to; how many counters it added to."""
        metadata = event.metadata
        visitor = metadata.get("visitorId")
        if not isinstance(visitor, str):
            return 0
        if event.type == EventType.PAGE_VIEWED:
            test_id, arm = metadata.get("abTestId"), metadata.get("variantStepId")
            if not (metadata.get("exposure") and isinstance(test_id, str) and isinstance(arm, str)):
                return 0
            return int(self._add(event, test_id, arm, {"exposures": 1}, guard_conversion=None))
        metric = _METRIC_OF.get(EventType(event.type)) if event.type in _METRIC_OF else None
        if metric is None or not isinstance(metadata.get("funnelId"), str):
            return 0
        counted = 0
        for exposure in self._exposures(event.groupId, visitor):
            if exposure.get("funnelId") != metadata["funnelId"] or exposure.get("exposedAt", "") > event.timestamp:
                continue
            test_id, arm = str(exposure["abTestId"]), str(exposure["variantStepId"])
            if not self._is_running(event.groupId, str(exposure["funnelId"]), test_id):
                continue
            converted = {_CONVERSIONS[metric]: 1}
            revenue: dict[str, int] = {}
            if metric is AbTestMetric.PURCHASE and isinstance(metadata.get("currency"), str):
                revenue = {revenue_attribute(metadata["currency"]): int(metadata.get("amount") or 0)}
            counted += self._convert(event, test_id, arm, visitor, metric, converted, revenue)
        return counted

    def _exposures(self, group_id: str, visitor_id: str) -> list[dict[str, Any]]:
        query = Query(keys.visitor_tests_pk(group_id, visitor_id), sort_prefix=keys.AB_TEST, newest_first=False)
        return [item for item in self.table.query_all(query) if item.get("entity") == EXPOSURE]

    def _is_running(self, group_id: str, funnel_id: str, test_id: str) -> bool:
        known = self._running.get((group_id, funnel_id, test_id))
        if known is not None and time.monotonic() - known[0] < _STATUS_SECONDS:
            return known[1]
        record = self.table.get(builder_keys.ab_test_key(group_id, funnel_id, test_id))
        running = record is not None and to_model(AbTest, record).status is AbTestStatus.RUNNING
        self._running[(group_id, funnel_id, test_id)] = (time.monotonic(), running)
        return running

    def _convert(
        self,
        event: Event,
        test_id: str,
        arm: str,
        visitor: str,
        metric: AbTestMetric,
        added: dict[str, int],
        revenue: dict[str, int],
    ) -> int:
        """The visitor's first conversion of this metric adds one (and a purchase's revenue); a
        later purchase adds only its revenue; a redelivered event adds nothing."""
        conversion = keys.conversion_key(event.groupId, visitor, test_id, metric)
        try:
            return int(self._add(event, test_id, arm, {**added, **revenue}, guard_conversion=conversion))
        except _Converted:
            return int(bool(revenue) and self._add(event, test_id, arm, revenue, guard_conversion=None))

    def _add(
        self, event: Event, test_id: str, arm: str, added: dict[str, int], *, guard_conversion: dict[str, str] | None
    ) -> bool:
        key = keys.test_counter_key(event.groupId, test_id, keys.shard_of(str(event.metadata["visitorId"])), arm)
        expression, names, values = add_expression(added, test_counter_fields(event.groupId, test_id, arm))
        guard: dict[str, Any] = {
            **keys.test_counted_key(event.groupId, event.eventId, test_id),
            "entity": "counted_event",
            "ttl": int(time.time()) + GUARD_SECONDS,
        }
        try:
            with self.table.change("analytics", event.groupId, check_group=False) as change:
                change.put(guard, ITEM_ABSENT, _Guarded(f"event {event.eventId} was counted for {test_id}"))
                if guard_conversion is not None:
                    converted = {**guard_conversion, "entity": "ab_conversion", "eventId": event.eventId}
                    change.put(converted, ITEM_ABSENT, _Converted("converted before"))
                change.update(key, expression, Condition("", names, values))
        except _Guarded:
            return False
        return True

    # --- results ---------------------------------------------------------------------------

    def arm_counts(self, group_id: str, test_id: str) -> dict[str, dict[str, int]]:
        """Each arm's counts, added up over the shards (one Query each, eight at a time)."""

        def shard(n: int) -> list[dict[str, Any]]:
            query = Query(partition=keys.test_counters_pk(group_id, test_id, n), newest_first=False)
            return [item for item in self.table.query_all(query) if item.get("entity") == TEST_COUNTER]

        totals: dict[str, dict[str, int]] = {}
        with ThreadPoolExecutor(max_workers=8) as pool:
            for items in pool.map(shard, range(keys.COUNTER_SHARDS)):
                for item in items:
                    arm = totals.setdefault(str(item["stepId"]), {})
                    for name, value in item.items():
                        if isinstance(value, int) and not isinstance(value, bool) and name not in ("ttl",):
                            arm[name] = arm.get(name, 0) + value
        return totals

    def results(self, test: AbTest, *, record: bool = False) -> AbTestResults:
        """The test's results now. With ``record``, this look's always-valid p-values are kept
        (the hourly roll-up's looks and a winner's choice; a read looks without writing)."""
        counts = self.arm_counts(test.groupId, test.abTestId)
        conversions = _CONVERSIONS[test.metric]
        arms = [
            _arm_result(step_id, n, test.trafficSplit[n], counts.get(step_id, {}), conversions)
            for n, step_id in enumerate(test.arms)
        ]
        ratio = stats.sample_ratio_mismatch([arm.exposures for arm in arms], test.trafficSplit)
        control = stats.Arm(arms[0].exposures, arms[0].conversions)
        looked = self._look(test, control, arms[1:], record=record)
        alpha = stats.ALPHA / len(test.variantStepIds)
        variants = []
        for arm in arms[1:]:
            comparison = stats.z_test(control, stats.Arm(arm.exposures, arm.conversions))
            valid = looked[arm.stepId]
            variants.append(
                VariantResult(
                    stepId=arm.stepId,
                    decidable=comparison.decidable,
                    z=comparison.z,
                    pValue=comparison.p_value,
                    significant=comparison.significant,
                    lift=comparison.lift,
                    liftLow=comparison.lift_low,
                    liftHigh=comparison.lift_high,
                    alwaysValidPValue=valid,
                    sequentialWinner=valid < alpha and arm.rate > arms[0].rate,
                )
            )
        winners = sorted((v for v in variants if v.sequentialWinner), key=lambda v: v.alwaysValidPValue)
        recommended = None if ratio.mismatch or not winners else winners[0].stepId
        return AbTestResults(
            metric=test.metric,
            arms=arms,
            variants=variants,
            sampleRatio=RatioResult(chiSquare=ratio.chi2, pValue=ratio.p_value, mismatch=ratio.mismatch),
            recommendedWinner=recommended,
        )

    def veto(self, test: AbTest) -> str | None:
        """Why no winner may be chosen now: a sample-ratio mismatch (the split is broken)."""
        ratio = self.results(test, record=True).sampleRatio
        if ratio.mismatch:
            return (
                f"the arms' exposures do not match the split {test.trafficSplit} "
                f"(sample-ratio mismatch, p = {ratio.pValue:.2g}): fix the assignment before choosing a winner"
            )
        return None

    def look_at_running(self, group_id: str, funnel_id: str) -> int:
        """Record a look at each running test of the funnel (the roll-up's, hourly): how many."""
        record = self.table.get(builder_keys.funnel_key(group_id, funnel_id))
        running = (
            [s.testId for s in to_model(Funnel, record).splits if s.status is AbTestStatus.RUNNING] if record else []
        )
        for test_id in running:
            test = self.table.read(Ref.to(builder_keys.ab_test_key(group_id, funnel_id, test_id), AbTest))
            if test is not None and test.status is AbTestStatus.RUNNING:
                self.results(test, record=True)
        return len(running)

    def _look(self, test: AbTest, control: stats.Arm, variants: list[ArmResult], *, record: bool) -> dict[str, float]:
        """Each variant's always-valid p-value after this look: the running minimum over every
        look so far (kept in the test's own item; a completed test's is read, not moved)."""
        key = keys.sequential_key(test.groupId, test.abTestId)
        kept = self.table.get(key) or {}
        before = {arm.stepId: float(kept.get(f"p_{arm.stepId}", 1.0)) for arm in variants}
        if test.status is not AbTestStatus.RUNNING:
            return before
        now = {
            arm.stepId: stats.always_valid(before[arm.stepId], control, stats.Arm(arm.exposures, arm.conversions))
            for arm in variants
        }
        lower = {step: p for step, p in now.items() if p < before[step]}
        if lower and record:
            names = {f"#p{n}": f"p_{step}" for n, step in enumerate(lower)}
            values = {f":p{n}": p for n, p in enumerate(lower.values())}  # the codec makes them Decimal
            sets = ", ".join(f"#p{n} = :p{n}" for n in range(len(lower)))
            # Only ever down: two looks at once both keep the lower.
            checks = " AND ".join(f"(attribute_not_exists(#p{n}) OR #p{n} > :p{n})" for n in range(len(lower)))
            condition = Condition(checks, names, {**values, ":entity": "ab_sequential"})
            self.table.update_if(key, f"SET {sets}, entity = :entity", condition)
        return now


def _arm_result(step_id: str, index: int, weight: int, counts: dict[str, int], conversions: str) -> ArmResult:
    exposures, converted = counts.get("exposures", 0), counts.get(conversions, 0)
    revenue = {name.removeprefix("revenue_"): value for name, value in counts.items() if name.startswith("revenue_")}
    return ArmResult(
        stepId=step_id,
        role="control" if index == 0 else "variant",
        weight=weight,
        exposures=exposures,
        conversions=converted,
        rate=converted / exposures if exposures else 0.0,
        revenue=revenue,
        revenuePerVisitor={currency: amount / exposures for currency, amount in revenue.items()} if exposures else {},
    )


@once
def service() -> Experiments:
    return Experiments(table())
