"""Funnels at the group limits (50 steps x 100 elements, rich settings): they publish, and big
copies are all or nothing, so a duplicate that fails midway leaves nothing visible behind.

The big funnel is seeded once, in a DynamoDB Local of its own, in a table without a stream:
DynamoDB Local keeps every stream record it ever wrote and each write to a streamed table costs
more the more it keeps, so the 20,000 items written here would slow this module down and every
test after it on the shared server. Nothing here reads the stream."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator

import pytest

from funnel_core.builder import publishing
from funnel_core.builder.store.funnels import FunnelStore
from funnel_core.builder.store.structure import StructureStore
from funnel_core.builder.store.versions import VersionStore
from funnel_core.store import change
from funnel_core.store.client import dynamodb
from funnel_core.store.default import table as default_table
from funnel_core.store.paging import PageRequest
from local.containers import cold_start
from local.dynamodb_local import DynamoDBLocal
from local.lambda_events import claims_for, http_event, invoke
from local.samples.big_funnel import ELEMENTS_PER_STEP, STEPS, seed_funnel, seed_funnel_at_the_limits
from local.samples.world import FUNNEL, GROUP, OWNER, seed_sample_world
from local.stack import LocalStack
from local.template import create_table


@pytest.fixture(scope="module")
def big_funnel(stack: LocalStack) -> Iterator[tuple[str, str]]:
    """(table, funnel id) of a funnel at the limits, in the sample world."""
    name = f"funnel-builder-big-{uuid.uuid4().hex[:8]}"
    with DynamoDBLocal() as server, pytest.MonkeyPatch.context() as patch:
        client = server.client()
        create_table(client, name)
        client.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
        for variable in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_DYNAMODB_STREAMS"):
            patch.setenv(variable, server.endpoint_url)
        patch.setenv("TABLE_NAME", name)
        cold_start()
        seed_sample_world(default_table())
        yield name, seed_funnel_at_the_limits(default_table())
    cold_start()


@pytest.fixture(scope="module")
def copied_funnel(big_funnel: tuple[str, str]) -> tuple[str, str]:
    """(table, funnel id) of a funnel of 6 x 100 elements next to the big one: a copy of it is
    staged in many batches and finished by a transaction, the same path a copy at the limits
    takes, at an eighth of the writes."""
    table, _ = big_funnel
    return table, seed_funnel(default_table(), steps=6, elements_per_step=100, name="Launch", slug="launch")


class Boom(RuntimeError):
    pass


def _funnel_partitions(table: str) -> set[str]:
    """Every funnel item collection in the table (a test may scan; the product never does)."""
    pages = dynamodb().get_paginator("scan").paginate(TableName=table, ProjectionExpression="PK")
    return {item["PK"]["S"] for page in pages for item in page["Items"] if "#FUNNEL#" in item["PK"]["S"]}


def _invoke(sample: str, module: str, funnel_id: str):
    event = http_event(sample, path_parameters={"groupId": GROUP, "funnelId": funnel_id}, claims=claims_for(OWNER))
    return invoke(module, event)


def test_a_funnel_at_the_limits_publishes_and_reads_back_whole(big_funnel):
    _, funnel_id = big_funnel
    store = VersionStore(default_table())

    # When it is published through its handler
    answer = _invoke("publishing/publish", "publishing.publish", funnel_id)

    # Then the version exists and reads back equal to the draft it froze
    assert answer.status == 200, answer.body
    number = answer.body["version"]
    version = store.get(GROUP, funnel_id, number)
    assert version is not None
    assert version.stepCount == STEPS
    assert version.elementCount == STEPS * ELEMENTS_PER_STEP
    assert version.parts == len(publishing.split(store.snapshot(GROUP, funnel_id, number)))
    frozen = publishing.service().published_view(GROUP, funnel_id, number)
    draft = StructureStore(default_table()).read(GROUP, funnel_id)
    assert draft is not None
    moving = {"status", "liveVersion", "latestVersion", "publishedAt", "version", "updatedAt", "updatedBy"}
    assert frozen.model_dump(exclude=moving) == draft.view().model_dump(exclude=moving)


def test_a_snapshot_larger_than_an_item_is_split_and_joined_back(big_funnel):
    # Given a snapshot that does not compress (1.2 MB of noise): four parts
    store = VersionStore(default_table())
    snapshot = random.Random(3).randbytes(1_200_000)
    parts = publishing.split(snapshot)
    assert len(parts) == 4
    assert all(len(part) <= publishing.PART_BYTES for part in parts)

    # When it is stored as a version in one transaction
    version = store.get(GROUP, FUNNEL, 1)
    assert version is not None
    with default_table().change(OWNER, GROUP) as writing:
        store.add(writing, version.model_copy(update={"version": 99, "parts": len(parts)}), parts)

    # Then it reads back byte for byte
    assert store.snapshot(GROUP, FUNNEL, 99) == snapshot


def test_a_funnel_at_the_limits_duplicates_whole(big_funnel):
    _, funnel_id = big_funnel
    answer = _invoke("funnels/duplicate", "funnels.duplicate", funnel_id)
    assert answer.status == 201, answer.body
    assert len(answer.body["steps"]) == STEPS
    assert sum(len(step["elements"]) for step in answer.body["steps"]) == STEPS * ELEMENTS_PER_STEP


@pytest.mark.parametrize("fail_at", ["staging", "final transaction"])
def test_a_copy_that_fails_midway_leaves_nothing_behind(copied_funnel, fail_at):
    table, funnel_id = copied_funnel
    before = _funnel_partitions(table)
    listed_before = FunnelStore(default_table()).list(GROUP, None, PageRequest(100, None, "t")).items

    with pytest.MonkeyPatch.context() as patch:
        if fail_at == "staging":
            real_stage = StructureStore.stage

            def stage_half_then_fail(self, steps, elements):
                real_stage(self, steps[: len(steps) // 2], elements[: len(elements) // 2])
                raise Boom("the container died midway")

            patch.setattr(StructureStore, "stage", stage_half_then_fail)
        else:

            def commit_fails(self):
                raise Boom("the final transaction failed")

            patch.setattr(change.Change, "commit", commit_fails)

        with pytest.raises(Boom):
            _invoke("funnels/duplicate", "funnels.duplicate", funnel_id)

    listed_after = FunnelStore(default_table()).list(GROUP, None, PageRequest(100, None, "t")).items
    assert [f.funnelId for f in listed_after] == [f.funnelId for f in listed_before]
    assert _funnel_partitions(table) == before
