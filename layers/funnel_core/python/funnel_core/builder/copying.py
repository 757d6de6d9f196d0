"""Deep copies of a funnel's structure (duplicate, instantiate a template) that are all or
nothing however large they are.

A copy can exceed one transaction (50 steps x 100 elements is over 5,000 items). Its steps and
elements are staged first under the new funnel's id, where nothing lists them; then one change
writes the funnel item that lists the steps, with its name, slug and step-slug guards, the
group's funnel count and the audit event. Until that commits no reader can reach the copy; if
anything fails, the staged items are removed and nothing is visible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from funnel_core.audit.events import EventType
from funnel_core.builder.models.aggregate import Funnel, FunnelAggregate, FunnelStep, PageElement
from funnel_core.builder.models.templates import TemplateStep
from funnel_core.builder.sales import Sales
from funnel_core.builder.store.funnels import FunnelStore
from funnel_core.builder.store.structure import StructureStore
from funnel_core.caller import Caller
from funnel_core.errors import LimitExceeded, NameTaken, SlugTaken
from funnel_core.ids import new_id, now_iso
from funnel_core.ontology.connections import new_connection
from funnel_core.ontology.connections import service_on as connections_on
from funnel_core.ontology.models.groups import Group
from funnel_core.store.change import Change
from funnel_core.store.table import Table
from funnel_core.validation import with_suffix

_NAME_ATTEMPTS = 10


@dataclass(frozen=True)
class ElementBlueprint:
    elementType: str
    settings: dict[str, Any]
    styling: dict[str, Any] = field(default_factory=dict)
    visibility: dict[str, Any] = field(default_factory=dict)
    layout: dict[str, Any] | None = None


@dataclass(frozen=True)
class StepBlueprint:
    name: str
    slug: str
    stepType: str
    properties: dict[str, Any]
    elements: Sequence[ElementBlueprint]
    pageTemplateId: str | None = None


def blueprint_of(aggregate: FunnelAggregate) -> list[StepBlueprint]:
    """The structure of an existing funnel, in sequence and position order."""
    return [
        StepBlueprint(
            name=step.name,
            slug=step.slug,
            stepType=step.stepType,
            properties=step.properties,
            pageTemplateId=step.pageTemplateId,
            elements=[
                ElementBlueprint(e.elementType, e.settings, e.styling, e.visibility, e.layout) for e in step.elements
            ],
        )
        for step in aggregate.view().steps
    ]


def blueprint_of_template(steps: Sequence[TemplateStep]) -> list[StepBlueprint]:
    """The structure a template holds, in the shapes its elements were validated in."""
    return [
        StepBlueprint(
            name=step.name,
            slug=step.slug,
            stepType=step.stepType,
            properties=step.properties,
            elements=[
                ElementBlueprint(
                    elementType=element.elementType,
                    settings=element.settings,
                    styling=element.styling.model_dump(mode="json", exclude_none=True),
                    visibility=element.visibility.model_dump(mode="json"),
                    layout=element.layout.model_dump(mode="json", exclude_none=True) if element.layout else None,
                )
                for element in step.elements
            ],
        )
        for step in steps
    ]


def build_parts(
    group_id: str, funnel_id: str, blueprint: Sequence[StepBlueprint], at: str, created_by: str
) -> tuple[list[FunnelStep], list[PageElement]]:
    """New steps and elements, with new ids, for ``funnel_id``, made by ``created_by``."""
    steps: list[FunnelStep] = []
    elements: list[PageElement] = []
    for step_print in blueprint:
        step_id = new_id("stp")
        copies = [
            PageElement(
                elementId=new_id("elm"),
                stepId=step_id,
                funnelId=funnel_id,
                groupId=group_id,
                elementType=element.elementType,
                settings=element.settings,
                styling=element.styling,
                visibility=element.visibility,
                layout=element.layout,
                createdAt=at,
                updatedAt=at,
                createdBy=created_by,
            )
            for element in step_print.elements
        ]
        elements += copies
        steps.append(
            FunnelStep(
                stepId=step_id,
                funnelId=funnel_id,
                groupId=group_id,
                name=step_print.name,
                slug=step_print.slug,
                stepType=step_print.stepType,
                properties=step_print.properties,
                pageTemplateId=step_print.pageTemplateId,
                elementIds=[element.elementId for element in copies],
                createdAt=at,
                updatedAt=at,
                createdBy=created_by,
            )
        )
    return steps, elements


def copied(blueprint: Sequence[StepBlueprint], **metadata: Any) -> Callable[[Funnel], dict[str, Any]]:
    """The audit metadata of a copy: what it was copied from, and how much."""
    elements = sum(len(step.elements) for step in blueprint)
    return lambda _funnel: {**metadata, "steps": len(blueprint), "elements": elements}


def _numbered(name: str, slug: str, attempt: int) -> tuple[str, str]:
    if attempt == 1:
        return name, slug
    suffix = f"-{attempt}"
    return f"{name} {attempt}", f"{slug[: 63 - len(suffix)]}{suffix}"


class Copies:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.funnels = FunnelStore(table)
        self.parts = StructureStore(table)
        self.sales = Sales(table)

    def new_funnel(
        self,
        caller: Caller,
        group: Group,
        *,
        name: str,
        slug: str,
        properties: dict[str, Any],
        blueprint: Sequence[StepBlueprint] = (),
        event: EventType,
        event_metadata: Callable[[Funnel], dict[str, Any]],
        template_id: str | None = None,
        writes: Callable[[Change, Funnel], None] | None = None,
        unique_name: bool = False,
        derived_slug: bool = False,
    ) -> FunnelAggregate:
        """A new draft funnel holding a deep copy of ``blueprint`` (empty for a funnel made from
        scratch), all or nothing, owned by the caller.

        With ``unique_name`` a taken name or slug is numbered ("Offer (Copy) 2") instead of
        refused; with ``derived_slug`` (the client chose none) a taken slug gets a suffix.
        ``writes`` adds to the final change (e.g. a connection to the template);
        ``event_metadata`` says what the audit event tells of the funnel as it was made."""
        limits = group.settings.limits
        if len(blueprint) > limits.maxStepsPerFunnel:
            raise LimitExceeded.on_field("steps", f"a funnel holds at most {limits.maxStepsPerFunnel} steps")
        if any(len(step.elements) > limits.maxElementsPerStep for step in blueprint):
            raise LimitExceeded.on_field("elements", f"a step holds at most {limits.maxElementsPerStep} elements")

        at, funnel_id = now_iso(), new_id("fnl")
        steps, elements = build_parts(group.groupId, funnel_id, blueprint, at, caller.person_id)
        try:
            if steps:
                self.parts.stage(steps, elements)
            attempt = 1
            while True:
                funnel_name, funnel_slug = _numbered(name, slug, attempt)
                funnel = Funnel(
                    funnelId=funnel_id,
                    thingId=funnel_id,
                    groupId=group.groupId,
                    name=funnel_name,
                    slug=funnel_slug,
                    properties=properties,
                    stepIds=[step.stepId for step in steps],
                    templateId=template_id,
                    createdAt=at,
                    updatedAt=at,
                    createdBy=caller.person_id,
                    updatedBy=caller.person_id,
                )
                try:
                    self._commit(caller, group, funnel, steps, writes, event, event_metadata)
                except SlugTaken:
                    if attempt == _NAME_ATTEMPTS or not (unique_name or derived_slug):
                        raise
                    if unique_name:
                        attempt += 1
                    else:
                        slug = with_suffix(slug)
                    continue
                except NameTaken:
                    if not unique_name or attempt == _NAME_ATTEMPTS:
                        raise
                    attempt += 1
                    continue
                return FunnelAggregate(
                    funnel=funnel,
                    steps={step.stepId: step for step in steps},
                    elements={element.elementId: element for element in elements},
                )
        except BaseException:
            if steps:
                self.parts.delete_unreachable(
                    group.groupId,
                    funnel_id,
                    [step.stepId for step in steps],
                    [(e.stepId, e.elementId) for e in elements],
                )
            raise

    def _commit(
        self,
        caller: Caller,
        group: Group,
        funnel: Funnel,
        steps: list[FunnelStep],
        writes: Callable[[Change, Funnel], None] | None,
        event: EventType,
        event_metadata: Callable[[Funnel], dict[str, Any]],
    ) -> None:
        with self.table.change(caller.person_id, group.groupId) as change:
            self.funnels.count(change, group, +1)
            self.funnels.add(change, funnel)
            owns = new_connection(
                group.groupId, caller.person_id, funnel.funnelId, "owns", caller.person_id, funnel.createdAt
            )
            connections_on(self.table).add(change, owns)
            for step in steps:
                self.parts.claim_step_slug(change, step)
            self.sales.connect(change, steps, caller.person_id, funnel.createdAt)
            if writes is not None:
                writes(change, funnel)
            change.record(event, funnel.funnelId, event_metadata(funnel), funnel.createdAt)
