"""The split tests' statistics: the z-test, its p-value and the lift's interval agree with scipy
on known tables; the sample-ratio check flags a broken split; and, simulated, the naive z-test
read after every 100 visitors declares false winners far more often than 5% while the
always-valid test stays at or under 5%, and still finds a real 10% lift."""

from __future__ import annotations

import random

import pytest
from scipy.stats import chi2, chi2_contingency, chisquare
from scipy.stats.contingency import relative_risk

from funnel_core.analytics.stats import (
    ALPHA,
    Arm,
    always_valid,
    chi2_sf,
    sample_ratio_mismatch,
    z_test,
)

TABLES = [
    # (control conversions, exposures), (variant conversions, exposures)
    ((120, 1000), (150, 1000)),
    ((45, 500), (62, 480)),
    ((10, 200), (25, 210)),
    ((300, 10_000), (290, 10_050)),
    ((7, 100), (12, 100)),
]


@pytest.mark.parametrize(("control", "variant"), TABLES)
def test_the_z_test_agrees_with_scipy(control, variant):
    found = z_test(Arm(control[1], control[0]), Arm(variant[1], variant[0]))

    table = [[variant[0], variant[1] - variant[0]], [control[0], control[1] - control[0]]]
    statistic, p_value, _, _ = chi2_contingency(table, correction=False)
    # The pooled two-proportion z-test is the uncorrected chi-square test of the 2x2 table.
    assert found.z**2 == pytest.approx(statistic, rel=1e-9)
    assert found.p_value == pytest.approx(p_value, rel=1e-9)
    assert (found.z > 0) == (variant[0] / variant[1] > control[0] / control[1])
    risk = relative_risk(variant[0], variant[1], control[0], control[1])
    interval = risk.confidence_interval(confidence_level=0.95)
    assert found.lift == pytest.approx(risk.relative_risk - 1, rel=1e-9)
    assert found.lift_low == pytest.approx(interval.low - 1, rel=1e-9)
    assert found.lift_high == pytest.approx(interval.high - 1, rel=1e-9)


def test_a_winner_is_read_only_off_enough_data():
    assert z_test(Arm(99, 30), Arm(1000, 500)).decidable is False  # under 100 exposures
    assert z_test(Arm(1000, 4), Arm(1000, 40)).decidable is False  # n*p under 5
    assert z_test(Arm(1000, 997), Arm(1000, 900)).decidable is False  # n*(1-p) under 5
    strong = z_test(Arm(1000, 100), Arm(1000, 160))
    assert strong.decidable
    assert strong.significant
    assert not z_test(Arm(1000, 100), Arm(1000, 104)).significant


@pytest.mark.parametrize(("x", "degrees"), [(0.5, 1), (3.84, 1), (10.8, 1), (2.0, 2), (7.8, 3), (30.0, 4), (80, 9)])
def test_the_chi_square_tail_agrees_with_scipy(x, degrees):
    assert chi2_sf(x, degrees) == pytest.approx(chi2.sf(x, degrees), rel=1e-9, abs=1e-300)


def test_a_broken_split_is_flagged():
    fine = sample_ratio_mismatch([5040, 4960], [50, 50])
    assert not fine.mismatch
    broken = sample_ratio_mismatch([5300, 4700], [50, 50])
    assert broken.mismatch
    expected = chisquare([5300, 4700], [5000, 5000])
    assert broken.chi2 == pytest.approx(expected.statistic)
    assert broken.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    weighted = sample_ratio_mismatch([2010, 3030, 4960], [20, 30, 50])
    assert not weighted.mismatch


def _run(rng: random.Random, control_rate: float, variant_rate: float, visitors: int) -> tuple[bool, bool]:
    """One simulated test, looked at after every 100 visitors: (the naive z-test ever declared a
    winner, the always-valid test ever did)."""
    arms = [[0, 0], [0, 0]]
    naive = valid = False
    p = 1.0
    for visitor in range(1, visitors + 1):
        arm = visitor % 2
        arms[arm][0] += 1
        arms[arm][1] += rng.random() < (variant_rate if arm else control_rate)
        if visitor % 100:
            continue
        control, variant = Arm(*arms[0]), Arm(*arms[1])
        naive = naive or z_test(control, variant).significant
        p = always_valid(p, control, variant)
        valid = valid or p < ALPHA
    return naive, valid


def test_peeking_fools_the_naive_test_and_not_the_always_valid_one():
    rng = random.Random(1)
    runs = [_run(rng, 0.1, 0.1, 10_000) for _ in range(400)]
    naive = sum(found for found, _ in runs) / len(runs)
    valid = sum(found for _, found in runs) / len(runs)
    assert naive > 0.25  # looked at 100 times, about one A/A test in three "wins"
    assert valid <= ALPHA  # about one in fifty


def test_a_real_ten_percent_lift_is_found():
    rng = random.Random(7)
    runs = [_run(rng, 0.2, 0.22, 40_000) for _ in range(20)]
    assert sum(found for _, found in runs) / len(runs) >= 0.8
