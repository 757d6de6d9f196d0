"""A funnel at the group limits (50 steps x 100 elements, rich settings) publishes, and its
version reads back exactly: the snapshot is split under DynamoDB's 400 KB item limit and written
in one transaction under its 4 MB limit."""

from __future__ import annotations

import random

from funnel_core.domain import publishing
from funnel_core.ids import new_id, now_iso
from funnel_core.models.builder import Funnel, FunnelStep, PageElement
from funnel_core.store.ontology import OntologyStore
from tests.support.lambda_events import claims_for, http_event, invoke
from tests.support.world import GROUP, OWNER, seed_sample_world
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


def _seed_funnel_at_the_limits(store: OntologyStore) -> str:
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


def test_a_funnel_at_the_limits_publishes_and_reads_back_whole(integration):
    # Given a funnel of 50 steps with 100 elements each
    integration.recreate_table()
    store = OntologyStore()
    seed_sample_world(store)
    funnel_id = _seed_funnel_at_the_limits(store)

    # When it is published through its handler
    event = http_event(
        "publishing/publish", path_parameters={"groupId": GROUP, "funnelId": funnel_id}, claims=claims_for(OWNER)
    )
    answer = invoke("publishing.publish", event)

    # Then version 1 exists and reads back equal to the draft it froze
    assert answer.status == 200, answer.body
    version = store.get_version(GROUP, funnel_id, 1)
    assert version is not None
    assert version.stepCount == STEPS
    assert version.elementCount == STEPS * ELEMENTS_PER_STEP
    assert version.parts == len(publishing.split(store.read_version_snapshot(GROUP, funnel_id, 1)))
    frozen = publishing.published_view(store, GROUP, funnel_id, 1)
    draft = store.read_funnel(GROUP, funnel_id)
    assert draft is not None
    assert frozen.model_dump(
        exclude={"status", "liveVersion", "latestVersion", "publishedAt", "version", "updatedAt", "updatedBy"}
    ) == (
        draft.view().model_dump(
            exclude={"status", "liveVersion", "latestVersion", "publishedAt", "version", "updatedAt", "updatedBy"}
        )
    )


def test_a_snapshot_larger_than_an_item_is_split_and_joined_back(integration):
    # Given a snapshot that does not compress (1.2 MB of noise): four parts
    integration.recreate_table()
    store = OntologyStore()
    seed_sample_world(store)
    snapshot = random.Random(3).randbytes(1_200_000)
    parts = publishing.split(snapshot)
    assert len(parts) == 4
    assert all(len(part) <= publishing.PART_BYTES for part in parts)

    # When it is stored as a version in one transaction
    version = store.get_version(GROUP, "fnl_01SAMPLEFUNNEL0000000000", 1)
    assert version is not None
    uow = store.unit_of_work()
    uow.add_version(version.model_copy(update={"version": 2, "parts": len(parts)}), parts)
    uow.commit()

    # Then it reads back byte for byte
    assert store.read_version_snapshot(GROUP, "fnl_01SAMPLEFUNNEL0000000000", 2) == snapshot
