"""Changing a funnel's structure: the one way steps and elements are added, removed and put in
order.

The order lists live on the parents (a funnel's ``stepIds``, a step's ``elementIds``), so the
sequence is 1..n without gaps or duplicates by construction, and a step or element is part of the
funnel exactly when its parent lists it. A structural change rewrites the parent's list under its
``structureVersion``; a writer that loses a race re-reads and tries again, so concurrent adds and
removes all land and none is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from funnel_core.audit.events import EventType
from funnel_core.builder.aggregate import find_step, load_funnel, require_editable, retry_races
from funnel_core.builder.models.aggregate import Funnel, FunnelAggregate, FunnelStep, PageElement
from funnel_core.builder.store.funnels import FunnelStore
from funnel_core.builder.store.structure import StructureStore
from funnel_core.caller import Caller
from funnel_core.errors import ValidationFailed
from funnel_core.ids import now_iso
from funnel_core.store.change import Change
from funnel_core.store.table import Table

Parent = Funnel | FunnelStep


@dataclass
class Reshape:
    """What a structural change does to its parent's order list, besides rewriting it."""

    order: list[str]
    event: EventType
    target: str
    metadata: dict[str, Any]
    writes: Callable[[Change], None] = lambda _change: None
    added: list[FunnelStep | PageElement] = field(default_factory=list)


def order_of(parent: Parent) -> list[str]:
    return parent.stepIds if isinstance(parent, Funnel) else parent.elementIds


def permutation(parent: Parent, ids: list[str]) -> list[str]:
    """``ids`` when they list every child of ``parent`` exactly once."""
    if sorted(ids) != sorted(order_of(parent)):
        field_name, what = (
            ("stepIds", "step of the funnel") if isinstance(parent, Funnel) else ("elementIds", "element of the step")
        )
        raise ValidationFailed.on(field_name, f"must list every {what} exactly once")
    return list(ids)


def reorder(ids: list[str]) -> Callable[[FunnelAggregate, Parent, str], Reshape]:
    """The plan of a reorder of the funnel's steps or of a step's elements: a permutation of the
    parent's list, audited with the order before and after."""

    def plan(aggregate: FunnelAggregate, parent: Parent, at: str) -> Reshape:
        before, order = order_of(parent), permutation(parent, ids)
        if isinstance(parent, Funnel):
            return Reshape(
                order=order,
                event=EventType.STEP_REORDERED,
                target=parent.funnelId,
                metadata={"from": before, "to": order},
            )
        metadata = {"funnelId": parent.funnelId, "stepId": parent.stepId, "from": before, "to": order}
        # The step's elements changed place: audited as an element change of the step.
        return Reshape(order=order, event=EventType.ELEMENT_UPDATED, target=parent.stepId, metadata=metadata)

    return plan


class Structure:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.funnels = FunnelStore(table)
        self.parts = StructureStore(table)

    def load(self, group_id: str, funnel_id: str) -> FunnelAggregate:
        return load_funnel(self.parts, group_id, funnel_id)

    def reshape(
        self,
        caller: Caller,
        group_id: str,
        funnel_id: str,
        step_id: str | None,
        plan: Callable[[FunnelAggregate, Parent, str], Reshape],
        *,
        retry: bool = True,
    ) -> FunnelAggregate:
        """Rewrite the order list of the funnel (``step_id`` None) or of one of its steps as
        ``plan`` says, with its writes and its audit event, in one change; the aggregate as it
        is afterwards. With ``retry`` a lost race is planned again on a fresh read."""

        def attempt() -> FunnelAggregate:
            aggregate = self.load(group_id, funnel_id)
            require_editable(aggregate.funnel)
            parent: Parent = aggregate.funnel if step_id is None else find_step(aggregate, step_id)
            at = now_iso()
            planned = plan(aggregate, parent, at)
            order = "stepIds" if isinstance(parent, Funnel) else "elementIds"
            changed = parent.model_copy(
                update={order: planned.order, "structureVersion": parent.structureVersion + 1, "updatedAt": at}
            )
            with self.table.change(caller.person_id, group_id) as change:
                if isinstance(changed, Funnel):
                    self.funnels.replace(change, changed, expected_structure=parent.structureVersion)
                else:
                    self.parts.replace_step(change, changed, expected_structure=parent.structureVersion)
                planned.writes(change)
                change.record(planned.event, planned.target, planned.metadata, at)
            return _after(aggregate, changed, planned.added)

        return retry_races(attempt) if retry else attempt()


def _after(aggregate: FunnelAggregate, parent: Parent, added: list[FunnelStep | PageElement]) -> FunnelAggregate:
    steps = dict(aggregate.steps)
    elements = dict(aggregate.elements)
    for part in added:
        if isinstance(part, FunnelStep):
            steps[part.stepId] = part
        else:
            elements[part.elementId] = part
    if isinstance(parent, Funnel):
        return FunnelAggregate(funnel=parent, steps=steps, elements=elements)
    return FunnelAggregate(funnel=aggregate.funnel, steps={**steps, parent.stepId: parent}, elements=elements)
