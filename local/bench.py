"""``make bench``: what every HTTP route costs, measured against DynamoDB Local; writes docs/benchmarks.md.

For every route in template.yaml, invoked in-process with its sample event from events/:

1. DynamoDB round trips of a warm request, per operation, counted by a hook on boto3's default
   session, so every client the handlers create is seen (the store's, Powertools
   idempotency's), next to what docs/data-model.md says (``DOCUMENTED_ROUND_TRIPS``); plus a
   nested group read by a caller whose role is inherited, on a cold container and warm, since
   the per-container ancestor cache changes what authorization reads.
2. The handler's time against the time spent inside its own DynamoDB calls (from botocore's
   ``before-call`` to its ``after-call``: signing, the HTTP round trip, parsing), warm, median.
3. The funnel aggregate: reading a funnel of 10 steps x 20 elements against one raw Query of
   its item collection; publishing and duplicating a funnel at the group limits (50 x 100).
4. Cold start, for one handler per resource (the first route of each functions/ folder): the
   handler imported and invoked once in a fresh interpreter (the dev virtualenv's, without
   user site-packages or the working directory on ``sys.path``), against a baseline that only
   imports boto3 and creates a DynamoDB client; and where one handler's import time goes, by
   ``python -X importtime``.

Every measured request must succeed with a 2xx. The table is recreated and the sample world
put back before each scenario (``World``); a route that changes or removes something gets a fresh target for
every call (created through the API's own routes), or an event made from the state of the
moment (the current version, the current order), so each call does real work.

funnel_core is imported inside functions, never at module level: its Logger and Metrics read
the environment when imported, and that environment is set by the local stack this bench starts.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module, metadata
from pathlib import Path
from typing import Any

import boto3

from local import REPO_ROOT
from local.dynamodb_local import JAR_NAME
from local.lambda_events import LambdaContext, claims_for, http_event, invoke, sample
from local.stack import LocalStack
from local.template import Route, http_routes

log = logging.getLogger(__name__)

DOC_PATH = REPO_ROOT / "docs" / "benchmarks.md"
ITERATIONS = 30
COLD_RUNS = 3
# The funnel read against a raw Query of its item collection: steps x elements per step.
AGGREGATE_SHAPE = (10, 20)
# Requests to the funnel at the limits (each takes seconds: a publish two or three, a duplicate eight or more).
PUBLISH_RUNS_AT_THE_LIMITS = 3
DUPLICATE_RUNS_AT_THE_LIMITS = 3
IMPORTTIME_MODULE = "things.get"
IMPORTTIME_TOP = 5
# Own names, so a bench run inside a test session never meets the session's table or bucket.
TABLE_NAME = "funnel-builder-bench"
AUDIT_BUCKET_NAME = "funnel-builder-audit-bench"
_SUBPROCESS_TIMEOUT_SECONDS = 120
_RESULT_MARKER = "BENCH-RESULT "
_BASELINE = "baseline"
BASELINE_LABEL = "baseline: `import boto3`, a DynamoDB client"

# Runs in the fresh interpreter. The event is read before the clock starts; the baseline is a
# handler that needs only boto3 and a DynamoDB client.
_COLD_RUNNER = f"""
import json, sys, time

class Context:
    function_name = "bench"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self):
        return 10_000

event = json.loads(sys.stdin.read())
started = time.perf_counter()
if sys.argv[1] == {_BASELINE!r}:
    import boto3
    boto3.client("dynamodb")

    def handler(event, context):
        return {{"statusCode": 200}}
else:
    import importlib
    handler = importlib.import_module(sys.argv[1]).lambda_handler
imported = time.perf_counter()
status = handler(event, Context())["statusCode"]
invoked = time.perf_counter()
print({_RESULT_MARKER!r} + json.dumps({{"status": status, "import": imported - started, "invoke": invoked - imported}}))
"""
_IMPORTTIME_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| *(\S+)$")


# ---------------------------------------------------------------- counting DynamoDB calls


@dataclass(frozen=True)
class DynamoDBCall:
    operation: str
    started: float  # time.perf_counter()
    ended: float

    @property
    def seconds(self) -> float:
        return self.ended - self.started


class CallRecorder:
    """Every DynamoDB call made by a client of boto3's default session created while ``installed``."""

    _STARTED = "bench_started"

    def __init__(self) -> None:
        self._calls: list[DynamoDBCall] = []

    def take(self) -> list[DynamoDBCall]:
        """The calls since the last ``take``, forgotten here."""
        calls, self._calls = self._calls, []
        return calls

    @contextmanager
    def installed(self) -> Iterator[CallRecorder]:
        if boto3.DEFAULT_SESSION is None:
            boto3.setup_default_session()
        events = boto3.DEFAULT_SESSION.events  # type: ignore[union-attr]
        # A client copies its session's handlers when created, so this reaches every later client.
        events.register("before-call.dynamodb", self._before)
        events.register("after-call.dynamodb", self._after)
        try:
            yield self
        finally:
            events.unregister("before-call.dynamodb", self._before)
            events.unregister("after-call.dynamodb", self._after)

    def _before(self, *, context: dict[str, Any], **_: Any) -> None:
        context[self._STARTED] = time.perf_counter()

    def _after(self, *, context: dict[str, Any], event_name: str, **_: Any) -> None:
        # Calls may come from several threads at once (a big copy stages its batches in parallel);
        # each has a context of its own, and list.append is atomic.
        ended = time.perf_counter()
        self._calls.append(DynamoDBCall(event_name.rsplit(".", 1)[-1], context.pop(self._STARTED), ended))


def most_in_flight(calls: list[DynamoDBCall]) -> int:
    """The most of ``calls`` in flight at one moment."""
    edges = sorted([(call.started, 1) for call in calls] + [(call.ended, -1) for call in calls])
    return max(itertools.accumulate(step for _, step in edges), default=0)


def in_flight_seconds(calls: list[DynamoDBCall]) -> float:
    """The time during which at least one of ``calls`` was in flight: their sum when they ran
    one after another, less when some overlapped."""
    total, reached = 0.0, float("-inf")
    for call in sorted(calls, key=lambda call: call.started):
        if call.ended > reached:
            total += call.ended - max(call.started, reached)
            reached = call.ended
    return total


def describe_calls(operations: tuple[str, ...]) -> str:
    """``("BatchGetItem", "GetItem", "GetItem")`` as ``3 (BatchGetItem, GetItem x2)``."""
    counts = Counter(operations)
    names = [name if counts[name] == 1 else f"{name} x{counts[name]}" for name in dict.fromkeys(operations)]
    return f"{len(operations)} ({', '.join(names)})" if operations else "0"


