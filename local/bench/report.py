"""The report: docs/benchmarks.md rendered from the measurements."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from local.bench.aggregate import FUNNEL_ROUTE, AggregateRead, BigRequest, LimitsResult
from local.bench.analytics import (
    ReportRun,
    RollUpRun,
    StreamRun,
    render_report_range,
    render_rollup,
    render_stream,
)
from local.bench.calls import describe_calls
from local.bench.cold import ColdResult, ImportTime, self_time_by_package
from local.bench.markdown import code, table
from local.bench.pages import PagesResult, render_pages
from local.bench.search import SearchRun, render_search
from local.bench.warm import NestedResult, WarmResult
from local.bench.world import handler_module

# ---------------------------------------------------------------- the report

# How many of the largest imports the report names.
IMPORTTIME_TOP = 5


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
    cold: list[ColdResult]
    traced: ColdResult
    libraries: ColdResult
    import_module: str
    imports: list[ImportTime]
    pages: PagesResult | None = None
    rollups: list[RollUpRun] | None = None
    report_range: list[ReportRun] | None = None
    stream: StreamRun | None = None
    search: SearchRun | None = None

    @property
    def import_ms(self) -> float:
        """The whole import of ``import_module``, under ``-X importtime``."""
        return next(entry.cumulative_ms for entry in self.imports if entry.module == self.import_module)


def _round_trips_cell(result: WarmResult) -> str:
    cell = describe_calls(result.operations)
    if result.other_operations:
        cell += " (some requests: " + "; ".join(describe_calls(shape) for shape in result.other_operations) + ")"
    return cell


def _round_trips_table(report: Report) -> str:
    rows = [
        [
            result.scenario.label,
            code(handler_module(result.scenario.route)),
            _round_trips_cell(result),
            "—" if result.scenario.documented_round_trips is None else str(result.scenario.documented_round_trips),
        ]
        for result in report.warm
    ]
    return table(["route", "handler", "DynamoDB requests (warm)", "data-model.md says"], rows)


def _nested_table(report: Report) -> str:
    rows = [[code(n.request), n.caller, describe_calls(n.cold), describe_calls(n.warm)] for n in report.nested]
    return table(["request to a grandchild group", "caller", "cold container (first request)", "warm"], rows)


def _handler_time_table(report: Report) -> str:
    rows = [
        [r.scenario.label, f"{r.handler_ms:.1f}", f"{r.dynamodb_ms:.1f}", f"{r.rest_ms:.1f}", f"{r.ratio:.1f}x"]
        for r in report.warm
    ]
    headers = ["route", "handler (ms)", "in DynamoDB calls (ms)", "the rest (ms)", "handler / DynamoDB"]
    return table(headers, rows)


def _cold_row(result: ColdResult) -> list[str]:
    return [
        result.label,
        code(result.handler),
        f"{result.ready_ms:.0f}",
        f"{result.baseline_ms:.0f}",
        f"{result.ratio:.2f}x",
        f"{result.invoke_ms:.0f}",
    ]


def _cold_table(report: Report) -> str:
    headers = ["route", "handler", "ready (ms)", "baseline (ms)", "ready / baseline", "first invoke (ms)"]
    floor = report.libraries
    floor_row = [floor.label, "—", f"{floor.ready_ms:.0f}", f"{floor.baseline_ms:.0f}", f"{floor.ratio:.2f}x", "—"]
    return table(headers, [floor_row] + [_cold_row(result) for result in report.cold])


def _traced_table(report: Report) -> str:
    headers = ["route", "handler", "ready (ms)", "baseline (ms)", "ready / baseline", "first invoke (ms)"]
    return table(headers, [_cold_row(report.traced)])


def cold_ratios(report: Report) -> tuple[float, float]:
    """The median and the worst of the handlers' ready / baseline."""
    ratios = [result.ratio for result in report.cold]
    return statistics.median(ratios), max(ratios)


