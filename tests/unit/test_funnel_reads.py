"""Reading the funnel aggregate while removals race it. A Query is read-committed item by item,
not a snapshot, so it can meet a parent that still lists a part a concurrent removal has just
deleted: such a read is read again, and a view never numbers around a hole."""

from __future__ import annotations

import boto3
import pytest

from funnel_core.builder import keys
from funnel_core.builder.models.aggregate import Funnel, FunnelStep, PageElement
from funnel_core.builder.store.funnels import funnel_item
from funnel_core.builder.store.structure import StructureStore
from funnel_core.store.client import dynamodb
from funnel_core.store.table import Table

GROUP, FUNNEL, AT = "grp_reads", "fnl_reads", "2026-11-24T00:00:00.000Z"
STEPS = ["stp_a", "stp_b", "stp_c"]


def _step(step_id: str, element_ids: list[str]) -> FunnelStep:
    return FunnelStep(
        stepId=step_id,
        funnelId=FUNNEL,
        groupId=GROUP,
        name=step_id,
        slug=step_id.replace("_", "-"),
        stepType="landing_page",
        elementIds=element_ids,
        createdAt=AT,
        updatedAt=AT,
    )


def _element(step_id: str, element_id: str) -> PageElement:
    return PageElement(
        elementId=element_id,
        stepId=step_id,
        funnelId=FUNNEL,
        groupId=GROUP,
        elementType="headline",
        settings={"text": element_id},
        createdAt=AT,
        updatedAt=AT,
    )


@pytest.fixture
def store(moto_table) -> StructureStore:
    table = Table(moto_table)
    store = StructureStore(table)
    funnel = Funnel(
        funnelId=FUNNEL,
        thingId=FUNNEL,
        groupId=GROUP,
        name="Reads",
        slug="reads",
        stepIds=STEPS,
        createdAt=AT,
        updatedAt=AT,
        createdBy="p",
        updatedBy="p",
    )
    table.batch_write(puts=[funnel_item(funnel)])  # only the aggregate's items are read here
    store.stage(
        [_step("stp_a", []), _step("stp_b", ["elm_1", "elm_2", "elm_3"]), _step("stp_c", [])],
        [_element("stp_b", element_id) for element_id in ("elm_1", "elm_2", "elm_3")],
    )
    return store


def _delete(store: StructureStore, key: dict[str, str]) -> dict:
    table = boto3.resource("dynamodb").Table(store.table.name)
    return table.delete_item(Key=key, ReturnValues="ALL_OLD")["Attributes"]


def _count_queries() -> list[str]:
    calls: list[str] = []
    dynamodb().meta.events.register("before-call.dynamodb.Query", lambda **_: calls.append("query"))
    return calls


def test_a_whole_read_is_one_query(store):
    queries = _count_queries()

    view = store.read(GROUP, FUNNEL).view()

    assert queries == ["query"]
    assert [(step.stepId, step.sequence) for step in view.steps] == [("stp_a", 1), ("stp_b", 2), ("stp_c", 3)]


def test_a_read_that_met_a_half_done_removal_is_read_again(store):
    # The first Query meets stp_b already deleted while the funnel still lists it; by the second
    # the writer is done (here: the item is back, as if the removal had lost its race).
    removed = _delete(store, keys.step_key(GROUP, FUNNEL, "stp_b"))
    queries = _count_queries()

    def writer_finishes(**_):
        if len(queries) == 1:
            boto3.resource("dynamodb").Table(store.table.name).put_item(Item=removed)

    dynamodb().meta.events.register("after-call.dynamodb.Query", writer_finishes)

    aggregate = store.read(GROUP, FUNNEL)

    assert len(queries) == 2
    assert aggregate.is_whole()
    assert [step.stepId for step in aggregate.view().steps] == STEPS


def test_a_view_numbers_what_it_has_without_a_hole(store):
    _delete(store, keys.step_key(GROUP, FUNNEL, "stp_a"))
    _delete(store, keys.element_key(GROUP, FUNNEL, "stp_b", "elm_1"))
    queries = _count_queries()

    aggregate = store.read(GROUP, FUNNEL)
    view = aggregate.view()

    assert len(queries) == 3  # never whole: read again a bounded number of times
    assert not aggregate.is_whole()
    assert [(step.stepId, step.sequence) for step in view.steps] == [("stp_b", 1), ("stp_c", 2)]
    assert [(e.elementId, e.position) for e in view.steps[0].elements] == [("elm_2", 1), ("elm_3", 2)]
