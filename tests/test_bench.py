"""``make bench`` runs end to end: every HTTP route measured, every number in the report positive."""

from __future__ import annotations

import itertools
import re

import pytest

from local.bench import run
from local.template import http_routes

pytestmark = pytest.mark.integration

_LEADING_NUMBER = re.compile(r"^\d+(?:\.\d+)?")
_ROUTE_TABLES = ("## DynamoDB requests per route", "## Handler time", "## Cold start")


def _sections(report: str) -> dict[str, str]:
    """Each heading, of any level, with the text up to the next one."""
    parts = re.split(r"^(#+ .*)$", report, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _numbers(row: str) -> list[float]:
    """The number each cell of a table row starts with, the route cell aside."""
    cells = [cell.strip() for cell in row.strip().strip("|").split("|")][1:]
    return [float(match.group()) for cell in cells if (match := _LEADING_NUMBER.match(cell))]


def test_bench_reports_every_route_with_positive_numbers(tmp_path):
    # Given the fewest requests that still measure something
    output = tmp_path / "benchmarks.md"

    # When the bench runs
    run(iterations=2, cold_runs=1, output=output)

    # Then the round-trip, handler-time and cold-start tables each have a row per route, all positive
    sections = _sections(output.read_text())
    tables = [text for heading, text in sections.items() if heading.startswith(_ROUTE_TABLES)]
    assert len(tables) == len(_ROUTE_TABLES)
    for table, route in itertools.product(tables, http_routes()):
        rows = [line for line in table.splitlines() if line.startswith(f"| `{route.route_key}` |")]
        assert len(rows) == 1, (route.route_key, rows)
        numbers = _numbers(rows[0])
        assert numbers, rows[0]
        assert all(number > 0 for number in numbers), rows[0]
    assert sections["## What this shows"].strip()

    # And every route makes exactly the DynamoDB requests docs/data-model.md promises
    round_trips = sections["## DynamoDB requests per route"]
    for route in http_routes():
        row = next(line for line in round_trips.splitlines() if line.startswith(f"| `{route.route_key}` |"))
        measured, documented = (cell.strip() for cell in row.strip("|").split("|")[2:4])
        assert measured.split(" ")[0] == documented, row
