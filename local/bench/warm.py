"""Warm requests: DynamoDB requests and handler time per route, and a nested group read cold and warm."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from local.bench.calls import CallRecorder, DynamoDBCall, in_flight_seconds
from local.bench.documented import DOCUMENTED_ROUND_TRIPS
from local.bench.world import (
    EventMaker,
    event_maker,
    fresh_group,
    fresh_member,
    handler_module,
    module_of,
    new_container,
    require_success,
    sample_name,
    with_idempotency_key,
)
from local.lambda_events import LambdaContext, claims_for, http_event, sample
from local.template import Route

# ---------------------------------------------------------------- warm requests


@dataclass(frozen=True)
class Scenario:
    route: Route
    make_event: EventMaker
    documented_round_trips: int | None
    idempotency_key: bool = False

    @property
    def label(self) -> str:
        """The route key in code font, as the tables show it."""
        return f"`{self.route.route_key}`" + (" with `Idempotency-Key`" if self.idempotency_key else "")


@dataclass(frozen=True)
class Measured:
    """One request: the handler's wall time and the DynamoDB calls it made."""

    seconds: float
    calls: list[DynamoDBCall]
    response_bytes: int = 0

    @property
    def operations(self) -> tuple[str, ...]:
        return tuple(call.operation for call in self.calls)

    @property
    def dynamodb_seconds(self) -> float:
        """Wall time with a DynamoDB call in flight."""
        return in_flight_seconds(self.calls)


@dataclass(frozen=True)
class WarmResult:
    scenario: Scenario
    operations: tuple[str, ...]
    other_operations: tuple[tuple[str, ...], ...]  # when some requests made other calls
    handler_ms: float
    dynamodb_ms: float
    rest_ms: float

    @property
    def ratio(self) -> float:
        return self.handler_ms / self.dynamodb_ms


def scenarios(route: Route) -> list[Scenario]:
    """The route with its sample event; a POST again with an Idempotency-Key."""
    make_event = event_maker(sample_name(route))
    found = [Scenario(route, make_event, DOCUMENTED_ROUND_TRIPS.get(route.route_key))]
    if route.method == "POST":
        found.append(Scenario(route, with_idempotency_key(make_event), None, idempotency_key=True))
    return found


def measure(recorder: CallRecorder, module: str, event: dict[str, Any]) -> Measured:
    handler = import_module(module).lambda_handler
    context = LambdaContext(function_name=module)
    recorder.take()
    started = time.perf_counter()
    result = handler(event, context)
    elapsed = time.perf_counter() - started
    calls = recorder.take()
    require_success(module, result["statusCode"], result.get("body"))
    return Measured(elapsed, calls, len((result.get("body") or "").encode()))


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def measure_warm(recorder: CallRecorder, scenario: Scenario, iterations: int) -> WarmResult:
    """``iterations`` requests after one unmeasured warm-up request."""
    module = handler_module(scenario.route)
    measure(recorder, module, scenario.make_event())
    runs = [measure(recorder, module, scenario.make_event()) for _ in range(iterations)]
    shapes = Counter(run.operations for run in runs).most_common()
    return WarmResult(
        scenario=scenario,
        operations=shapes[0][0],
        other_operations=tuple(shape for shape, _ in shapes[1:]),
        handler_ms=median_ms([run.seconds for run in runs]),
        dynamodb_ms=median_ms([run.dynamodb_seconds for run in runs]),
        rest_ms=median_ms([run.seconds - run.dynamodb_seconds for run in runs]),
    )


@dataclass(frozen=True)
class NestedResult:
    request: str
    caller: str
    cold: tuple[str, ...]
    warm: tuple[str, ...]


def measure_nested(recorder: CallRecorder) -> list[NestedResult]:
    """Requests to a grandchild of the sample group, on a fresh container and then warm."""
    from local.samples.world import GROUP, OWNER

    grandchild = fresh_group(parent=fresh_group(parent=GROUP))
    heir = fresh_member(role="group_owner")  # owner of the sample group, so of its descendants
    inherited, direct = "group_owner of the grandparent (inherited)", "group_owner of the group itself"
    requests = [("groups/get", heir, inherited), ("things/list", heir, inherited), ("groups/get", OWNER, direct)]
    results = []
    for name, person, caller in requests:
        module, where, claims = module_of(name), {"groupId": grandchild}, claims_for(person)
        new_container()
        cold, warm = [
            measure(recorder, module, http_event(name, path_parameters=where, claims=claims)) for _ in range(2)
        ]
        results.append(NestedResult(sample(name)["routeKey"], caller, cold.operations, warm.operations))
    return results
