"""A/B tests' counting and results on DynamoDB Local: exposures once per visitor, conversions
once per visitor and metric for the arm they were shown, revenue once per purchase, all of it
however often the stream delivers the events; the results' statistics from those counts; the
sample-ratio veto and the kept running minimum of the always-valid p-values."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from funnel_core.analytics import experiments, keys, stats
from funnel_core.audit.events import Event, EventType
from funnel_core.builder.models.ab_tests import AbTestStatus
from funnel_core.builder.store.ab_tests import AbTestStore
from funnel_core.store.default import table
from local.samples.world import GROUP, RUNNING_TEST, SPLIT_FUNNEL, SPLIT_STEPS, seed_sample_world

CONTROL, _, VARIANT, _, _ = SPLIT_STEPS
AT = "2026-11-02T10:00:00.000Z"
LATER = "2026-11-02T10:30:00.000Z"


def _event(n: int, event_type: EventType, visitor: str, at: str = LATER, **metadata) -> Event:
    return Event(
        eventId=f"evt_abtest{n:06d}",
        groupId=GROUP,
        type=event_type,
        actorId=visitor,
        targetId=CONTROL,
        timestamp=at,
        metadata={"funnelId": SPLIT_FUNNEL, "stepId": CONTROL, "visitorId": visitor, **metadata},
    )


def _expose(lab: experiments.Experiments, n: int, visitor: str, arm: str) -> Event:
    first = lab.expose(GROUP, SPLIT_FUNNEL, RUNNING_TEST, arm, visitor, AT)
    return _event(n, EventType.PAGE_VIEWED, visitor, AT, abTestId=RUNNING_TEST, variantStepId=arm, exposure=first)


@pytest.fixture
def lab(integration):
    integration.recreate_table()
    seed_sample_world(table())
    return experiments.Experiments(table())


def _test():
    test = AbTestStore(table()).get(GROUP, SPLIT_FUNNEL, RUNNING_TEST)
    assert test is not None
    return test


def test_exposures_and_conversions_count_once_however_often_they_are_delivered(lab):
    views = [_expose(lab, n, f"vis_{n}", CONTROL if n % 2 else VARIANT) for n in range(10)]
    views.append(_expose(lab, 10, "vis_0", VARIANT))  # back again: shown, not exposed again
    opt_ins = [_event(100 + n, EventType.FORM_SUBMITTED, f"vis_{n}") for n in (0, 1, 2)]
    opt_ins.append(_event(103, EventType.FORM_SUBMITTED, "vis_0"))  # a second opt-in: one conversion
    buy = {"amount": 4900, "currency": "USD"}
    purchases = [
        _event(200, EventType.PURCHASE_COMPLETED, "vis_2", **buy),
        _event(201, EventType.PURCHASE_COMPLETED, "vis_2", **buy),  # a second purchase: revenue only
        _event(202, EventType.PURCHASE_COMPLETED, "vis_stranger", **buy),  # never exposed
        _event(203, EventType.PURCHASE_COMPLETED, "vis_3", AT.replace("10:00", "09:00"), **buy),  # before
    ]
    events = [*views, *opt_ins, *purchases]

    added = [lab.count(event) for event in events]
    again = [lab.count(event) for event in events]
    with ThreadPoolExecutor(max_workers=8) as pool:
        racing = list(pool.map(lambda _: lab.count(purchases[1]), range(12)))

    assert sum(added) == 10 + 3 + 2  # exposures, first opt-ins, vis_2's purchases
    assert sum(again) == sum(racing) == 0
    counts = lab.arm_counts(GROUP, RUNNING_TEST)
    assert counts[VARIANT] == {"exposures": 5, "optIns": 2, "purchases": 1, "revenue_USD": 9800}
    assert counts[CONTROL] == {"exposures": 5, "optIns": 1}
    results = lab.results(_test())
    control, variant = results.arms
    assert (control.exposures, control.conversions, variant.exposures, variant.conversions) == (5, 1, 5, 2)
    assert variant.revenuePerVisitor == {"USD": 9800 / 5}


def test_a_stopped_test_takes_no_more_conversions(lab):
    lab.count(_expose(lab, 1, "vis_late", VARIANT))
    lab._running.clear()
    test = _test()
    with table().change("owner", GROUP) as change:
        AbTestStore(table()).replace(
            change,
            test.model_copy(update={"status": AbTestStatus.COMPLETED, "version": test.version + 1}),
            test.version,
        )
    assert lab.count(_event(2, EventType.FORM_SUBMITTED, "vis_late")) == 0


def _set_counts(lab: experiments.Experiments, arms: dict[str, tuple[int, int]]) -> None:
    """Counter items written straight: the figures a busy test would have reached."""
    for arm, (exposures, opt_ins) in arms.items():
        key = keys.test_counter_key(GROUP, RUNNING_TEST, 0, arm)
        table().add(
            key, {"exposures": exposures, "optIns": opt_ins}, experiments.test_counter_fields(GROUP, RUNNING_TEST, arm)
        )


def test_the_results_are_spec_s_z_test_and_the_sequential_winner(lab):
    _set_counts(lab, {CONTROL: (5000, 500), VARIANT: (5000, 650)})
    results = lab.results(_test(), record=True)
    expected = stats.z_test(stats.Arm(5000, 500), stats.Arm(5000, 650))
    [variant] = results.variants
    assert variant.decidable
    assert variant.pValue == pytest.approx(expected.p_value)
    assert (variant.lift, variant.liftLow, variant.liftHigh) == pytest.approx(
        (expected.lift, expected.lift_low, expected.lift_high)
    )
    assert variant.alwaysValidPValue == pytest.approx(stats.msprt_p_value(stats.Arm(5000, 500), stats.Arm(5000, 650)))
    assert variant.sequentialWinner
    assert results.recommendedWinner == VARIANT
    assert not results.sampleRatio.mismatch
    # The look was kept: later counts that look worse cannot raise the always-valid p-value.
    _set_counts(lab, {VARIANT: (0, -140)})
    later = lab.results(_test())
    assert later.variants[0].alwaysValidPValue == pytest.approx(variant.alwaysValidPValue)
    assert later.recommendedWinner == VARIANT


def test_a_sample_ratio_mismatch_blocks_every_winner(lab):
    _set_counts(lab, {CONTROL: (5000, 500), VARIANT: (4000, 600)})  # 50/50 configured
    results = lab.results(_test())
    assert results.sampleRatio.mismatch
    assert results.recommendedWinner is None
    reason = lab.veto(_test())
    assert reason is not None
    assert "sample-ratio mismatch" in reason
