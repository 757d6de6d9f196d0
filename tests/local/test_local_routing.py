"""Route selection follows API Gateway's HTTP API: the most specific route wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.routing import RouteTable
from local.template import FunctionSpec, Route

_SPEC = FunctionSpec(logical_id="Fn", handler="m.lambda_handler", code_uri=Path())


def _route(method: str, path: str) -> Route:
    return Route(method=method, path=path, public=False, function=_SPEC)


TABLE = RouteTable(
    [
        _route("GET", "/groups/{groupId}"),
        _route("GET", "/groups/mine"),
        _route("ANY", "/groups/{groupId}/things"),
        _route("POST", "/groups/{groupId}/things"),
        _route("GET", "/files/{proxy+}"),
        _route("GET", "/files/{folder}/readme"),
    ]
)


@pytest.mark.parametrize(
    ("method", "path", "route_key", "parameters"),
    [
        ("GET", "/groups/g1", "GET /groups/{groupId}", {"groupId": "g1"}),
        ("GET", "/groups/mine", "GET /groups/mine", {}),
        ("POST", "/groups/g1/things", "POST /groups/{groupId}/things", {"groupId": "g1"}),
        ("DELETE", "/groups/g1/things", "ANY /groups/{groupId}/things", {"groupId": "g1"}),
        ("GET", "/files/a/b/c.txt", "GET /files/{proxy+}", {"proxy": "a/b/c.txt"}),
        ("GET", "/files/docs/readme", "GET /files/{folder}/readme", {"folder": "docs"}),
        ("GET", "/groups/a%20b", "GET /groups/{groupId}", {"groupId": "a b"}),
    ],
)
def test_the_most_specific_route_wins(method: str, path: str, route_key: str, parameters: dict[str, str]) -> None:
    match = TABLE.match(method, path)

    assert match is not None
    assert (match.route.route_key, match.path_parameters) == (route_key, parameters)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nowhere"),
        ("DELETE", "/groups/g1"),  # the path exists with another method: still 404, never 405
        ("GET", "/groups/"),  # an empty parameter matches nothing
        ("GET", "/files"),  # a greedy parameter needs at least one segment
        ("GET", "/groups/g1/things/extra/segments"),
    ],
)
def test_no_route(method: str, path: str) -> None:
    assert TABLE.match(method, path) is None


def test_default_route_catches_the_rest() -> None:
    table = RouteTable([_route("ANY", "$default"), _route("GET", "/known")])

    assert table.match("GET", "/known").route.path == "/known"  # type: ignore[union-attr]
    fallback = table.match("PUT", "/anything/else")
    assert fallback is not None
    assert fallback.route.route_key == "$default"
