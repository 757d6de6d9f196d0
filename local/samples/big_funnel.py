"""A funnel at the group limits: 50 steps x 100 elements with rich settings, written straight
through the store (fast), for the tests and benchmarks of big funnels."""

from __future__ import annotations

import random

from funnel_core.builder.models.aggregate import Funnel, FunnelStep, PageElement
from funnel_core.builder.store.funnels import FunnelStore
from funnel_core.builder.store.structure import StructureStore
from funnel_core.ids import new_id, now_iso
from funnel_core.store.table import Table
from local.samples.elements import ELEMENT_EXAMPLES
from local.samples.world import GROUP, OWNER

STEPS, ELEMENTS_PER_STEP = 50, 100
_WORDS = [
    "offer",
    "guide",
    "free",
    "launch",
    "bonus",
    "webinar",
    "course",
    "coaching",
    "results",
    "proven",
    "simple",
    "today",
    "limited",
]


def _copy(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def seed_funnel(table: Table, *, steps: int, elements_per_step: int, name: str, slug: str) -> str:
    """A draft funnel of ``steps`` sales pages with ``elements_per_step`` elements each, every
    element type in turn with realistic settings; returns its id."""
    rng = random.Random(7)
    structure = StructureStore(table)
    at, funnel_id = now_iso(), new_id("fnl")
    examples = list(ELEMENT_EXAMPLES.items())
    step_ids = []
    for number in range(steps):
        step_id = new_id("stp")
        step_ids.append(step_id)
        elements = []
        for position in range(elements_per_step):
            element_type, settings = examples[(number * elements_per_step + position) % len(examples)]
            if element_type == "paragraph":
                settings = {**settings, "text": _copy(rng, 120)}
            elements.append(
                PageElement(
                    elementId=new_id("elm"),
                    stepId=step_id,
                    funnelId=funnel_id,
                    groupId=GROUP,
                    elementType=element_type,
                    settings=settings,
                    styling={"padding": {"top": position}},
                    createdAt=at,
                    updatedAt=at,
                )
            )
        step = FunnelStep(
            stepId=step_id,
            funnelId=funnel_id,
            groupId=GROUP,
            name=f"Step {number + 1}",
            slug=f"step-{number + 1}",
            stepType="sales_page",
            properties={"stepType": "sales_page", "headline": _copy(rng, 12)},
            elementIds=[element.elementId for element in elements],
            createdAt=at,
            updatedAt=at,
        )
        for start in range(0, len(elements) or 1, 50):  # a transaction holds at most 100 items
            with table.change(OWNER, GROUP) as change:
                if start == 0:
                    structure.add_step(change, step)
                    structure.claim_step_slug(change, step)  # in the item collection too, as through the API
                for element in elements[start : start + 50]:
                    structure.add_element(change, element)
    with table.change(OWNER, GROUP) as change:
        funnel = Funnel(
            funnelId=funnel_id,
            thingId=funnel_id,
            groupId=GROUP,
            name=name,
            slug=slug,
            stepIds=step_ids,
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
            updatedBy=OWNER,
        )
        FunnelStore(table).add(change, funnel)
    return funnel_id


def seed_funnel_at_the_limits(table: Table) -> str:
    return seed_funnel(table, steps=STEPS, elements_per_step=ELEMENTS_PER_STEP, name="Mega launch", slug="mega-launch")