# ---------------------------------------------------------------- the world the requests meet


def _module(route: Route) -> str:
    return route.handler.removesuffix(".lambda_handler")


def _sample_name(route: Route) -> str:
    return _module(route).replace(".", "/")


def _module_of(sample_name: str) -> str:
    return sample_name.replace("/", ".")


_serial = itertools.count(1)


def _unique(prefix: str) -> str:
    return f"{prefix}_{next(_serial)}"


def _require_success(what: str, status: int, body: Any = None) -> None:
    if not 200 <= status < 300:
        raise RuntimeError(f"{what} answered {status}: {body}")


def _sample_body(sample_name: str, /, **fields: Any) -> dict[str, Any]:
    return {**json.loads(sample(sample_name)["body"]), **fields}


def _new_group_body(parent: str | None = None) -> dict[str, Any]:
    """The create sample under a name of its own: a derived slug must not collide."""
    body = _sample_body("groups/create", name=_unique("Bench group"))
    return {**body, "parentGroupId": parent} if parent else body


def _new_connection_body() -> dict[str, Any]:
    """The create sample with a relationship of its own: one live connection per (from, type, to)."""
    return _sample_body("connections/create", relationshipType=_unique("bench"))


def _new_person_id() -> str:
    return _unique("bench-person")


def _fresh_id(sample_name: str, id_field: str, **changes: Any) -> str:
    """Create something through its own create route, as a client would; its id."""
    answer = invoke(_module_of(sample_name), http_event(sample_name, **changes))
    _require_success(sample_name, answer.status, answer.body)
    return str(answer.body[id_field])


def _fresh_group(parent: str | None = None) -> str:
    return _fresh_id("groups/create", "groupId", body=_new_group_body(parent))


def _fresh_thing() -> str:
    return _fresh_id("things/create", "thingId")


def _fresh_connection() -> str:
    return _fresh_id("connections/create", "connectionId", body=_new_connection_body())


def _fresh_knowledge() -> str:
    return _fresh_id("knowledge/create", "knowledgeId")


def _fresh_member(role: str = "group_user") -> str:
    person = _new_person_id()
    return _fresh_id("members/put", "personId", path_parameters={"personId": person}, body={"role": role})


def _new_funnel_body() -> dict[str, Any]:
    """The create sample under a name of its own: funnel names and slugs are unique in a group."""
    return _sample_body("funnels/create", name=_unique("Bench funnel"))


def _new_step_body() -> dict[str, Any]:
    """The create sample under a name of its own: step slugs are unique in a funnel."""
    return _sample_body("steps/create", name=_unique("Bench step"))


def _new_template_body() -> dict[str, Any]:
    return _sample_body("templates/save", name=_unique("Bench template"))


def _fresh_funnel() -> str:
    return _fresh_id("funnels/create", "funnelId", body=_new_funnel_body())


def _fresh_step() -> str:
    """A new last step of the sample funnel, without elements."""
    return _fresh_id("steps/create", "stepId", body=_new_step_body())


def _fresh_element() -> str:
    """A new last element of the sample step."""
    return _fresh_id("elements/create", "elementId")


def _fresh_assignee() -> str:
    """A new group_user of the sample group, assigned to the sample funnel."""
    person = _fresh_member()
    return _fresh_id("assignees/put", "fromThingId", path_parameters={"personId": person})


# A route that changes or removes something gets a fresh target per call ...
_FRESH_TARGET: dict[str, tuple[str, Callable[[], str]]] = {
    "groups/update": ("groupId", _fresh_group),
    "groups/archive": ("groupId", _fresh_group),
    "things/update": ("thingId", _fresh_thing),
    "things/archive": ("thingId", _fresh_thing),
    "connections/end": ("connectionId", _fresh_connection),
    "knowledge/delete": ("knowledgeId", _fresh_knowledge),
    "members/remove": ("personId", _fresh_member),
    "members/put": ("personId", _new_person_id),
    "funnels/archive": ("funnelId", _fresh_funnel),
    "steps/remove": ("stepId", _fresh_step),
    "elements/remove": ("elementId", _fresh_element),
    "assignees/put": ("personId", _fresh_member),
    "assignees/remove": ("personId", _fresh_assignee),
}
# ... a create whose result must be unique a fresh body ...
_FRESH_BODY: dict[str, Callable[[], dict[str, Any]]] = {
    "groups/create": _new_group_body,
    "connections/create": _new_connection_body,
    "funnels/create": _new_funnel_body,
    "steps/create": _new_step_body,
    "templates/save": _new_template_body,
}


def _sample_target(sample_name: str) -> dict[str, str]:
    return dict(sample(sample_name)["pathParameters"])


def _aggregate_of(sample_name: str) -> Any:
    """The funnel the sample ``sample_name`` points at, read through the store (not counted: the
    recorder forgets every call made before a measured request)."""
    from funnel_core.store.ontology import OntologyStore

    target = _sample_target(sample_name)
    aggregate = OntologyStore().read_funnel(target["groupId"], target["funnelId"])
    if aggregate is None:
        raise RuntimeError(f"{sample_name}: funnel {target['funnelId']} not found")
    return aggregate


def _edit_funnel_event() -> dict[str, Any]:
    """A rename at the funnel's current version: a new name every time, so its guard moves."""
    version = _aggregate_of("funnels/update").funnel.version
    return http_event("funnels/update", body=_sample_body("funnels/update", version=version, name=_unique("Bench")))


def _edit_step_event() -> dict[str, Any]:
    step_id = _sample_target("steps/update")["stepId"]
    version = _aggregate_of("steps/update").steps[step_id].version
    return http_event("steps/update", body=_sample_body("steps/update", version=version))


def _edit_element_event() -> dict[str, Any]:
    element_id = _sample_target("elements/update")["elementId"]
    version = _aggregate_of("elements/update").elements[element_id].version
    return http_event("elements/update", body=_sample_body("elements/update", version=version))


def _reorder_steps_event() -> dict[str, Any]:
    """The funnel's steps in the reverse of their order of the moment, so the order changes."""
    step_ids = _aggregate_of("steps/reorder").funnel.stepIds
    return http_event("steps/reorder", body={"stepIds": step_ids[::-1]})


def _reorder_elements_event() -> dict[str, Any]:
    step_id = _sample_target("elements/reorder")["stepId"]
    element_ids = _aggregate_of("elements/reorder").steps[step_id].elementIds
    return http_event("elements/reorder", body={"elementIds": element_ids[::-1]})


