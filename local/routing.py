"""Route selection the way API Gateway's HTTP API does it.

The most specific route wins: a literal segment beats a ``{param}`` segment, which beats a
greedy ``{proxy+}`` tail; a route with the request's method beats an ``ANY`` route on the same
path; ``$default`` catches what nothing else does. An HTTP API answers a path that exists with
another method with 404, not 405, so there is no "method not allowed" here either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from collections.abc import Iterable

    from local.template import Route

_LITERAL, _PARAMETER, _GREEDY = 0, 1, 2
_ANY_METHOD = "ANY"
_DEFAULT_ROUTE = "$default"


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    path_parameters: dict[str, str]


@dataclass(frozen=True)
class _Segment:
    kind: int
    text: str  # the literal, or the parameter's name

    @classmethod
    def parse(cls, segment: str) -> _Segment:
        if segment.startswith("{") and segment.endswith("+}"):
            return cls(_GREEDY, segment[1:-2])
        if segment.startswith("{") and segment.endswith("}"):
            return cls(_PARAMETER, segment[1:-1])
        return cls(_LITERAL, segment)


class _CompiledRoute:
    def __init__(self, route: Route):
        self.route = route
        self.segments = [] if route.path == _DEFAULT_ROUTE else [_Segment.parse(s) for s in route.path.split("/")[1:]]
        # Sorts most specific first: segment kinds left to right, a named method before ANY,
        # and $default after everything.
        self.rank = (
            route.path == _DEFAULT_ROUTE,
            tuple(segment.kind for segment in self.segments),
            route.method == _ANY_METHOD,
        )

    def match(self, method: str, raw_segments: list[str]) -> dict[str, str] | None:
        if self.route.method not in (method, _ANY_METHOD):
            return None
        if self.route.path == _DEFAULT_ROUTE:
            return {}
        parameters: dict[str, str] = {}
        for position, segment in enumerate(self.segments):
            if segment.kind == _GREEDY:
                rest = raw_segments[position:]
                if not rest or not any(rest):
                    return None
                parameters[segment.text] = unquote("/".join(rest))
                return parameters
            if position >= len(raw_segments):
                return None
            value = unquote(raw_segments[position])
            if segment.kind == _LITERAL and value != segment.text:
                return None
            if segment.kind == _PARAMETER:
                if not value:
                    return None
                parameters[segment.text] = value
        return parameters if len(raw_segments) == len(self.segments) else None


class RouteTable:
    """All routes of one API, tried most specific first."""

    def __init__(self, routes: Iterable[Route]):
        self._routes = sorted((_CompiledRoute(route) for route in routes), key=lambda compiled: compiled.rank)

    def match(self, method: str, raw_path: str) -> RouteMatch | None:
        """The route for ``method`` on ``raw_path`` (still percent-encoded), or None for a 404."""
        raw_segments = raw_path.split("/")[1:]
        for compiled in self._routes:
            parameters = compiled.match(method.upper(), raw_segments)
            if parameters is not None:
                return RouteMatch(compiled.route, parameters)
        return None