def _imports_tables(report: Report) -> str:
    top = sorted(
        (entry for entry in report.imports if entry.module != report.import_module),
        key=lambda entry: entry.cumulative_ms,
        reverse=True,
    )[:IMPORTTIME_TOP]
    cumulative = table(
        ["module", "cumulative (ms)", "self (ms)"],
        [[code(entry.module), f"{entry.cumulative_ms:.0f}", f"{entry.self_ms:.0f}"] for entry in top],
    )
    packages = self_time_by_package(report.imports)[:IMPORTTIME_TOP]
    by_package = table(
        ["top-level package", "self time, summed (ms)", "share of the import"],
        [[code(name), f"{ms:.0f}", f"{ms / report.import_ms:.0%}"] for name, ms in packages],
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
        row(f"{code(f'GET {FUNNEL_ROUTE}')}: the whole handler", describe_calls(read.operations), read.handler_ms),
        row("... in its DynamoDB calls", "", read.dynamodb_ms),
        row("... the rest (models, the view, JSON)", "", read.rest_ms),
        row("one raw Query of the item collection", "1 (Query)", read.query_ms),
    ]
    return table(["request", "DynamoDB requests", "time (ms)", "against the raw Query"], rows)


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
    return table(headers, rows)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _limits_text(report: Report) -> str:
    limits = report.limits
    if limits is None:
        return "Left out of this run (`run(at_the_limits=False)`)."
    duplicate_writes = limits.duplicate.operations.count("BatchWriteItem")
    return f"""The funnel of `local/samples/big_funnel.py` (`seed_funnel_at_the_limits`):
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
    return f"{text}; {', '.join(code(key) for key in ignored)} ignore{'s' if len(ignored) == 1 else ''} the key."


def _nested_finding(report: Report) -> str:
    parts = [
        f"{code(n.request)} by a {n.caller} makes {len(n.cold)} on a cold container and {len(n.warm)} warm"
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
    median, worst = cold_ratios(report)
    slowest = max(report.cold, key=lambda c: c.ratio)
    packages = self_time_by_package(report.imports)[:3]
    heavy = ", ".join(f"{code(name)} ({ms:.0f} ms)" for name, ms in packages)
    invokes = [c.invoke_ms for c in report.cold]
    traced = report.traced
    return (
        f"Cold, a handler is ready (imported, its DynamoDB client made) in {median:.2f}x the baseline's time "
        f"(median over {len(report.cold)} handlers), {worst:.2f}x at worst ({code(slowest.handler)}); its first "
        f"invocation then takes {min(invokes):.0f} to {max(invokes):.0f} ms, the first DynamoDB request included. "
        f"The libraries every handler needs take {report.libraries.ratio:.2f}x the baseline by themselves, before "
        f"any code of ours: the floor of a handler on Powertools' resolver with validation. The largest self times "
        f"left in {code(report.import_module)}'s import are {heavy}. With tracing on, as on "
        f"AWS, {code(traced.handler)} is ready in {traced.ready_ms:.0f} ms ({traced.ratio:.2f}x)."
    )


def render(report: Report) -> str:
    findings = "\n".join(f"- {finding}" for finding in _findings(report))
    return f"""# Benchmarks

Generated by `make bench` (`local/bench/`); do not edit by hand. Every HTTP route in
`template.yaml` ({report.routes}), invoked in-process with its sample event from `events/` against
DynamoDB Local. Before each route, and again before the same POST with an `Idempotency-Key`,
the table is recreated and the sample world of `local/samples/world.py` put back (seeded
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
the same routes measured first (`World` in `local/bench/world.py`).

## DynamoDB requests per route

Counted on every client of boto3's default session (the store's and Powertools idempotency's),
for a warm request. "data-model.md says" is what `docs/data-model.md` states in its
"Authorization round trips" table (`DOCUMENTED_ROUND_TRIPS` in `local/bench/documented.py`).

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

## Public pages

{render_pages(report.pages) if report.pages else "Left out of this run."}

## The analytics roll-up against traffic

{render_rollup(report.rollups) if report.rollups else "Left out of this run."}

## The analytics report over 90 days

{render_report_range(report.report_range) if report.report_range else "Left out of this run."}

## The stream consumer's rate

{render_stream(report.stream) if report.stream else "Left out of this run."}

## Search

{render_search(report.search) if report.search else "Left out of this run."}

## Cold start

Every handler ({len(report.cold)} of the {report.routes} routes here), each in {report.cold_runs} fresh
interpreters (`python -s -P`, the code and layer folders on `PYTHONPATH`, the local stack's
environment and the variables Lambda sets, bytecode caches in place), each run next to a run of
the baseline, so load that drifts during the bench weighs on both alike. "Ready" is the handler
module imported and its DynamoDB client made; the baseline does only that: `import boto3` and a
DynamoDB client. Medians. The first invocation, timed on its own, adds the request's own work
and botocore's first request (credentials, endpoint, signing). The first row is the floor of
any handler here: the baseline, then only the libraries every handler imports, with the
collector set as `funnel_core` sets it for a cold start (rarely until the first request: the
start makes few garbage objects, and each full pass over boto3's objects cost about 20 ms).

{_cold_table(report)}

Tracing is off locally (`POWERTOOLS_TRACE_DISABLED`), and with it off the X-Ray SDK is not
imported at all (`funnel_core.observability`). On AWS every function has `Tracing: Active`; the
same handler with tracing on, in a Lambda-shaped environment (`_X_AMZN_TRACE_ID` set):

{_traced_table(report)}

### Where the import time goes

{_imports_tables(report)}

## What this shows

{findings}
"""
