"""The analytics routes' shapes: counts as counted, and the rates of ../shared/SPEC.md section 4
(``docs/analytics.md`` defines each, with a worked example)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

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
