"""Duplicating a funnel: a new draft "<name> (Copy)" with every step and element, new ids."""

from __future__ import annotations

from funnel_core.builder.store.structure import StructureStore
from funnel_core.store.default import table
from local.lambda_events import claims_for, http_event, invoke
from local.samples.world import FUNNEL, GROUP, OWNER, seed_sample_world


def _duplicate(funnel_id: str):
    event = http_event(
        "funnels/duplicate", path_parameters={"groupId": GROUP, "funnelId": funnel_id}, claims=claims_for(OWNER)
    )
    return invoke("funnels.duplicate", event)


def test_a_duplicate_copies_every_step_and_element_with_new_ids(integration):
    integration.recreate_table()
    seed_sample_world(table())

    first = _duplicate(FUNNEL)
    second = _duplicate(FUNNEL)

    assert first.status == 201
    assert first.body["name"] == "Lead Magnet (Copy)"
    assert second.body["name"] == "Lead Magnet (Copy) 2"
    assert first.body["status"] == "draft"
    original = StructureStore(table()).read(GROUP, FUNNEL).view()
    copied_steps = first.body["steps"]
    assert [s["slug"] for s in copied_steps] == [s.slug for s in original.steps]
    assert [[e["settings"] for e in s["elements"]] for s in copied_steps] == [
        [e.settings for e in s.elements] for s in original.steps
    ]
    assert not {s["stepId"] for s in copied_steps} & {s.stepId for s in original.steps}