def rename_funnel(group_id: str, funnel_id: str) -> None:
    """Give the funnel a name and slug of its own, through the store: a duplicate is named after
    its source ("<name> (Copy)", then " 2" ... up to 10), so each copy gets a free name at the
    first attempt however many are made."""
    from funnel_core.store.ontology import OntologyStore

    store = OntologyStore()
    [funnel] = store.get_funnels(group_id, [funnel_id])
    number = next(_serial)
    renamed = funnel.model_copy(
        update={"name": f"Bench source {number}", "slug": f"bench-source-{number}", "version": funnel.version + 1}
    )
    uow = store.unit_of_work()
    uow.release_funnel_name(group_id, funnel.name)
    uow.release_funnel_slug(group_id, funnel.slug)
    uow.claim_funnel_name(group_id, renamed.name, funnel_id)
    uow.claim_funnel_slug(group_id, renamed.slug, funnel_id)
    uow.replace_funnel(renamed, expected_version=funnel.version)
    uow.commit()


def _duplicate_event() -> dict[str, Any]:
    target = _sample_target("funnels/duplicate")
    rename_funnel(target["groupId"], target["funnelId"])
    return http_event("funnels/duplicate")


def _unpublish_event() -> dict[str, Any]:
    """Version 1 made live again first (through the restore route), so there is something to
    take down."""
    answer = invoke("publishing.restore", http_event("publishing/restore"))
    _require_success("publishing/restore", answer.status, answer.body)
    return http_event("publishing/unpublish")


# ... and a route whose event depends on the state of the moment an event made from it.
_FROM_STATE: dict[str, Callable[[], dict[str, Any]]] = {
    "funnels/update": _edit_funnel_event,
    "funnels/duplicate": _duplicate_event,
    "steps/update": _edit_step_event,
    "steps/reorder": _reorder_steps_event,
    "elements/update": _edit_element_event,
    "elements/reorder": _reorder_elements_event,
    "publishing/unpublish": _unpublish_event,
}

EventMaker = Callable[[], dict[str, Any]]


def event_maker(sample_name: str) -> EventMaker:
    """Events from the sample ``sample_name`` that succeed every time they are sent. Routes that
    only read, and publish and restore (a new version or the same one made live again, every
    time), take the sample as it is."""
    if sample_name in _FRESH_TARGET:
        parameter, fresh = _FRESH_TARGET[sample_name]
        return lambda: http_event(sample_name, path_parameters={parameter: fresh()})
    if sample_name in _FRESH_BODY:
        make_body = _FRESH_BODY[sample_name]
        return lambda: http_event(sample_name, body=make_body())
    if sample_name in _FROM_STATE:
        return _FROM_STATE[sample_name]
    return lambda: http_event(sample_name)


def _with_idempotency_key(make_event: EventMaker) -> EventMaker:
    def make() -> dict[str, Any]:
        event = make_event()
        event["headers"]["idempotency-key"] = _unique("bench-key")
        return event

    return make


class World:
    """The sample world, anew: the table recreated, its stream turned off, then the world seeded
    through the store the first time and, after that, its items as they were then written back
    (the same items, a tenth of the time: a scan's worth of BatchWriteItem instead of the
    store's transactions).

    The stream is off because DynamoDB Local keeps every stream record it ever wrote, those of
    deleted tables too, and each write to a table with a stream costs more the more records it
    keeps: a BatchWriteItem of 25 items took about 50 ms on a fresh DynamoDB Local and about
    240 ms after 20,000 items written to tables since deleted (under 10 ms without a stream),
    so routes measured late in the bench looked twice as slow as the same routes measured
    early. Nothing here reads the stream, and on AWS a stream adds nothing to a write's latency.
    """

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self._items: list[dict[str, Any]] | None = None

    def reset(self) -> None:
        from funnel_core.store.client import dynamodb
        from funnel_core.store.ontology import OntologyStore
        from local.sample_world import seed_sample_world

        self.stack.recreate_table()
        client, table = dynamodb(), self.stack.table_name
        client.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
        if self._items is None:
            seed_sample_world(OntologyStore())
            pages = client.get_paginator("scan").paginate(TableName=table, ConsistentRead=True)
            self._items = [item for page in pages for item in page["Items"]]
            return
        for start in range(0, len(self._items), 25):
            pending: dict[str, Any] = {
                table: [{"PutRequest": {"Item": item}} for item in self._items[start : start + 25]]
            }
            while pending:
                pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


def _new_container() -> None:
    """Forget what a Lambda container keeps between requests, the ancestor ids authorization
    caches included."""
    from local.containers import cold_start

    cold_start()


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


