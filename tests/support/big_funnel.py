"""A funnel at the group limits: 50 steps x 100 elements with rich settings, written straight
through the store (fast), for the tests and benchmarks of big funnels."""

from __future__ import annotations

import random

from funnel_core.ids import new_id, now_iso
from funnel_core.models.builder import Funnel, FunnelStep, PageElement
from funnel_core.store.ontology import OntologyStore
from tests.support.world import GROUP, OWNER
from tests.unit.test_models_elements import ELEMENT_EXAMPLES

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


def seed_funnel_at_the_limits(store: OntologyStore) -> str:
    rng = random.Random(7)
    at, funnel_id = now_iso(), new_id("fnl")
    examples = list(ELEMENT_EXAMPLES.items())
    step_ids = []
    for number in range(STEPS):
        step_id = new_id("stp")
        step_ids.append(step_id)
        elements = []
        for position in range(ELEMENTS_PER_STEP):
            element_type, settings = examples[(number * ELEMENTS_PER_STEP + position) % len(examples)]
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
        for start in range(0, ELEMENTS_PER_STEP, 50):
            uow = store.unit_of_work()
            if start == 0:
                uow.add_step(step)
            for element in elements[start : start + 50]:
                uow.put_element(element)
            uow.commit()
    uow = store.unit_of_work()
    uow.add_funnel(
        Funnel(
            funnelId=funnel_id,
            thingId=funnel_id,
            groupId=GROUP,
            name="Mega launch",
            slug="mega-launch",
            stepIds=step_ids,
            createdAt=at,
            updatedAt=at,
            createdBy=OWNER,
            updatedBy=OWNER,
        )
    )
    uow.commit()
    return funnel_id
