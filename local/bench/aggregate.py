"""The funnel aggregate: a read against one raw Query, and publishing and duplicating a funnel
at the limits."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from local.bench.calls import CallRecorder, most_in_flight
from local.bench.markdown import code
from local.bench.warm import Measured, measure, median_ms
from local.bench.world import rename_funnel, serial, unique
from local.lambda_events import http_event
from local.template import http_routes

# ---------------------------------------------------------------- the funnel aggregate

# The funnel read against a raw Query of its item collection: steps x elements per step.
AGGREGATE_SHAPE = (10, 20)
# Requests to the funnel at the limits (each takes seconds: a publish two or three, a duplicate eight or more).
PUBLISH_RUNS_AT_THE_LIMITS = 3
DUPLICATE_RUNS_AT_THE_LIMITS = 3


def seed_funnel(steps: int, elements_per_step: int) -> str:
    """A funnel of ``steps`` x ``elements_per_step`` in the seeded world, through the store."""
    from funnel_core.store.default import table
    from local.samples import big_funnel

    return big_funnel.seed_funnel(
        table(),
        steps=steps,
        elements_per_step=elements_per_step,
        name=unique("Bench aggregate"),
        slug=f"bench-aggregate-{next(serial)}",
    )


@dataclass(frozen=True)
class AggregateRead:
    """``GET .../funnels/{funnelId}`` of one funnel, against a raw Query of its item collection."""

    steps: int
    elements_per_step: int
    items: int  # in the item collection, as the raw Query counted them
    operations: tuple[str, ...]
    handler_ms: float
    dynamodb_ms: float
    rest_ms: float
    query_ms: float
    response_bytes: int

    @property
    def ratio(self) -> float:
        return self.handler_ms / self.query_ms


def _raw_query(group_id: str, funnel_id: str) -> tuple[float, int]:
    """One Query of the funnel's item collection with the store's boto3 client, as the store
    sends it but with nothing made of the items: seconds, and the items counted."""
    from funnel_core.builder import keys
    from funnel_core.store.client import dynamodb
    from funnel_core.store.codec import serialize_value
    from funnel_core.store.default import table

    request: dict[str, Any] = {
        "TableName": table().name,
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": "PK"},
        "ExpressionAttributeValues": {":pk": serialize_value(keys.funnel_pk(group_id, funnel_id))},
        "ConsistentRead": True,
    }
    client, count = dynamodb(), 0
    started = time.perf_counter()
    while True:
        response = client.query(**request)
        count += response["Count"]
        if "LastEvaluatedKey" not in response:
            return time.perf_counter() - started, count
        request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def measure_aggregate_read(recorder: CallRecorder, iterations: int) -> AggregateRead:
    """A funnel of ``AGGREGATE_SHAPE``, read ``iterations`` times through its handler and as
    many times by a raw Query, each after one unmeasured warm-up."""
    from local.samples.world import GROUP

    steps, per_step = AGGREGATE_SHAPE
    funnel_id = seed_funnel(steps, per_step)
    event = http_event("funnels/get", path_parameters={"funnelId": funnel_id})
    runs, queries = [], []
    for _ in range(iterations + 1):  # in turn, so load that drifts weighs on both alike
        runs.append(measure(recorder, "funnels.get", event))
        queries.append(_raw_query(GROUP, funnel_id))
    runs, queries = runs[1:], queries[1:]
    shapes = Counter(run.operations for run in runs).most_common()
    return AggregateRead(
        steps=steps,
        elements_per_step=per_step,
        items=queries[0][1],
        operations=shapes[0][0],
        handler_ms=median_ms([run.seconds for run in runs]),
        dynamodb_ms=median_ms([run.dynamodb_seconds for run in runs]),
        rest_ms=median_ms([run.seconds - run.dynamodb_seconds for run in runs]),
        query_ms=median_ms([seconds for seconds, _ in queries]),
        response_bytes=runs[0].response_bytes,
    )


@dataclass(frozen=True)
class BigRequest:
    """Requests of one route on the funnel at the limits: medians, and the calls of the first."""

    label: str
    timeout_s: int  # the function's Timeout in template.yaml
    runs: int
    operations: tuple[str, ...]
    handler_ms: float
    dynamodb_ms: float
    rest_ms: float
    response_bytes: int
    most_in_flight: int  # DynamoDB calls at one moment


def _big_request(route_key: str, runs: list[Measured]) -> BigRequest:
    route = next(route for route in http_routes() if route.route_key == route_key)
    return BigRequest(
        label=code(route_key),
        timeout_s=route.function.timeout,
        runs=len(runs),
        operations=runs[0].operations,
        handler_ms=median_ms([run.seconds for run in runs]),
        dynamodb_ms=median_ms([run.dynamodb_seconds for run in runs]),
        rest_ms=median_ms([run.seconds - run.dynamodb_seconds for run in runs]),
        response_bytes=runs[0].response_bytes,
        most_in_flight=max(most_in_flight(run.calls) for run in runs),
    )


@dataclass(frozen=True)
class LimitsResult:
    steps: int
    elements: int
    items: int
    publish: BigRequest
    snapshot_bytes: int
    parts: int
    duplicate: BigRequest


def measure_at_the_limits(recorder: CallRecorder) -> LimitsResult:
    """The funnel of local/samples/big_funnel.py (50 steps x 100 elements, rich settings),
    published (a new version each time), then duplicated (renamed before each, so
    every copy is named at the first attempt)."""
    from funnel_core.builder.store.versions import VersionStore
    from funnel_core.store.default import table
    from local.samples.big_funnel import seed_funnel_at_the_limits
    from local.samples.world import GROUP

    funnel_id = seed_funnel_at_the_limits(table())
    where = {"funnelId": funnel_id}
    publishes = [
        measure(recorder, "publishing.publish", http_event("publishing/publish", path_parameters=where))
        for _ in range(PUBLISH_RUNS_AT_THE_LIMITS)
    ]
    version = VersionStore(table()).get(GROUP, funnel_id, 1)
    assert version is not None
    duplicates = []
    for _ in range(DUPLICATE_RUNS_AT_THE_LIMITS):
        rename_funnel(GROUP, funnel_id)
        event = http_event("funnels/duplicate", path_parameters=where)
        duplicates.append(measure(recorder, "funnels.duplicate", event))
    return LimitsResult(
        steps=version.stepCount,
        elements=version.elementCount,
        items=_raw_query(GROUP, funnel_id)[1],
        publish=_big_request(f"POST {FUNNEL_ROUTE}/publish", publishes),
        snapshot_bytes=version.bytes,
        parts=version.parts,
        duplicate=_big_request(f"POST {FUNNEL_ROUTE}/duplicate", duplicates),
    )


FUNNEL_ROUTE = "/groups/{groupId}/funnels/{funnelId}"