# What docs/data-model.md's "Authorization round trips" table says a warm request costs, route by
# route, under the row of that table it falls in: keep the two in step. The test holds every
# route's measured count to this.
DOCUMENTED_ROUND_TRIPS: dict[str, int] = {
    # "read by id": 1, BatchGetItem
    "GET /groups/{groupId}": 1,
    "GET /groups/{groupId}/things/{thingId}": 1,
    # "list": 2, BatchGetItem + Query
    "GET /groups/{groupId}/children": 2,
    "GET /groups/{groupId}/members": 2,
    "GET /groups/{groupId}/things": 2,
    "GET /groups/{groupId}/things/{thingId}/connections": 2,
    "GET /groups/{groupId}/events": 2,
    "GET /groups/{groupId}/knowledge": 2,
    # "GET /groups": 2, Query of memberships + BatchGetItem of the groups on the page
    "GET /groups": 2,
    # "GET /me": 1, Query of memberships
    "GET /me": 1,
    # "POST /groups (top-level)": 1, TransactWriteItems
    "POST /groups": 1,
    # "any other write of the ontology, member changes included": 2, BatchGetItem + TransactWriteItems
    "PATCH /groups/{groupId}": 2,
    "DELETE /groups/{groupId}": 2,
    "PUT /groups/{groupId}/members/{personId}": 2,
    "DELETE /groups/{groupId}/members/{personId}": 2,
    "POST /groups/{groupId}/things": 2,
    "PATCH /groups/{groupId}/things/{thingId}": 2,
    "DELETE /groups/{groupId}/things/{thingId}": 2,
    "POST /groups/{groupId}/connections": 2,
    "DELETE /groups/{groupId}/connections/{connectionId}": 2,
    "POST /groups/{groupId}/knowledge": 2,
    "DELETE /groups/{groupId}/knowledge/{knowledgeId}": 2,
    # "read a funnel or a step": 2, BatchGetItem + one Query of the item collection
    "GET /groups/{groupId}/funnels/{funnelId}": 2,
    "GET /groups/{groupId}/funnels/{funnelId}/steps/{stepId}": 2,
    # "list funnels": 2, BatchGetItem + Query
    "GET /groups/{groupId}/funnels": 2,
    # "POST .../funnels": 2, BatchGetItem + TransactWriteItems
    "POST /groups/{groupId}/funnels": 2,
    # "edit a funnel, add/change/reorder steps or elements, publish, unpublish, save a template":
    # 3, BatchGetItem + Query + TransactWriteItems. Archiving a funnel is an edit of it here: the
    # table names no row for it.
    "PATCH /groups/{groupId}/funnels/{funnelId}": 3,
    "DELETE /groups/{groupId}/funnels/{funnelId}": 3,
    "POST /groups/{groupId}/funnels/{funnelId}/steps": 3,
    "PATCH /groups/{groupId}/funnels/{funnelId}/steps/{stepId}": 3,
    "PUT /groups/{groupId}/funnels/{funnelId}/step-order": 3,
    "POST /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements": 3,
    "PATCH /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}": 3,
    "PUT /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/element-order": 3,
    "DELETE /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}": 3,
    "POST /groups/{groupId}/funnels/{funnelId}/publish": 3,
    "POST /groups/{groupId}/funnels/{funnelId}/unpublish": 3,
    "POST /groups/{groupId}/templates": 3,
    # "remove a step": 4, the same, then a BatchWriteItem of the step's unlisted items
    "DELETE /groups/{groupId}/funnels/{funnelId}/steps/{stepId}": 4,
    # "restore version n": 3, BatchGetItem (with the funnel item) + GetItem of the version +
    # TransactWriteItems
    "POST /groups/{groupId}/funnels/{funnelId}/versions/{n}/restore": 3,
    # "GET .../versions": 2, BatchGetItem (with the funnel item) + Query; "GET .../versions/{n}":
    # 3, BatchGetItem + GetItem + Query of its parts
    "GET /groups/{groupId}/funnels/{funnelId}/versions": 2,
    "GET /groups/{groupId}/funnels/{funnelId}/versions/{n}": 3,
    # "duplicate": 3 + one BatchWriteItem per 25 staged items (the sample funnel's 2 steps and 2
    # elements: one)
    "POST /groups/{groupId}/funnels/{funnelId}/duplicate": 4,
    # "GET /templates": 1, BatchGetItem of the usage counters
    "GET /templates": 1,
    # "GET /groups/{g}/templates": 3, BatchGetItem + Query + BatchGetItem of the usage counters
    "GET /groups/{groupId}/templates": 3,
    # "assign / unassign a group_user": 2 / 2
    "PUT /groups/{groupId}/funnels/{funnelId}/assignees/{personId}": 2,
    "DELETE /groups/{groupId}/funnels/{funnelId}/assignees/{personId}": 2,
}


def scenarios(route: Route) -> list[Scenario]:
    """The route with its sample event; a POST again with an Idempotency-Key."""
    make_event = event_maker(_sample_name(route))
    found = [Scenario(route, make_event, DOCUMENTED_ROUND_TRIPS.get(route.route_key))]
    if route.method == "POST":
        found.append(Scenario(route, _with_idempotency_key(make_event), None, idempotency_key=True))
    return found


def _measure(recorder: CallRecorder, module: str, event: dict[str, Any]) -> Measured:
    handler = import_module(module).lambda_handler
    context = LambdaContext(function_name=module)
    recorder.take()
    started = time.perf_counter()
    result = handler(event, context)
    elapsed = time.perf_counter() - started
    calls = recorder.take()
    _require_success(module, result["statusCode"], result.get("body"))
    return Measured(elapsed, calls, len((result.get("body") or "").encode()))


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def measure_warm(recorder: CallRecorder, scenario: Scenario, iterations: int) -> WarmResult:
    """``iterations`` requests after one unmeasured warm-up request."""
    module = _module(scenario.route)
    _measure(recorder, module, scenario.make_event())
    runs = [_measure(recorder, module, scenario.make_event()) for _ in range(iterations)]
    shapes = Counter(run.operations for run in runs).most_common()
    return WarmResult(
        scenario=scenario,
        operations=shapes[0][0],
        other_operations=tuple(shape for shape, _ in shapes[1:]),
        handler_ms=_median_ms([run.seconds for run in runs]),
        dynamodb_ms=_median_ms([run.dynamodb_seconds for run in runs]),
        rest_ms=_median_ms([run.seconds - run.dynamodb_seconds for run in runs]),
    )


@dataclass(frozen=True)
class NestedResult:
    request: str
    caller: str
    cold: tuple[str, ...]
    warm: tuple[str, ...]


def measure_nested(recorder: CallRecorder) -> list[NestedResult]:
    """Requests to a grandchild of the sample group, on a fresh container and then warm."""
    from local.sample_world import GROUP, OWNER

    grandchild = _fresh_group(parent=_fresh_group(parent=GROUP))
    heir = _fresh_member(role="group_owner")  # owner of the sample group, so of its descendants
    inherited, direct = "group_owner of the grandparent (inherited)", "group_owner of the group itself"
    requests = [("groups/get", heir, inherited), ("things/list", heir, inherited), ("groups/get", OWNER, direct)]
    results = []
    for name, person, caller in requests:
        module, where, claims = _module_of(name), {"groupId": grandchild}, claims_for(person)
        _new_container()
        cold, warm = [
            _measure(recorder, module, http_event(name, path_parameters=where, claims=claims)) for _ in range(2)
        ]
        results.append(NestedResult(sample(name)["routeKey"], caller, cold.operations, warm.operations))
    return results


# ---------------------------------------------------------------- the funnel aggregate


