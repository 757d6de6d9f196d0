"""The funnel aggregate as stored and as answered: a funnel, its steps in sequence, and each
step's elements in position order."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from funnel_core.builder.models.ab_tests import LiveSplit
from funnel_core.builder.models.custom_code import CustomCode
from funnel_core.builder.models.products import SoldProduct
from funnel_core.models.common import Record


class FunnelStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Funnel(Record):
    funnelId: str
    # Funnels are things of type "funnel": the generic listing finds them under that type.
    thingId: str
    groupId: str
    type: str = "funnel"
    name: str
    slug: str
    status: FunnelStatus = FunnelStatus.DRAFT
    properties: dict[str, Any] = Field(default_factory=dict)
    # The step order is the funnel's: a step's sequence is its place in this list (1-based),
    # so the sequence is 1..n with no gaps and no duplicates by construction.
    stepIds: list[str] = Field(default_factory=list)
    # Bumped by every structural change (steps added, removed, reordered); conditions on it
    # serialize concurrent writers without disturbing the client's ``version``.
    structureVersion: int = 0
    liveVersion: int | None = None
    latestVersion: int = 0
    publishedAt: str | None = None
    templateId: str | None = None
    # What the funnel's A/B tests make of its live pages (``builder.ab_tests``).
    splits: list[LiveSplit] = Field(default_factory=list)
    version: int = 1
    createdAt: str
    updatedAt: str
    createdBy: str
    updatedBy: str

    def held_out(self) -> set[str]:
        """The steps no visitor walks to: every A/B test's variants."""
        return {step_id for split in self.splits for step_id in split.variant_step_ids}


class FunnelStep(Record):
    stepId: str
    funnelId: str
    groupId: str
    name: str
    slug: str
    stepType: str
    properties: dict[str, Any] = Field(default_factory=dict)
    elementIds: list[str] = Field(default_factory=list)
    structureVersion: int = 0
    pageTemplateId: str | None = None
    version: int = 1
    createdAt: str
    updatedAt: str
    createdBy: str | None = None


class PageElement(Record):
    elementId: str
    stepId: str
    funnelId: str
    groupId: str
    elementType: str
    settings: dict[str, Any] = Field(default_factory=dict)
    styling: dict[str, Any] = Field(default_factory=dict)
    visibility: dict[str, Any] = Field(default_factory=dict)
    # The optional layout box on the 1920-wide canvas; the order within the step is the step's.
    layout: dict[str, Any] | None = None
    version: int = 1
    createdAt: str
    updatedAt: str
    createdBy: str | None = None


class ElementView(PageElement):
    position: int


class StepView(FunnelStep):
    sequence: int
    elements: list[ElementView]


class FunnelView(Funnel):
    steps: list[StepView]
    # Live custom code, oldest first (owners' snippets: builder.models.custom_code).
    customCode: list[CustomCode] = Field(default_factory=list)
    # The products the steps sell, as they were when this version was published (empty in a
    # draft: the products' own routes have them as they are now).
    products: dict[str, SoldProduct] = Field(default_factory=dict)


class FunnelAggregate(Record):
    """Everything one Query of the funnel's item collection returns, before it is ordered."""

    funnel: Funnel
    steps: dict[str, FunnelStep]
    elements: dict[str, PageElement]
    custom_code: dict[str, CustomCode] = Field(default_factory=dict)

    def is_whole(self) -> bool:
        """Every step the funnel lists, and every element those steps list, was read."""
        return all(
            step_id in self.steps and all(element_id in self.elements for element_id in self.steps[step_id].elementIds)
            for step_id in self.funnel.stepIds
        )

    def view(self) -> FunnelView:
        """The funnel in order. A part that a concurrent removal took away between reading its
        parent and reading it is left out, and the rest is numbered without a gap."""
        listed_steps = [self.steps[step_id] for step_id in self.funnel.stepIds if step_id in self.steps]
        steps = []
        for sequence, step in enumerate(listed_steps, start=1):
            listed_elements = [self.elements[e] for e in step.elementIds if e in self.elements]
            elements = [
                ElementView(**element.model_dump(), position=position)
                for position, element in enumerate(listed_elements, start=1)
            ]
            steps.append(StepView(**step.model_dump(), sequence=sequence, elements=elements))
        code = sorted((c for c in self.custom_code.values() if c.status == "active"), key=lambda c: c.createdAt)
        return FunnelView(**self.funnel.model_dump(), steps=steps, customCode=code)

    def step_view(self, step_id: str) -> StepView:
        return next(step for step in self.view().steps if step.stepId == step_id)

    def element_view(self, step_id: str, element_id: str) -> ElementView:
        return next(element for element in self.step_view(step_id).elements if element.elementId == element_id)
