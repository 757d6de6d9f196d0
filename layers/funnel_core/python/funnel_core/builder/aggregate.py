"""Reading the funnel aggregate and picking its parts: shared by every part of the builder."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from funnel_core.builder.models.aggregate import Funnel, FunnelAggregate, FunnelStatus, FunnelStep, PageElement
from funnel_core.builder.store.structure import StructureStore
from funnel_core.errors import NotFound, StructureConflict, ValidationFailed

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


def load_funnel(structure: StructureStore, group_id: str, funnel_id: str) -> FunnelAggregate:
    aggregate = structure.read(group_id, funnel_id)
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
