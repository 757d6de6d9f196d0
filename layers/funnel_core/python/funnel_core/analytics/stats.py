"""The statistics of a split test, in plain Python (no numerical library in the Lambda layer).

- ``z_test``: SPEC's two-proportion z-test (pooled), its two-sided p-value, and the lift of the
  variant over the control with its 95% interval (the log of the ratio of the rates, Katz's
  interval, as ``scipy.stats.contingency.relative_risk`` gives it), decided only once both arms
  have at least 100 exposures and n·p ≥ 5 and n·(1-p) ≥ 5.
- ``sample_ratio_mismatch``: a chi-square test of the exposures against the configured split;
  p < 0.001 means the assignment is broken (a bot, a redirect that loses one arm), and no
  winner may be read off such a test.
- ``always_valid``: the mixture sequential probability ratio test (mSPRT, Johari et al., "Always
  Valid Inference", 2017) on the difference of the rates: its p-value may be read after every
  visitor and a winner declared the first time it falls under 5%, and the chance of a false
  winner stays at most 5%. The naive z-test read as often declares a false winner far more often:
  ``docs/analytics.md`` has the simulation, the tests re-run it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the normal's 97.5th percentile
MIN_EXPOSURES = 100
ALPHA = 0.05
SRM_ALPHA = 0.001
# The mSPRT's mixing spread on the difference of rates: effects of a few points are the ones a
# funnel's tests look for (Johari et al. choose it near the effects expected).
MIXING_SD = 0.05


def normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2))


@dataclass(frozen=True)
class Arm:
    exposures: int
    conversions: int

    @property
    def rate(self) -> float:
        return self.conversions / self.exposures if self.exposures else 0.0

    @property
    def decidable(self) -> bool:
        """SPEC's conditions for reading a z-test of this arm."""
        n, x = self.exposures, self.conversions
        return n >= MIN_EXPOSURES and x >= 5 and n - x >= 5


@dataclass(frozen=True)
class Comparison:
    z: float
    p_value: float
    lift: float | None  # (variant rate / control rate) - 1
    lift_low: float | None
    lift_high: float | None
    decidable: bool

    @property
    def significant(self) -> bool:
        return self.decidable and self.p_value < ALPHA


def z_test(control: Arm, variant: Arm) -> Comparison:
    n1, n2 = control.exposures, variant.exposures
    decidable = control.decidable and variant.decidable
    if not (n1 and n2):
        return Comparison(0.0, 1.0, None, None, None, False)
    p1, p2 = control.rate, variant.rate
    pooled = (control.conversions + variant.conversions) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (p2 - p1) / spread if spread else 0.0
    p_value = min(1.0, 2 * normal_sf(abs(z)))
    if not (control.conversions and variant.conversions):
        return Comparison(z, p_value, None, None, None, decidable)
    ratio = p2 / p1
    log_spread = math.sqrt(1 / variant.conversions - 1 / n2 + 1 / control.conversions - 1 / n1)
    low, high = (ratio * math.exp(sign * Z_95 * log_spread) for sign in (-1, 1))
    return Comparison(z, p_value, ratio - 1, low - 1, high - 1, decidable)


def chi2_sf(x: float, degrees: int) -> float:
    """P(X > x) for X chi-square with ``degrees`` of freedom: the regularized upper incomplete
    gamma Q(k/2, x/2), by its series below the mean and its continued fraction above."""
    if x <= 0:
        return 1.0
    a, t = degrees / 2, x / 2
    log_front = a * math.log(t) - t - math.lgamma(a)
    if t < a + 1:
        term = total = 1 / a
        n = 0
        while abs(term) > abs(total) * 1e-15 and n < 10_000:
            n += 1
            term *= t / (a + n)
            total += term
        return max(0.0, 1 - total * math.exp(log_front))
    # Lentz's continued fraction for Q.
    tiny = 1e-300
    b = t + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for n in range(1, 10_000):
        an = -n * (n - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return min(1.0, h * math.exp(log_front))


@dataclass(frozen=True)
class RatioCheck:
    chi2: float
    p_value: float

    @property
    def mismatch(self) -> bool:
        return self.p_value < SRM_ALPHA


def sample_ratio_mismatch(exposures: list[int], weights: list[int]) -> RatioCheck:
    """The exposures against the split the test was configured with (weights summing to 100)."""
    total, weight = sum(exposures), sum(weights)
    if total == 0 or len(exposures) < 2:
        return RatioCheck(0.0, 1.0)
    expected = [total * w / weight for w in weights]
    chi2 = sum((seen - wanted) ** 2 / wanted for seen, wanted in zip(exposures, expected, strict=True) if wanted)
    return RatioCheck(chi2, chi2_sf(chi2, len(exposures) - 1))


def msprt_p_value(control: Arm, variant: Arm, mixing_sd: float = MIXING_SD) -> float:
    """1 / the mixture likelihood ratio of "the rates differ" against "they do not", on the
    normal approximation of the difference of the rates; at most 1. Its running minimum is the
    always-valid p-value (``always_valid``)."""
    if not (control.decidable and variant.decidable):
        return 1.0
    p1, p2 = control.rate, variant.rate
    variance = p1 * (1 - p1) / control.exposures + p2 * (1 - p2) / variant.exposures
    if variance <= 0:
        return 1.0
    tau2 = mixing_sd**2
    difference = p2 - p1
    log_ratio = 0.5 * math.log(variance / (variance + tau2)) + difference**2 * tau2 / (2 * variance * (variance + tau2))
    return min(1.0, math.exp(-log_ratio))


def always_valid(previous: float, control: Arm, variant: Arm) -> float:
    """The always-valid p-value after these counts, given the one before (1.0 at the start):
    it only falls, and a test may stop the first time it is under ``ALPHA``."""
    return min(previous, msprt_p_value(control, variant))
