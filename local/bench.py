"""``make bench``: what every HTTP route costs, measured against DynamoDB Local; writes docs/benchmarks.md.

For every route in template.yaml, invoked in-process with its sample event from events/:

1. DynamoDB round trips of a warm request, per operation, counted by a hook on boto3's default
   session, so every client the handlers create is seen (the store's, Powertools
   idempotency's); plus a nested group read by a caller whose role is inherited, on a cold
   container and warm, since the per-container ancestor cache changes what authorization reads.
2. The handler's time against the time spent inside its own DynamoDB calls (from botocore's
   ``before-call`` to its ``after-call``: signing, the HTTP round trip, parsing), warm, median.
3. Cold start: each handler imported and invoked once in a fresh interpreter (the dev
   virtualenv's, without user site-packages or the working directory on ``sys.path``), against
   a baseline that only imports boto3 and creates a DynamoDB client; and where one handler's
   import time goes, by ``python -X importtime``.

Every measured request must succeed with a 2xx. The table is recreated and the sample world
seeded before each route; a route that changes or removes something gets a fresh target for
every call (created through the API's own create routes), so each call does real work.

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
from local.stack import LocalStack
from local.template import Route, http_routes
from tests.support.lambda_events import LambdaContext, claims_for, http_event, invoke, sample

log = logging.getLogger(__name__)

DOC_PATH = REPO_ROOT / "docs" / "benchmarks.md"
ITERATIONS = 30
COLD_RUNS = 3
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
    seconds: float


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
        elapsed = time.perf_counter() - context.pop(self._STARTED)
        self._calls.append(DynamoDBCall(event_name.rsplit(".", 1)[-1], elapsed))


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
}
# ... and a create whose result must be unique a fresh body.
_FRESH_BODY: dict[str, Callable[[], dict[str, Any]]] = {
    "groups/create": _new_group_body,
    "connections/create": _new_connection_body,
}

EventMaker = Callable[[], dict[str, Any]]


def event_maker(sample_name: str) -> EventMaker:
    """Events from the sample ``sample_name`` that succeed every time they are sent."""
    if sample_name in _FRESH_TARGET:
        parameter, fresh = _FRESH_TARGET[sample_name]
        return lambda: http_event(sample_name, path_parameters={parameter: fresh()})
    if sample_name in _FRESH_BODY:
        make_body = _FRESH_BODY[sample_name]
        return lambda: http_event(sample_name, body=make_body())
    return lambda: http_event(sample_name)


def _with_idempotency_key(make_event: EventMaker) -> EventMaker:
    def make() -> dict[str, Any]:
        event = make_event()
        event["headers"]["idempotency-key"] = _unique("bench-key")
        return event

    return make


def _reset_world(stack: LocalStack) -> None:
    from funnel_core.store.ontology import OntologyStore
    from tests.support.world import seed_sample_world

    stack.recreate_table()
    seed_sample_world(OntologyStore())


def _new_container() -> None:
    """Forget what a Lambda container keeps between requests, the ancestor ids authorization
    caches included."""
    from tests.support.containers import cold_start

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

    @property
    def operations(self) -> tuple[str, ...]:
        return tuple(call.operation for call in self.calls)

    @property
    def dynamodb_seconds(self) -> float:
        return sum(call.seconds for call in self.calls)


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


def documented_round_trips(route: Route) -> int:
    """What docs/data-model.md's "Authorization round trips" table says a warm request costs."""
    if route.route_key in ("GET /me", "POST /groups"):
        return 1
    if route.method != "GET" or route.path == "/groups":
        return 2
    return 1 if route.path.endswith("}") else 2


def scenarios(route: Route) -> list[Scenario]:
    """The route with its sample event; a POST again with an Idempotency-Key."""
    make_event = event_maker(_sample_name(route))
    found = [Scenario(route, make_event, documented_round_trips(route))]
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
    return Measured(elapsed, calls)


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
    from tests.support.world import GROUP, OWNER

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


# ---------------------------------------------------------------- cold start


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


