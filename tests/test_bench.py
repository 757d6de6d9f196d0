"""``make bench`` runs end to end: every HTTP route measured, every number in the report positive,
and every route's DynamoDB requests what docs/data-model.md says."""

from __future__ import annotations

import re

import pytest

from local.bench import DOCUMENTED_ROUND_TRIPS, cold_start_routes, run
from local.template import http_routes

# Cold starts for three resources' first routes, not all of them: each costs two fresh interpreters
# (the handler's and the baseline's) and measures the same way; that every handler imports from its
# built artifact is tests/test_sam_build.py's check.
COLD_ROUTES = 3

pytestmark = pytest.mark.integration

_LEADING_NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?")
_EVERY_ROUTE = ("## DynamoDB requests per route", "## Handler time")


def _sections(report: str) -> dict[str, str]:
    """Each heading, of any level, with the text up to the next one."""
    parts = re.split(r"^(#+ .*)$", report, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _numbers(row: str) -> list[float]:
    """The number each cell of a table row starts with, the first cell aside."""
    return [float(match.group().replace(",", "")) for cell in _cells(row)[1:] if (match := _LEADING_NUMBER.match(cell))]


def _row(table: str, route_key: str) -> str:
    rows = [line for line in table.splitlines() if line.startswith(f"| `{route_key}` |")]
    assert len(rows) == 1, (route_key, rows)
    return rows[0]


def _row_starting(table: str, first_cell: str) -> str:
    [row] = [line for line in table.splitlines() if line.startswith(f"| {first_cell} |")]
    return row


def _assert_positive(row: str) -> None:
    numbers = _numbers(row)
    assert numbers, row
    assert all(number > 0 for number in numbers), row


def _section(sections: dict[str, str], prefix: str) -> str:
    [text] = [text for heading, text in sections.items() if heading.startswith(prefix)]
    return text


def test_documented_round_trips_name_every_route_and_only_routes():
    assert set(DOCUMENTED_ROUND_TRIPS) == {route.route_key for route in http_routes()}


def test_bench_reports_every_route_with_positive_numbers(tmp_path):
    # Given the fewest requests that still measure something, the funnel at the limits left out
    output = tmp_path / "benchmarks.md"
    cold_routes = cold_start_routes(http_routes())[:COLD_ROUTES]

    # When the bench runs
    run(
        iterations=1,
        cold_runs=1,
        cold_routes=cold_routes,
        at_the_limits=False,
        lighthouse=False,  # tests/api/test_lighthouse.py runs it
        output=output,
    )

    # Then the round-trip and handler-time tables have a row per route, all positive
    sections = _sections(output.read_text())
    routes = http_routes()
    for prefix in _EVERY_ROUTE:
        table = _section(sections, prefix)
        for route in routes:
            _assert_positive(_row(table, route.route_key))

    # And the cold-start table a row for each route it measured
    cold = _section(sections, "## Cold start")
    assert len(cold_routes) == COLD_ROUTES
    for route in cold_routes:
        _assert_positive(_row(cold, route.route_key))

    # And the funnel read is measured against a raw Query, the funnel at the limits left out
    read = _section(sections, "### Reading a funnel of")
    rows = [line for line in read.splitlines() if line.startswith("| ") and not line.startswith("| request")]
    assert len(rows) == 4, read
    for row in rows:
        _assert_positive(row)
    assert "Left out of this run" in _section(sections, "### Publishing and duplicating")

    # And the analytics roll-up costs the same with a thousand views as with a million
    rollup = _section(sections, "## The analytics roll-up against traffic")
    assert "the same requests" in rollup, rollup
    for views in ("1,000", "1,000,000"):
        _assert_positive(_row_starting(rollup, views))
    # And the report reads as many requests for 90 days as for one; the stream consumer has a rate
    over_days = _section(sections, "## The analytics report over 90 days")
    assert "requests for 90 days as for 1" in over_days, over_days
    for days in ("1", "90"):
        _assert_positive(_row_starting(over_days, days))
    consumer = _section(sections, "## The stream consumer's rate")
    assert re.search(r"\*\*[\d,]+ records a second\*\*", consumer), consumer
    assert sections["## What this shows"].strip()

    # And search has its recall curve and each mode's MRR on both relevance sets
    search = sections["## Search"]
    assert re.search(r"\*\*recall@10 [01]\.\d{3}\*\*", search), search
    for mode in ("text", "semantic", "hybrid"):
        assert len(_numbers(_row_starting(search, mode))) == 2, search

    # And every route makes exactly the DynamoDB requests docs/data-model.md promises
    round_trips = _section(sections, "## DynamoDB requests per route")
    differing = {}
    for route in routes:
        measured, documented = _cells(_row(round_trips, route.route_key))[2:4]
        if measured.split(" ")[0] != documented:
            differing[route.route_key] = (measured, documented)
    assert not differing, differing