def seed_funnel(steps: int, elements_per_step: int) -> str:
    """A funnel of ``steps`` x ``elements_per_step`` in the seeded world, through the store."""
    from funnel_core.store.ontology import OntologyStore
    from local import big_funnel

    return big_funnel.seed_funnel(
        OntologyStore(),
        steps=steps,
        elements_per_step=elements_per_step,
        name=_unique("Bench aggregate"),
        slug=f"bench-aggregate-{next(_serial)}",
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
    from funnel_core.store import keys
    from funnel_core.store.client import dynamodb
    from funnel_core.store.codec import serialize_value
    from funnel_core.store.ontology import OntologyStore

    request: dict[str, Any] = {
        "TableName": OntologyStore().table,
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": keys.PK},
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
    from local.sample_world import GROUP

    steps, per_step = AGGREGATE_SHAPE
    funnel_id = seed_funnel(steps, per_step)
    event = http_event("funnels/get", path_parameters={"funnelId": funnel_id})
    runs, queries = [], []
    for _ in range(iterations + 1):  # in turn, so load that drifts weighs on both alike
        runs.append(_measure(recorder, "funnels.get", event))
        queries.append(_raw_query(GROUP, funnel_id))
    runs, queries = runs[1:], queries[1:]
    shapes = Counter(run.operations for run in runs).most_common()
    return AggregateRead(
        steps=steps,
        elements_per_step=per_step,
        items=queries[0][1],
        operations=shapes[0][0],
        handler_ms=_median_ms([run.seconds for run in runs]),
        dynamodb_ms=_median_ms([run.dynamodb_seconds for run in runs]),
        rest_ms=_median_ms([run.seconds - run.dynamodb_seconds for run in runs]),
        query_ms=_median_ms([seconds for seconds, _ in queries]),
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
        label=_code(route_key),
        timeout_s=route.function.timeout,
        runs=len(runs),
        operations=runs[0].operations,
        handler_ms=_median_ms([run.seconds for run in runs]),
        dynamodb_ms=_median_ms([run.dynamodb_seconds for run in runs]),
        rest_ms=_median_ms([run.seconds - run.dynamodb_seconds for run in runs]),
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
    """The funnel of local/big_funnel.py (50 steps x 100 elements, rich settings),
    published (a new version each time), then duplicated (renamed before each, so
    every copy is named at the first attempt)."""
    from funnel_core.store.ontology import OntologyStore
    from local.big_funnel import seed_funnel_at_the_limits
    from local.sample_world import GROUP

    store = OntologyStore()
    funnel_id = seed_funnel_at_the_limits(store)
    where = {"funnelId": funnel_id}
    publishes = [
        _measure(recorder, "publishing.publish", http_event("publishing/publish", path_parameters=where))
        for _ in range(PUBLISH_RUNS_AT_THE_LIMITS)
    ]
    version = store.get_version(GROUP, funnel_id, 1)
    assert version is not None
    duplicates = []
    for _ in range(DUPLICATE_RUNS_AT_THE_LIMITS):
        rename_funnel(GROUP, funnel_id)
        event = http_event("funnels/duplicate", path_parameters=where)
        duplicates.append(_measure(recorder, "funnels.duplicate", event))
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


# ---------------------------------------------------------------- cold start


def cold_start_routes(routes: list[Route]) -> list[Route]:
    """One route per resource: the first of each functions/ folder in template.yaml's order."""
    first: dict[str, Route] = {}
    for route in routes:
        first.setdefault(_module(route).split(".")[0], route)
    return list(first.values())


@dataclass(frozen=True)
class ColdResult:
    label: str
    handler: str
    import_ms: float
    invoke_ms: float
    total_ms: float


def _subprocess_environment(stack: LocalStack, python_paths: tuple[Path, ...]) -> dict[str, str]:
    """What Lambda would give the function: the stack's settings and the code and layer paths."""
    settings = {name: value for name, value in stack.environment().items() if value is not None}
    return {**settings, "PYTHONPATH": os.pathsep.join(str(path) for path in python_paths)}


def _fresh_interpreter(
    arguments: list[str], environment: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    # -s: no user site-packages; -P: not the working directory on sys.path. Not -I, which would
    # also ignore PYTHONPATH, the stand-in for Lambda's code and layer folders.
    return subprocess.run(
        [sys.executable, "-s", "-P", *arguments],
        input=stdin,
        env=environment,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=_SUBPROCESS_TIMEOUT_SECONDS,
        check=True,
    )


def _cold_run(module: str, event: dict[str, Any], environment: dict[str, str]) -> tuple[float, float]:
    """One fresh interpreter: seconds to import the handler, seconds of its first invocation."""
    finished = _fresh_interpreter(["-c", _COLD_RUNNER, module], environment, json.dumps(event))
    line = next(line for line in reversed(finished.stdout.splitlines()) if line.startswith(_RESULT_MARKER))
    result = json.loads(line.removeprefix(_RESULT_MARKER))
    _require_success(f"{module} (cold)", result["status"], finished.stderr[-2000:])
    return result["import"], result["invoke"]


def cold_result(label: str, handler: str, timings: list[tuple[float, float]]) -> ColdResult:
    return ColdResult(
        label=label,
        handler=handler,
        import_ms=_median_ms([imported for imported, _ in timings]),
        invoke_ms=_median_ms([invoked for _, invoked in timings]),
        total_ms=_median_ms([imported + invoked for imported, invoked in timings]),
    )


@dataclass(frozen=True)
class ImportTime:
    module: str
    self_ms: float
    cumulative_ms: float


def measure_imports(module: str, environment: dict[str, str]) -> list[ImportTime]:
    """``python -X importtime -c 'import <module>'``, every module it imported."""
    stderr = _fresh_interpreter(["-X", "importtime", "-c", f"import {module}"], environment).stderr
    found = []
    for line in stderr.splitlines():
        if matched := _IMPORTTIME_LINE.match(line):
            self_us, cumulative_us, name = matched.groups()
            found.append(ImportTime(name, int(self_us) / 1000, int(cumulative_us) / 1000))
    return found


def self_time_by_package(imports: list[ImportTime]) -> list[tuple[str, float]]:
    """Self times summed per top-level package, largest first: unlike cumulative times, they add up."""
    totals: dict[str, float] = {}
    for entry in imports:
        package = entry.module.split(".")[0]
        totals[package] = totals.get(package, 0.0) + entry.self_ms
    return sorted(totals.items(), key=lambda item: item[1], reverse=True)


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class Report:
    machine: list[str]
    iterations: int
    cold_runs: int
    warm: list[WarmResult]
    nested: list[NestedResult]
    aggregate_read: AggregateRead
    limits: LimitsResult | None
    routes: int
    baseline: ColdResult
    cold: list[ColdResult]
    import_module: str
    imports: list[ImportTime]

    @property
    def import_ms(self) -> float:
        """The whole import of ``import_module``, under ``-X importtime``."""
        return next(entry.cumulative_ms for entry in self.imports if entry.module == self.import_module)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _code(text: str) -> str:
    return f"`{text}`"


def _round_trips_cell(result: WarmResult) -> str:
    cell = describe_calls(result.operations)
    if result.other_operations:
        cell += " (some requests: " + "; ".join(describe_calls(shape) for shape in result.other_operations) + ")"
    return cell


def _round_trips_table(report: Report) -> str:
    rows = [
        [
            result.scenario.label,
            _code(_module(result.scenario.route)),
            _round_trips_cell(result),
            "—" if result.scenario.documented_round_trips is None else str(result.scenario.documented_round_trips),
        ]
        for result in report.warm
    ]
    return _table(["route", "handler", "DynamoDB requests (warm)", "data-model.md says"], rows)


def _nested_table(report: Report) -> str:
    rows = [[_code(n.request), n.caller, describe_calls(n.cold), describe_calls(n.warm)] for n in report.nested]
    return _table(["request to a grandchild group", "caller", "cold container (first request)", "warm"], rows)


def _handler_time_table(report: Report) -> str:
    rows = [
        [r.scenario.label, f"{r.handler_ms:.1f}", f"{r.dynamodb_ms:.1f}", f"{r.rest_ms:.1f}", f"{r.ratio:.1f}x"]
        for r in report.warm
    ]
    headers = ["route", "handler (ms)", "in DynamoDB calls (ms)", "the rest (ms)", "handler / DynamoDB"]
    return _table(headers, rows)


def _cold_table(report: Report) -> str:
    def row(result: ColdResult) -> list[str]:
        ratio = result.total_ms / report.baseline.total_ms
        return [
            result.label,
            result.handler,
            f"{result.import_ms:.0f}",
            f"{result.invoke_ms:.0f}",
            f"{result.total_ms:.0f}",
            f"{ratio:.1f}x",
        ]

    headers = ["route", "handler", "import (ms)", "first invoke (ms)", "total (ms)", "total / baseline"]
    return _table(headers, [row(report.baseline)] + [row(result) for result in report.cold])


def _imports_tables(report: Report) -> str:
    top = sorted(
        (entry for entry in report.imports if entry.module != report.import_module),
        key=lambda entry: entry.cumulative_ms,
        reverse=True,
    )[:IMPORTTIME_TOP]
    cumulative = _table(
        ["module", "cumulative (ms)", "self (ms)"],
        [[_code(entry.module), f"{entry.cumulative_ms:.0f}", f"{entry.self_ms:.0f}"] for entry in top],
    )
    packages = self_time_by_package(report.imports)[:IMPORTTIME_TOP]
    by_package = _table(
        ["top-level package", "self time, summed (ms)", "share of the import"],
        [[_code(name), f"{ms:.0f}", f"{ms / report.import_ms:.0%}"] for name, ms in packages],
    )
    return (
        f"`import {report.import_module}` took {report.import_ms:.0f} ms under `-X importtime` "
        f"(which adds its own overhead). The {IMPORTTIME_TOP} largest cumulative times (nested in one "
        f"another, so they overlap):\n\n{cumulative}\n\nSelf times summed per top-level package "
        f"(these add up):\n\n{by_package}"
    )


def _kb(size: int) -> str:
    return f"{size / 1000:,.0f} kB" if size >= 10_000 else f"{size:,} bytes"


def _aggregate_read_table(read: AggregateRead) -> str:
    def row(what: str, requests: str, ms: float) -> list[str]:
        return [what, requests, f"{ms:.1f}", f"{ms / read.query_ms:.1f}x"]

    rows = [
        row(f"{_code(f'GET {FUNNEL_ROUTE}')}: the whole handler", describe_calls(read.operations), read.handler_ms),
        row("... in its DynamoDB calls", "", read.dynamodb_ms),
        row("... the rest (models, the view, JSON)", "", read.rest_ms),
        row("one raw Query of the item collection", "1 (Query)", read.query_ms),
    ]
    return _table(["request", "DynamoDB requests", "time (ms)", "against the raw Query"], rows)


def _limits_table(limits: LimitsResult) -> str:
    rows = [
        [
            request.label,
            str(request.runs),
            describe_calls(request.operations),
            f"{request.handler_ms:,.0f}",
            f"{request.dynamodb_ms:,.0f}",
            f"{request.rest_ms:,.0f}",
            _kb(request.response_bytes),
            f"{request.timeout_s} s",
        ]
        for request in (limits.publish, limits.duplicate)
    ]
    headers = [
        "request",
        "runs",
        "DynamoDB requests",
        "handler (ms)",
        "in DynamoDB calls (ms)",
        "the rest (ms)",
        "response body",
        "function timeout",
    ]
    return _table(headers, rows)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _limits_text(report: Report) -> str:
    limits = report.limits
    if limits is None:
        return "Left out of this run (`run(at_the_limits=False)`)."
    duplicate_writes = limits.duplicate.operations.count("BatchWriteItem")
    return f"""The funnel of `local/big_funnel.py` (`seed_funnel_at_the_limits`):
{limits.steps} steps of {limits.elements // limits.steps} elements with rich settings, {limits.items:,} items in its
collection, seeded through the store. Published {_plural(limits.publish.runs, "time")} (a new version each
time), then duplicated {_plural(limits.duplicate.runs, "time")}; times are medians, the requests those of
the first run. "Function timeout" is the function's `Timeout` in `template.yaml`, and the
response body is what the handler returned (Lambda answers a synchronous call with at most 6 MB).

{_limits_table(limits)}

The publish froze the funnel into {limits.snapshot_bytes:,} bytes of compressed JSON in
{_plural(limits.parts, "part")} (at most 350,000 bytes each, under DynamoDB's 400 KB item limit), written
in the one TransactWriteItems with the funnel item and the event; its Query of the item
collection came in {limits.publish.operations.count("Query")} pages of DynamoDB's 1 MB. The duplicate staged its
steps and elements with {_plural(duplicate_writes, "BatchWriteItem request")} of 25 items, at most
{limits.duplicate.most_in_flight} in flight at once ("in DynamoDB calls" is the time with at least one in flight),
before the one TransactWriteItems that makes the copy visible."""


def _aggregate_section(report: Report) -> str:
    read = report.aggregate_read
    return f"""A funnel, its steps and their elements are one item collection (`GROUP#<g>#FUNNEL#<f>`), read
with one Query (paged past DynamoDB's 1 MB).

### Reading a funnel of {read.steps} steps x {read.elements_per_step} elements

{read.items} items, seeded through the store. Median of {report.iterations} requests through the
handler, and of as many raw Queries of the same item collection in turn with them (the store's
boto3 client, the same key, consistent, nothing made of the items), after one warm-up of each;
"in its DynamoDB calls" and "the rest" are medians of their own. The handler's answer is
{_kb(read.response_bytes)}.

{_aggregate_read_table(read)}

### Publishing and duplicating a funnel at the limits

{_limits_text(report)}"""


def _findings(report: Report) -> list[str]:
    return [
        _round_trip_finding(report),
        _idempotency_finding(report),
        _nested_finding(report),
        _handler_time_finding(report),
        _aggregate_finding(report),
        _cold_start_finding(report),
    ]


def _round_trip_finding(report: Report) -> str:
    plain = [r for r in report.warm if not r.scenario.idempotency_key]
    counts = sorted(Counter(len(r.operations) for r in plain).items())
    spread = ", ".join(f"{routes} {'makes' if routes == 1 else 'make'} {trips}" for trips, routes in counts)
    text = f"Warm, the {len(plain)} routes make {counts[0][0]} to {counts[-1][0]} DynamoDB requests each ({spread}). "
    documented = [r for r in plain if r.scenario.documented_round_trips is not None]
    differing = [r for r in documented if len(r.operations) != r.scenario.documented_round_trips]
    text += f"{len(documented) - len(differing)} of the {len(documented)} routes docs/data-model.md counts match it"
    if not differing:
        return text + "."
    details = "; ".join(
        f"{r.scenario.label} makes {describe_calls(r.operations)} where it says {r.scenario.documented_round_trips}"
        for r in differing
    )
    return f"{text}; {details}."


def _idempotency_finding(report: Report) -> str:
    plain = {r.scenario.route.route_key: r for r in report.warm if not r.scenario.idempotency_key}
    added: dict[str, list[str]] = {}
    for r in report.warm:
        if r.scenario.idempotency_key:
            extra = Counter(r.operations) - Counter(plain[r.scenario.route.route_key].operations)
            added.setdefault(describe_calls(tuple(extra.elements())), []).append(r.scenario.route.route_key)
    recorded = sorted(cost for cost in added if cost != "0")
    text = f"An Idempotency-Key adds {' or '.join(recorded)} to a POST (Powertools' idempotency record)"
    ignored = added.get("0")
    if not ignored:
        return text + "."
    return f"{text}; {', '.join(_code(key) for key in ignored)} ignore{'s' if len(ignored) == 1 else ''} the key."


def _nested_finding(report: Report) -> str:
    parts = [
        f"{_code(n.request)} by a {n.caller} makes {len(n.cold)} on a cold container and {len(n.warm)} warm"
        for n in report.nested
    ]
    return "For a group two levels down: " + "; ".join(parts) + "."


def _handler_time_finding(report: Report) -> str:
    fastest = min(report.warm, key=lambda r: r.handler_ms)
    slowest = max(report.warm, key=lambda r: r.handler_ms)
    ratios = [r.ratio for r in report.warm]
    heaviest = max(report.warm, key=lambda r: r.rest_ms)
    return (
        f"Warm, median handler times run from {fastest.handler_ms:.1f} ms ({fastest.scenario.label}) "
        f"to {slowest.handler_ms:.1f} ms ({slowest.scenario.label}). The handler takes "
        f"{min(ratios):.1f}x to {max(ratios):.1f}x the time of its own DynamoDB Local calls "
        f"(median over routes {statistics.median(ratios):.1f}x); the most time outside them is "
        f"{heaviest.rest_ms:.1f} ms, in {heaviest.scenario.label}."
    )


def _against_timeout(request: BigRequest) -> str:
    seconds = request.handler_ms / 1000
    share = seconds / request.timeout_s
    where = "over" if share > 1 else "under"
    return f"{seconds:.1f} s ({share:.0%} of its function's {request.timeout_s} s timeout, {where} it)"


def _aggregate_finding(report: Report) -> str:
    read = report.aggregate_read
    text = (
        f"Reading a funnel of {read.steps} x {read.elements_per_step} ({read.items} items) takes the handler "
        f"{read.handler_ms:.1f} ms and {describe_calls(read.operations)}, {read.ratio:.1f}x the "
        f"{read.query_ms:.1f} ms of one raw Query of its collection: the rest is deserialising, validating "
        f"and serialising the aggregate."
    )
    limits = report.limits
    if limits is None:
        return text
    duplicate = limits.duplicate
    return (
        f"{text} At the limits ({limits.elements:,} elements), a publish takes {_against_timeout(limits.publish)} "
        f"and {describe_calls(limits.publish.operations)}, into a version of {_kb(limits.snapshot_bytes)} in "
        f"{_plural(limits.parts, 'part')}; a duplicate takes {_against_timeout(duplicate)} and "
        f"{len(duplicate.operations)} requests, {duplicate.operations.count('BatchWriteItem')} of them "
        f"BatchWriteItem, {duplicate.dynamodb_ms / duplicate.handler_ms:.0%} of its time in DynamoDB Local."
    )


def _cold_start_finding(report: Report) -> str:
    totals = [c.total_ms for c in report.cold]
    import_share = statistics.median(c.import_ms / c.total_ms for c in report.cold)
    packages = self_time_by_package(report.imports)[:2]
    heavy = " and ".join(f"{_code(name)} ({ms / report.import_ms:.0%})" for name, ms in packages)
    return (
        f"Cold, a handler takes {min(totals):.0f} to {max(totals):.0f} ms to import and answer its first request, "
        f"{min(totals) / report.baseline.total_ms:.1f}x to {max(totals) / report.baseline.total_ms:.1f}x the "
        f"baseline's {report.baseline.total_ms:.0f} ms; the import is {import_share:.0%} of it (median). In "
        f"{_code(report.import_module)}'s import the largest self times are in {heavy}."
    )


def render(report: Report) -> str:
    findings = "\n".join(f"- {finding}" for finding in _findings(report))
    return f"""# Benchmarks

Generated by `make bench` (`local/bench.py`); do not edit by hand. Every HTTP route in
`template.yaml` ({report.routes}), invoked in-process with its sample event from `events/` against
DynamoDB Local. Before each route, and again before the same POST with an `Idempotency-Key`,
the table is recreated and the sample world of `local/sample_world.py` put back (seeded
through the store the first time, its items written back after that). Routes that change
or remove something get a fresh target per request (a new step to remove, a new member to
assign, ...) or an event made from the state of the moment (the current version to edit, the
current order reversed, the funnel live again before an unpublish, its source renamed before a
duplicate so the copy's name is free), so every request does real work and answers 2xx.

{chr(10).join(f"- {line}" for line in report.machine)}

Times on loopback to DynamoDB Local say what our code costs next to its calls, not what DynamoDB
on AWS costs. The bench turns the table's stream off (nothing here reads it): DynamoDB Local
makes every write to a table with a stream slower the more stream records it has kept, those of
tables since deleted included, so with it on the routes measured last looked twice as slow as
the same routes measured first (`World` in `local/bench.py`).

## DynamoDB requests per route

Counted on every client of boto3's default session (the store's and Powertools idempotency's),
for a warm request. "data-model.md says" is what `docs/data-model.md` states in its
"Authorization round trips" table (`DOCUMENTED_ROUND_TRIPS` in `local/bench.py`).

{_round_trips_table(report)}

### Nested group, inherited role

A grandchild of the sample group. "Cold container" is the first request after the container's
caches (settings, client, store, ancestor ids) are cleared.

{_nested_table(report)}

## Handler time against its DynamoDB calls (warm)

Median of {report.iterations} requests per route: the whole `lambda_handler` call, the time
inside its DynamoDB calls (botocore's `before-call` to `after-call`: signing, the HTTP round trip
to DynamoDB Local, parsing; where calls overlap, the time with at least one in flight), and the
rest (our code, Powertools, pydantic, serialisation).

{_handler_time_table(report)}

## The funnel aggregate

{_aggregate_section(report)}

## Cold start

For one handler per resource: the first route of each `functions/` folder in `template.yaml`
({len(report.cold)} of the {report.routes} routes; every handler imports the same layer, and
fresh interpreters for all of them would take minutes). Median of {report.cold_runs} fresh
interpreters per handler (`python -s -P`, the code and layer folders on `PYTHONPATH`, the local
stack's environment): the import of the handler module and its first invocation, with Python's
bytecode caches in place. The baseline imports boto3 and creates a DynamoDB client, then invokes
a handler that returns at once; it ran once next to each handler's runs ({len(report.cold)} runs
in all), so load that drifts during the bench weighs on both alike. The handlers create their
DynamoDB client on first use, so for them that cost falls in the first invocation.

{_cold_table(report)}

### Where the import time goes

{_imports_tables(report)}

## What this shows

{findings}
"""


# ---------------------------------------------------------------- running it all


def _dynamodb_local_version(stack: LocalStack) -> str:
    command = ["java", "-Djava.library.path=DynamoDBLocal_lib", "-jar", JAR_NAME, "-version"]
    try:
        finished = subprocess.run(
            command, cwd=stack.dynamodb.install_dir, capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return finished.stdout.strip().splitlines()[-1] if finished.stdout.strip() else "unknown"


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _machine(stack: LocalStack) -> list[str]:
    return [
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {os.cpu_count()} CPUs (nproc), {_cpu_model()}, {platform.system()} {platform.release()}; "
        f"load average {os.getloadavg()[0]:.1f} when the run began",
        f"Python {platform.python_version()}, boto3 {metadata.version('boto3')}, "
        f"Powertools {metadata.version('aws-lambda-powertools')}, pydantic {metadata.version('pydantic')}",
        f"DynamoDB Local {_dynamodb_local_version(stack)} (in memory)",
    ]


def _on_sys_path(paths: tuple[Path, ...]) -> None:
    """Where Lambda finds the code and the layer; pytest puts them there already."""
    for path in reversed(paths):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


def _measure_routes(
    stack: LocalStack, world: World, recorder: CallRecorder, routes: list[Route], iterations: int, cold_runs: int
) -> tuple[list[WarmResult], list[ColdResult], ColdResult]:
    """Warm, route by route, the world reseeded before each scenario; cold for one route per
    resource, with one baseline run next to each such route's cold runs."""
    warm, cold, baseline_timings = [], [], []
    cold_routes = cold_start_routes(routes)
    for route in routes:
        route_scenarios = scenarios(route)
        for scenario in route_scenarios:
            world.reset()
            log.info("warm: %s", scenario.label)
            warm.append(measure_warm(recorder, scenario, iterations))
        if route not in cold_routes:
            continue
        log.info("cold: %s", route.route_key)
        environment = _subprocess_environment(stack, route.function.python_paths)
        baseline_timings.append(_cold_run(_BASELINE, {}, environment))
        plain, module = route_scenarios[0], _module(route)
        timings = [_cold_run(module, plain.make_event(), environment) for _ in range(cold_runs)]
        cold.append(cold_result(plain.label, _code(module), timings))
    return warm, cold, cold_result(BASELINE_LABEL, "—", baseline_timings)


def run(
    *,
    iterations: int = ITERATIONS,
    cold_runs: int = COLD_RUNS,
    at_the_limits: bool = True,
    output: Path = DOC_PATH,
) -> Path:
    """Measure everything, write the report to ``output`` and return its path. Without
    ``at_the_limits``, the funnel at the limits is left out (seeding it alone takes a quarter
    of a minute, a duplicate of it longer)."""
    routes = http_routes()
    _on_sys_path(routes[0].function.python_paths)
    recorder = CallRecorder()
    with LocalStack(table_name=TABLE_NAME, audit_bucket_name=AUDIT_BUCKET_NAME) as stack, recorder.installed():
        try:
            machine = _machine(stack)
            _new_container()  # the store's client is created anew, with the recorder's hooks
            world = World(stack)
            warm, cold, baseline = _measure_routes(stack, world, recorder, routes, iterations, cold_runs)
            world.reset()
            nested = measure_nested(recorder)
            world.reset()
            log.info("the funnel aggregate: a read of %s x %s", *AGGREGATE_SHAPE)
            aggregate_read = measure_aggregate_read(recorder, iterations)
            limits = None
            if at_the_limits:
                world.reset()
                log.info("the funnel aggregate: publish and duplicate at the limits")
                limits = measure_at_the_limits(recorder)
            imports = measure_imports(
                IMPORTTIME_MODULE, _subprocess_environment(stack, routes[0].function.python_paths)
            )
            report = Report(
                machine=machine,
                iterations=iterations,
                cold_runs=cold_runs,
                warm=warm,
                nested=nested,
                aggregate_read=aggregate_read,
                limits=limits,
                routes=len(routes),
                baseline=baseline,
                cold=cold,
                import_module=IMPORTTIME_MODULE,
                imports=imports,
            )
        finally:
            _new_container()  # nothing cached keeps pointing at the stack about to stop
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(report), encoding="utf-8")
    return output


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for chatty in ("botocore", "werkzeug"):  # not one line per client or per moto request
        logging.getLogger(chatty).setLevel(logging.WARNING)
    started = time.monotonic()
    output = run()
    log.info("wrote %s in %.0f s", output.relative_to(REPO_ROOT), time.monotonic() - started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
