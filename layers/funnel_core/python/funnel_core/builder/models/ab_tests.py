"""A/B tests: a funnel's control step against variant steps, visitors split between them by
``trafficSplit`` weights, judged on opt-ins or purchases.

A test's variant steps are steps of the funnel held out of its flow: no URL of their own, no
place in the step sequence a visitor walks. While the test runs, each visitor of the control's
URL is served one of its arms (the control or a variant) by a hash of their visitor id and the
test id; a variant chosen as the winner is then served to everyone at the control's URL."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from funnel_core.models.common import Body, Id, Name, Record

# A control and at most four variants: each arm needs its own share of the traffic to decide.
MAX_VARIANTS = 4
Weight = Annotated[int, Field(ge=1, le=99)]


class AbTestMetric(StrEnum):
    OPT_IN = "opt_in"
    PURCHASE = "purchase"


class AbTestStatus(StrEnum):
    DRAFT = "draft"
    RUNNING = "running"
    COMPLETED = "completed"


class AbTestCreate(Body):
    name: Name | None = None
    controlStepId: Id
    variantStepIds: list[Id] = Field(min_length=1, max_length=MAX_VARIANTS)
    # Whole percentages, the control's first, then each variant's in order; they add up to 100.
    trafficSplit: list[Weight] | None = Field(
        default=None, description="Weights of the control and each variant, in order, summing to 100; even if left out"
    )
    metric: AbTestMetric = AbTestMetric.OPT_IN

    @model_validator(mode="after")
    def _arms(self) -> AbTestCreate:
        arms = [self.controlStepId, *self.variantStepIds]
        if len(set(arms)) != len(arms):
            raise ValueError("variantStepIds must be distinct steps, none of them the control")
        if self.trafficSplit is not None:
            if len(self.trafficSplit) != len(arms):
                raise ValueError(f"trafficSplit needs {len(arms)} weights: the control's, then each variant's")
            if sum(self.trafficSplit) != 100:
                raise ValueError(f"trafficSplit must add up to 100, not {sum(self.trafficSplit)}")
        return self


def even_split(arms: int) -> list[int]:
    """100 shared as evenly as whole percentages allow, the remainder to the first arms."""
    share, left = divmod(100, arms)
    return [share + (1 if arm < left else 0) for arm in range(arms)]


class AbTestWinner(Body):
    stepId: Id


class AbTest(Record):
    abTestId: str
    thingId: str
    groupId: str
    funnelId: str
    type: str = "ab_test"
    name: str
    controlStepId: str
    variantStepIds: list[str]
    trafficSplit: list[int]
    metric: AbTestMetric
    status: AbTestStatus = AbTestStatus.DRAFT
    winnerStepId: str | None = None
    startedAt: str | None = None
    completedAt: str | None = None
    version: int = 1
    createdAt: str
    updatedAt: str
    createdBy: str
    updatedBy: str

    @property
    def arms(self) -> list[str]:
        """The control first, then the variants: the order of ``trafficSplit``."""
        return [self.controlStepId, *self.variantStepIds]

    def split(self) -> LiveSplit:
        return LiveSplit(
            testId=self.abTestId,
            controlStepId=self.controlStepId,
            armStepIds=self.arms,
            weights=self.trafficSplit,
            status=self.status,
            winnerStepId=self.winnerStepId,
        )


class LiveSplit(Record):
    """What a test makes of the funnel's live pages, kept on the funnel item (so a change of it
    is a new funnel revision, which the page projection orders its writes by): its variant steps
    are out of the flow; running, the control's URL serves its arms by weight; completed with a
    variant as the winner, the control's URL serves the winner."""

    testId: str
    controlStepId: str
    armStepIds: list[str]
    weights: list[int]
    status: AbTestStatus
    winnerStepId: str | None = None

    @property
    def variant_step_ids(self) -> list[str]:
        return self.armStepIds[1:]
