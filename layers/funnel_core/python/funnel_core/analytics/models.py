"""The analytics routes' shapes: counts as counted, and the rates of ../shared/SPEC.md section 4
(``docs/analytics.md`` defines each, with a worked example)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from funnel_core.builder.models.ab_tests import AbTest
from funnel_core.models.common import Record

# A money figure by currency, in the currency's minor unit (cents, yen): revenue never mixes them.
ByCurrency = dict[str, int]
RateByCurrency = dict[str, float]


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"  # ISO weeks, Monday first, named by their Monday
    MONTH = "month"


class Counts(Record):
    views: int = 0
    uniqueVisitors: int = 0
    optIns: int = 0
    purchases: int = 0
    revenue: ByCurrency = Field(default_factory=dict)
    # Given back by refunds made in the range (of purchases of any day): revenue stays gross.
    refunded: ByCurrency = Field(default_factory=dict)
    # Views by known crawlers: served, never in the figures above.
    botViews: int = 0


class VariantFigures(Counts):
    # The step served: the control step itself, or one of an A/B test's variants ("-": no test).
    variant: str
    optInRate: float | None = None


class StepFigures(Counts):
    stepId: str
    name: str | None = None
    sequence: int | None = None  # None: a step removed since, whose counts remain
    optInRate: float | None = None
    stepConversion: float | None = None  # None for step 1, and after a step nobody reached
    dropOff: float | None = None
    variants: list[VariantFigures] = Field(default_factory=list)


class PeriodStep(Counts):
    stepId: str


class PeriodFigures(Record):
    period: str  # the day, the Monday of the week, or the month (YYYY-MM)
    steps: list[PeriodStep] = Field(default_factory=list)


class FunnelTotals(Counts):
    overallConversion: float | None = None
    earningsPerClick: RateByCurrency = Field(default_factory=dict)
    averageOrderValue: RateByCurrency = Field(default_factory=dict)


class FunnelAnalytics(Record):
    groupId: str
    funnelId: str
    name: str
    start: str = Field(alias="from")
    to: str
    granularity: Granularity
    timezone: str
    totals: FunnelTotals
    steps: list[StepFigures]
    periods: list[PeriodFigures]


class ArmResult(Record):
    stepId: str
    role: str  # control or variant
    weight: int
    exposures: int  # visitors shown this arm
    conversions: int  # of them, visitors who converted by the test's metric
    rate: float
    revenue: dict[str, int] = Field(default_factory=dict)  # minor units by currency
    revenuePerVisitor: RateByCurrency = Field(default_factory=dict)


class VariantResult(Record):
    """A variant against the control."""

    stepId: str
    decidable: bool  # SPEC's gates: >= 100 exposures and n*p, n*(1-p) >= 5 in both arms
    z: float
    pValue: float  # the two-proportion z-test's, two-sided (read once, at a sample size fixed beforehand)
    significant: bool
    lift: float | None = None  # variant rate / control rate - 1
    liftLow: float | None = None  # its 95% interval
    liftHigh: float | None = None
    alwaysValidPValue: float  # mSPRT, valid however often it is looked at
    sequentialWinner: bool  # under 5% (divided by the number of variants) and better than the control


class RatioResult(Record):
    chiSquare: float
    pValue: float
    mismatch: bool  # p < 0.001: the split is broken, no winner may be read


class AbTestResults(Record):
    metric: str
    arms: list[ArmResult]
    variants: list[VariantResult]
    sampleRatio: RatioResult
    # The variant the always-valid test says won, if any (never with a sample-ratio mismatch).
    recommendedWinner: str | None = None


class AbTestWithResults(AbTest):
    results: AbTestResults