def _findings(report: Report) -> list[str]:
    return [
        _round_trip_finding(report),
        _idempotency_finding(report),
        _nested_finding(report),
        _handler_time_finding(report),
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
    added = {
        describe_calls(
            tuple((Counter(r.operations) - Counter(plain[r.scenario.route.route_key].operations)).elements())
        )
        for r in report.warm
        if r.scenario.idempotency_key
    }
    return f"An Idempotency-Key adds {' or '.join(sorted(added))} to a create (Powertools' idempotency record)."


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
`template.yaml`, invoked in-process with its sample event from `events/` against DynamoDB Local
(the table recreated and the sample world seeded before each route; routes that change or remove
something get a fresh target per request, so every request does real work and answers 2xx).

{chr(10).join(f"- {line}" for line in report.machine)}

Times on loopback to DynamoDB Local say what our code costs next to its calls, not what DynamoDB
on AWS costs.

## DynamoDB requests per route

Counted on every client of boto3's default session (the store's and Powertools idempotency's),
for a warm request. "data-model.md says" is what `docs/data-model.md` states in its
"Authorization round trips" table.

{_round_trips_table(report)}

### Nested group, inherited role

A grandchild of the sample group. "Cold container" is the first request after the container's
caches (settings, client, store, ancestor ids) are cleared.

{_nested_table(report)}

## Handler time against its DynamoDB calls (warm)

Median of {report.iterations} requests per route: the whole `lambda_handler` call, the time
inside its DynamoDB calls (botocore's `before-call` to `after-call`: signing, the HTTP round trip
to DynamoDB Local, parsing), and the rest (our code, Powertools, pydantic, serialisation).

{_handler_time_table(report)}

## Cold start

Median of {report.cold_runs} fresh interpreters per handler (`python -s -P`, the code and layer
folders on `PYTHONPATH`, the local stack's environment): the import of the handler module and
its first invocation, with Python's bytecode caches in place. The baseline imports boto3 and
creates a DynamoDB client, then invokes a handler that returns at once; it ran once next to each
route's runs ({len(report.cold)} runs in all), so load that drifts during the bench weighs on both
alike. The handlers create their DynamoDB client on first use, so for them that cost falls in
the first invocation.

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
    stack: LocalStack, recorder: CallRecorder, routes: list[Route], iterations: int, cold_runs: int
) -> tuple[list[WarmResult], list[ColdResult], ColdResult]:
    """Warm and cold, route by route, with one baseline run next to each route's cold runs."""
    warm, cold, baseline_timings = [], [], []
    for route in routes:
        _reset_world(stack)
        route_scenarios = scenarios(route)
        for scenario in route_scenarios:
            log.info("warm: %s", scenario.label)
            warm.append(measure_warm(recorder, scenario, iterations))
        log.info("cold: %s", route.route_key)
        environment = _subprocess_environment(stack, route.function.python_paths)
        baseline_timings.append(_cold_run(_BASELINE, {}, environment))
        plain, module = route_scenarios[0], _module(route)
        timings = [_cold_run(module, plain.make_event(), environment) for _ in range(cold_runs)]
        cold.append(cold_result(plain.label, _code(module), timings))
    return warm, cold, cold_result(BASELINE_LABEL, "—", baseline_timings)


def run(*, iterations: int = ITERATIONS, cold_runs: int = COLD_RUNS, output: Path = DOC_PATH) -> Path:
    """Measure everything, write the report to ``output`` and return its path."""
    routes = http_routes()
    _on_sys_path(routes[0].function.python_paths)
    recorder = CallRecorder()
    with LocalStack(table_name=TABLE_NAME, audit_bucket_name=AUDIT_BUCKET_NAME) as stack, recorder.installed():
        try:
            machine = _machine(stack)
            _new_container()  # the store's client is created anew, with the recorder's hooks
            warm, cold, baseline = _measure_routes(stack, recorder, routes, iterations, cold_runs)
            _reset_world(stack)
            nested = measure_nested(recorder)
            imports = measure_imports(
                IMPORTTIME_MODULE, _subprocess_environment(stack, routes[0].function.python_paths)
            )
            report = Report(machine, iterations, cold_runs, warm, nested, baseline, cold, IMPORTTIME_MODULE, imports)
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
