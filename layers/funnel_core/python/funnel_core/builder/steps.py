"""Steps of a funnel: appended (plain, or from a page template), read, edited, removed, put in
order. Every change to the sequence goes through ``Structure.reshape``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from funnel_core.audit.events import EventType
from funnel_core.builder.access import FunnelAction, FunnelAuthorizer
from funnel_core.builder.aggregate import find_step, require_editable
from funnel_core.builder.copying import blueprint_of_template, build_parts
from funnel_core.builder.models.aggregate import FunnelAggregate, FunnelStep, FunnelView, PageElement, StepView
from funnel_core.builder.models.steps import StepCreate, StepOrder, StepUpdate, validate_step_properties
from funnel_core.builder.models.templates import PageTemplate
from funnel_core.builder.sales import Sales, product_of
from funnel_core.builder.structure import Parent, Reshape, Structure, order_of, reorder
from funnel_core.builder.templates import Templates
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import Conflict, LimitExceeded, SlugTaken, ValidationFailed
from funnel_core.ids import new_id, now_iso
from funnel_core.ontology.access import Authorizer, authorizer
from funnel_core.ontology.connections import new_connection
from funnel_core.ontology.connections import service_on as connections_on
from funnel_core.ontology.models.groups import Group
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.table import Table
from funnel_core.validation import checked, given, require_size, require_version, slugify, with_suffix


class Steps:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.funnel_access = FunnelAuthorizer(access)
        self.structure = Structure(table)
        self.templates = Templates(table, access)
        self.sales = Sales(table)

    def add(self, caller: Caller, group_id: str, funnel_id: str, body: StepCreate) -> StepView:
        access = self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.EDIT)
        require_size("properties", body.properties)
        slug = body.slug or slugify(body.name, fallback="step")
        if body.pageTemplateId is not None:
            return self._from_template(caller, access.group, funnel_id, body, slug)
        at = now_iso()
        step = FunnelStep(
            stepId=new_id("stp"),
            funnelId=funnel_id,
            groupId=group_id,
            name=body.name,
            slug=slug,
            stepType=body.stepType,
            properties=body.properties,
            createdAt=at,
            updatedAt=at,
            createdBy=caller.person_id,
        )
        return self.append(caller, access.group, step, slug_chosen=body.slug is not None)

    def append(
        self,
        caller: Caller,
        group: Group,
        step: FunnelStep,
        *,
        slug_chosen: bool,
        elements: Sequence[PageElement] = (),
        writes: Callable[[Change], None] | None = None,
        event_metadata: dict[str, Any] | None = None,
    ) -> StepView:
        """Append ``step`` to its funnel with its slug guard, the connection to the product it
        sells, ``writes`` and its event; a lost race is tried again. ``elements`` are the step's,
        staged already by the caller. A derived slug that is taken gets a suffix; one the client
        chose is refused."""
        limit = group.settings.limits.maxStepsPerFunnel
        self.sales.require_product(group.groupId, step)

        def plan(aggregate: FunnelAggregate, funnel: Parent, at: str) -> Reshape:
            sequence = order_of(funnel)
            if len(sequence) >= limit:
                raise LimitExceeded.on_field("stepType", f"a funnel holds at most {limit} steps")
            placed = step.model_copy(update={"createdAt": at, "updatedAt": at})

            def write(change: Change) -> None:
                self.structure.parts.add_step(change, placed)
                self.structure.parts.claim_step_slug(change, placed)
                self.sales.connect(change, [placed], caller.person_id, at)
                if writes is not None:
                    writes(change)

            metadata = {"funnelId": step.funnelId, "stepType": step.stepType, "sequence": len(sequence) + 1}
            return Reshape(
                order=[*sequence, step.stepId],
                event=EventType.STEP_ADDED,
                target=step.stepId,
                metadata={**metadata, **(event_metadata or {})},
                writes=write,
                added=[placed, *elements],
            )

        while True:
            try:
                changed = self.structure.reshape(caller, group.groupId, step.funnelId, None, plan)
            except SlugTaken:
                if slug_chosen:
                    raise
                step = step.model_copy(update={"slug": with_suffix(step.slug)})
                continue
            return changed.step_view(step.stepId)

    def _from_template(self, caller: Caller, group: Group, funnel_id: str, body: StepCreate, slug: str) -> StepView:
        """A new step from a page template, its elements staged first so that the step appears
        with all of them or not at all."""
        assert body.pageTemplateId is not None
        template = self.templates.resolve(group.groupId, body.pageTemplateId)
        if not isinstance(template, PageTemplate):
            raise ValidationFailed.on(
                "pageTemplateId", "a funnel template makes a funnel: POST .../funnels with templateId"
            )
        if template.step.stepType != body.stepType:
            raise ValidationFailed.on("stepType", f"the page template is a {template.step.stepType}")
        at = now_iso()
        [step_print] = blueprint_of_template([template.step])
        [made], elements = build_parts(group.groupId, funnel_id, [step_print], at, caller.person_id)
        step = made.model_copy(
            update={
                "name": body.name,
                "slug": slug,
                "properties": {**step_print.properties, **body.properties},
                "pageTemplateId": template.templateId,
            }
        )

        def based_on(change: Change) -> None:
            link = new_connection(
                group.groupId,
                step.stepId,
                template.templateId,
                "step_based_on_template",
                caller.person_id,
                at,
                {"scope": template.scope},
            )
            connections_on(self.table).add(change, link)
            self.templates.count_use(change, template)

        self.structure.parts.stage([], elements)
        try:
            return self.append(
                caller,
                group,
                step,
                slug_chosen=body.slug is not None,
                elements=elements,
                writes=based_on,
                event_metadata={"templateId": template.templateId},
            )
        except BaseException:
            self.structure.parts.delete_unreachable(
                group.groupId, funnel_id, [], [(step.stepId, e.elementId) for e in elements]
            )
            raise

    def get(self, caller: Caller, group_id: str, funnel_id: str, step_id: str) -> StepView:
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.READ)
        aggregate = self.structure.load(group_id, funnel_id)
        find_step(aggregate, step_id)
        return aggregate.step_view(step_id)

    def update(self, caller: Caller, group_id: str, funnel_id: str, step_id: str, body: StepUpdate) -> StepView:
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.EDIT)
        aggregate = self.structure.load(group_id, funnel_id)
        require_editable(aggregate.funnel)
        step = find_step(aggregate, step_id)
        require_version(f"step {step_id}", step.version, body.version)
        changes = given(body, "name", "slug")
        if body.properties is not None:
            changes["properties"] = checked(
                "properties", body.properties, lambda value: validate_step_properties(step.stepType, value)
            )
        at = now_iso()
        updated = step.model_copy(update={**changes, "version": step.version + 1, "updatedAt": at})
        if product_of(updated) != product_of(step):
            self.sales.require_product(group_id, updated)
        parts = self.structure.parts
        with self.table.change(caller.person_id, group_id) as change:
            self.sales.replace(change, step, updated, caller.person_id, at)
            if updated.slug != step.slug:
                parts.release_step_slug(change, step)
                parts.claim_step_slug(change, updated)
            parts.replace_step(change, updated, expected_version=step.version)
            change.record(
                EventType.ENTITY_UPDATED,
                step_id,
                {"entity": "step", "funnelId": funnel_id, "changed": sorted(changes)},
                at,
            )
        return aggregate.model_copy(update={"steps": {**aggregate.steps, step_id: updated}}).step_view(step_id)

    def remove(self, caller: Caller, group_id: str, funnel_id: str, step_id: str) -> None:
        """Take the step out of the sequence (the rest close the gap); its items go after the commit."""
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.EDIT)
        removed: list[FunnelStep] = []

        def plan(aggregate: FunnelAggregate, funnel: Parent, at: str) -> Reshape:
            step = find_step(aggregate, step_id)
            testing = next((split for split in aggregate.funnel.splits if step_id in split.armStepIds), None)
            if testing is not None:
                raise Conflict(f"step {step_id} is an arm of A/B test {testing.testId}; it stays while the test does")
            removed[:] = [step]
            sequence = order_of(funnel)
            return Reshape(
                order=[other for other in sequence if other != step_id],
                event=EventType.STEP_REMOVED,
                target=step_id,
                metadata={"funnelId": funnel_id, "sequence": sequence.index(step_id) + 1},
                writes=lambda change: self._removed(change, step, caller, at),
            )

        self.structure.reshape(caller, group_id, funnel_id, None, plan)
        [step] = removed
        self.structure.parts.delete_unreachable(group_id, funnel_id, [step_id], [(step_id, e) for e in step.elementIds])

    def _removed(self, change: Change, step: FunnelStep, caller: Caller, at: str) -> None:
        self.structure.parts.release_step_slug(change, step)
        self.sales.replace(change, step, None, caller.person_id, at)

    def reorder(self, caller: Caller, group_id: str, funnel_id: str, body: StepOrder) -> FunnelView:
        self.funnel_access.authorize(caller, group_id, funnel_id, FunnelAction.EDIT)
        changed = self.structure.reshape(caller, group_id, funnel_id, None, reorder(body.stepIds), retry=False)
        return changed.view()


@once
def service() -> Steps:
    return Steps(table(), authorizer())
