"""Reading, guarding and growing the funnel aggregate: shared by every part of the funnel builder."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from funnel_core.auth.caller import Caller
from funnel_core.domain.common import audit_event, with_suffix
from funnel_core.errors import LimitExceeded, NotFound, SlugTaken, StructureConflict, ValidationFailed
from funnel_core.ids import now_iso
from funnel_core.models.builder import Funnel, FunnelAggregate, FunnelStatus, FunnelStep, PageElement, StepView
from funnel_core.models.events import EventType
from funnel_core.models.groups import Group
from funnel_core.store.ontology import OntologyStore, UnitOfWork

T = TypeVar("T")
# Losing a race to another writer of the same order list costs one more read and write; a busy
# funnel is given a few seconds of jittered retries before the client hears 409.
_RACE_BUDGET_SECONDS = 6.0
_RACE_BACKOFF_SECONDS = 0.02


def retry_races(change: Callable[[], T]) -> T:
    """Run a structural change again when another writer changed the same order list first."""
    deadline = time.monotonic() + _RACE_BUDGET_SECONDS
    attempt = 0
    while True:
        try:
            return change()
        except StructureConflict:
            attempt += 1
            if time.monotonic() >= deadline:
                raise
            time.sleep(random.uniform(0, _RACE_BACKOFF_SECONDS * min(attempt, 10)))  # noqa: S311 - jitter, not crypto


def load_funnel(store: OntologyStore, group_id: str, funnel_id: str) -> FunnelAggregate:
    aggregate = store.read_funnel(group_id, funnel_id)
    if aggregate is None:
        raise NotFound(f"funnel {funnel_id} not found")
    return aggregate


def find_step(aggregate: FunnelAggregate, step_id: str) -> FunnelStep:
    if step_id not in aggregate.funnel.stepIds or step_id not in aggregate.steps:
        raise NotFound(f"step {step_id} not found in funnel {aggregate.funnel.funnelId}")
    return aggregate.steps[step_id]


def find_element(aggregate: FunnelAggregate, step: FunnelStep, element_id: str) -> PageElement:
    if element_id not in step.elementIds or element_id not in aggregate.elements:
        raise NotFound(f"element {element_id} not found in step {step.stepId}")
    return aggregate.elements[element_id]


def require_editable(funnel: Funnel) -> None:
    if funnel.status is FunnelStatus.ARCHIVED:
        raise ValidationFailed.on("status", "the funnel is archived; restore it before editing")


def append_step(
    store: OntologyStore,
    caller: Caller,
    group: Group,
    step: FunnelStep,
    *,
    slug_chosen: bool,
    elements: Sequence[PageElement] = (),
    extra: Callable[[UnitOfWork], None] | None = None,
    event_metadata: dict[str, Any] | None = None,
) -> StepView:
    """Append ``step`` to its funnel: the funnel's order list grows by one under its
    ``structureVersion``, with the step, its slug guard, ``extra`` writes and the audit event in
    the same transaction; a lost race is tried again. ``elements`` are the step's, staged already
    by the caller. A derived slug that is taken gets a suffix; one the client chose is refused."""
    limit = group.settings.limits.maxStepsPerFunnel

    def attempt() -> StepView:
        nonlocal step
        aggregate = load_funnel(store, group.groupId, step.funnelId)
        require_editable(aggregate.funnel)
        funnel = aggregate.funnel
        if len(funnel.stepIds) >= limit:
            raise LimitExceeded.on_field("stepType", f"a funnel holds at most {limit} steps")
        at = now_iso()
        step = step.model_copy(update={"createdAt": at, "updatedAt": at})
        grown = funnel.model_copy(
            update={
                "stepIds": [*funnel.stepIds, step.stepId],
                "structureVersion": funnel.structureVersion + 1,
                "updatedAt": at,
            }
        )
        uow = store.unit_of_work()
        uow.require_group_writable(group.groupId)
        uow.replace_funnel(grown, expected_structure=funnel.structureVersion)
        uow.add_step(step)
        uow.claim_step_slug(step)
        if extra is not None:
            extra(uow)
        metadata = {
            "funnelId": funnel.funnelId,
            "stepType": step.stepType,
            "sequence": len(grown.stepIds),
            **(event_metadata or {}),
        }
        uow.record(audit_event(EventType.STEP_ADDED, caller, group.groupId, step.stepId, metadata, at))
        try:
            uow.commit()
        except SlugTaken:
            if slug_chosen:
                raise
            step = step.model_copy(update={"slug": with_suffix(step.slug)})
            raise StructureConflict("derived step slug taken; retry with a suffix") from None
        changed = FunnelAggregate(
            funnel=grown,
            steps={**aggregate.steps, step.stepId: step},
            elements={**aggregate.elements, **{element.elementId: element for element in elements}},
        )
        return changed.step_view(step.stepId)

    return retry_races(attempt)
