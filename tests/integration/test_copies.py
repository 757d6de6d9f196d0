"""Big copies are all or nothing: a duplicate that fails midway leaves nothing visible behind."""

from __future__ import annotations

import pytest

from funnel_core.store import ontology
from funnel_core.store.client import dynamodb
from funnel_core.store.ontology import OntologyStore
from tests.integration.test_publishing_limits import _seed_funnel_at_the_limits
from tests.support.lambda_events import claims_for, http_event, invoke
from tests.support.world import FUNNEL, GROUP, OWNER, seed_sample_world


class Boom(RuntimeError):
    pass


def _funnel_partitions(table: str) -> set[str]:
    """Every funnel item collection in the table (a test may scan; the product never does)."""
    pages = dynamodb().get_paginator("scan").paginate(TableName=table, ProjectionExpression="PK")
    return {item["PK"]["S"] for page in pages for item in page["Items"] if "#FUNNEL#" in item["PK"]["S"]}


def _duplicate(funnel_id: str):
    event = http_event(
        "funnels/duplicate", path_parameters={"groupId": GROUP, "funnelId": funnel_id}, claims=claims_for(OWNER)
    )
    return invoke("funnels.duplicate", event)


@pytest.fixture
def big_funnel(integration) -> str:
    integration.recreate_table()
    store = OntologyStore()
    seed_sample_world(store)
    return _seed_funnel_at_the_limits(store)


def test_a_duplicate_copies_every_step_and_element_with_new_ids(integration):
    integration.recreate_table()
    seed_sample_world(OntologyStore())

    first = _duplicate(FUNNEL)
    second = _duplicate(FUNNEL)

    assert first.status == 201
    assert first.body["name"] == "Lead Magnet (Copy)"
    assert second.body["name"] == "Lead Magnet (Copy) 2"
    assert first.body["status"] == "draft"
    original = OntologyStore().read_funnel(GROUP, FUNNEL).view()
    copied_steps = first.body["steps"]
    assert [s["slug"] for s in copied_steps] == [s.slug for s in original.steps]
    assert [[e["settings"] for e in s["elements"]] for s in copied_steps] == [
        [e.settings for e in s.elements] for s in original.steps
    ]
    assert not {s["stepId"] for s in copied_steps} & {s.stepId for s in original.steps}


def test_a_funnel_at_the_limits_duplicates_whole(big_funnel):
    answer = _duplicate(big_funnel)
    assert answer.status == 201, answer.body
    assert len(answer.body["steps"]) == 50
    assert sum(len(step["elements"]) for step in answer.body["steps"]) == 5000


@pytest.mark.parametrize("fail_at", ["staging", "final transaction"])
def test_a_copy_that_fails_midway_leaves_nothing_behind(big_funnel, integration, monkeypatch, fail_at):
    before = _funnel_partitions(integration.table_name)
    listed_before = OntologyStore().list_funnels(GROUP, None, ontology.PageRequest(100, None, "t")).items

    if fail_at == "staging":
        real_stage = OntologyStore.stage_funnel_parts

        def stage_half_then_fail(self, steps, elements):
            real_stage(self, steps[:25], elements[:2500])
            raise Boom("the container died midway")

        monkeypatch.setattr(OntologyStore, "stage_funnel_parts", stage_half_then_fail)
    else:

        def commit_fails(self):
            raise Boom("the final transaction failed")

        monkeypatch.setattr(ontology.UnitOfWork, "commit", commit_fails)

    with pytest.raises(Boom):
        _duplicate(big_funnel)

    monkeypatch.undo()
    listed_after = OntologyStore().list_funnels(GROUP, None, ontology.PageRequest(100, None, "t")).items
    assert [f.funnelId for f in listed_after] == [f.funnelId for f in listed_before]
    assert _funnel_partitions(integration.table_name) == before
