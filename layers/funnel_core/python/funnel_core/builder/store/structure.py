"""A funnel's structure: its steps and their elements, kept with the funnel item in one item
collection, so the whole aggregate is one Query. A step or element is part of the funnel exactly
when its parent's order list (``stepIds``, ``elementIds``) lists it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from funnel_core.builder import keys
from funnel_core.builder.models.aggregate import Funnel, FunnelAggregate, FunnelStep, PageElement
from funnel_core.builder.models.custom_code import CustomCode
from funnel_core.builder.store.funnels import unchanged
from funnel_core.errors import Conflict, SlugTaken, VersionConflict
from funnel_core.store.change import Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.table import Query, Table
from funnel_core.store.transaction import ITEM_ABSENT, version_is

_WHOLE_READ_ATTEMPTS = 3


def step_item(step: FunnelStep) -> dict[str, Any]:
    key = keys.step_key(step.groupId, step.funnelId, step.stepId)
    return as_item(step, "step", key, keys.step_index(step.groupId, step.funnelId, step.stepId))


def element_item(element: PageElement) -> dict[str, Any]:
    e = element
    key = keys.element_key(e.groupId, e.funnelId, e.stepId, e.elementId)
    return as_item(e, "element", key, keys.element_index(e.groupId, e.stepId, e.elementId))


class StructureStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def read(self, group_id: str, funnel_id: str) -> FunnelAggregate | None:
        """The funnel, its steps and their elements: one Query of their item collection, paged
        only past DynamoDB's 1 MB page.

        A Query is read-committed item by item, not a snapshot: it can read a parent that still
        lists a step or element which a concurrent removal deletes before the Query reaches it
        (more likely across pages). Such a read is not whole, and is read again."""
        aggregate = None
        for _ in range(_WHOLE_READ_ATTEMPTS):
            aggregate = self._read_once(group_id, funnel_id)
            if aggregate is None or aggregate.is_whole():
                return aggregate
        # Still racing removals: the view leaves out what they took away.
        return aggregate

    def _read_once(self, group_id: str, funnel_id: str) -> FunnelAggregate | None:
        funnel: Funnel | None = None
        steps: dict[str, FunnelStep] = {}
        elements: dict[str, PageElement] = {}
        custom_code: dict[str, CustomCode] = {}
        for record in self.table.query_all(Query(keys.funnel_pk(group_id, funnel_id), newest_first=False)):
            entity = record.get("entity")
            if entity == "funnel":
                funnel = to_model(Funnel, record)
            elif entity == "step":
                steps[record["stepId"]] = to_model(FunnelStep, record)
            elif entity == "element":
                elements[record["elementId"]] = to_model(PageElement, record)
            elif entity == "custom_code":
                custom_code[record["customCodeId"]] = to_model(CustomCode, record)
        if funnel is None:
            return None
        return FunnelAggregate(funnel=funnel, steps=steps, elements=elements, custom_code=custom_code)

    def add_step(self, change: Change, step: FunnelStep) -> None:
        change.put(step_item(step), ITEM_ABSENT, Conflict("step id clash"))

    def replace_step(
        self,
        change: Change,
        step: FunnelStep,
        *,
        expected_version: int | None = None,
        expected_structure: int | None = None,
    ) -> None:
        condition, failure = unchanged(f"step {step.stepId}", expected_version, expected_structure)
        change.put(step_item(step), condition, failure)

    def claim_step_slug(self, change: Change, step: FunnelStep) -> None:
        guard = {
            **keys.step_slug_key(step.groupId, step.funnelId, step.slug),
            "stepId": step.stepId,
            "entity": "step_slug",
        }
        change.put(
            guard, ITEM_ABSENT, SlugTaken.on_field("slug", f"another step of this funnel has slug '{step.slug}'")
        )

    def release_step_slug(self, change: Change, step: FunnelStep) -> None:
        change.delete(keys.step_slug_key(step.groupId, step.funnelId, step.slug))

    def add_element(self, change: Change, element: PageElement) -> None:
        change.put(element_item(element), ITEM_ABSENT, Conflict("element id clash"))

    def replace_element(self, change: Change, element: PageElement, expected_version: int) -> None:
        change.put(
            element_item(element),
            version_is(expected_version),
            VersionConflict(f"element {element.elementId} changed since version {expected_version}"),
        )

    def delete_element(self, change: Change, element: PageElement) -> None:
        change.delete(keys.element_key(element.groupId, element.funnelId, element.stepId, element.elementId))

    def stage(self, steps: Sequence[FunnelStep], elements: Sequence[PageElement]) -> None:
        """Write steps and elements that no order list reaches yet. No reader sees them until the
        item that lists them is written, so a copy is visible whole or not at all."""
        self.table.batch_write(
            puts=[step_item(step) for step in steps] + [element_item(element) for element in elements]
        )

    def delete_unreachable(
        self, group_id: str, funnel_id: str, step_ids: Sequence[str], element_keys: Sequence[tuple[str, str]]
    ) -> None:
        """Best-effort removal of items no order list reaches any more; readers never see them."""
        doomed = [keys.step_key(group_id, funnel_id, step_id) for step_id in step_ids]
        doomed += [keys.element_key(group_id, funnel_id, step_id, element_id) for step_id, element_id in element_keys]
        self.table.batch_write(deletes=doomed)
