"""Real API Gateway HTTP API events for invoking handlers directly, built from events/ samples."""

from __future__ import annotations

import copy
import importlib
import json
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from local import REPO_ROOT

EVENTS_DIR = REPO_ROOT / "events"


@cache
def sample(name: str) -> dict[str, Any]:
    """A sample event from events/, e.g. ``sample("things/create")``."""
    return json.loads((EVENTS_DIR / f"{name}.json").read_text())


@dataclass(frozen=True)
class LambdaContext:
    function_name: str = "local-function"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:local-function"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def http_event(
    sample_name: str,
    *,
    path_parameters: dict[str, str] | None = None,
    body: Any = None,
    query: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The sample, re-aimed: path parameters substituted into the route, body, query, caller."""
    event = copy.deepcopy(sample(sample_name))
    _method, route = event["routeKey"].split(" ", 1)
    parameters = {**(event.get("pathParameters") or {}), **(path_parameters or {})}
    path = route
    for name, value in parameters.items():
        path = path.replace("{" + name + "}", value)
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["requestId"] = str(uuid.uuid4())
    if parameters:
        event["pathParameters"] = parameters
    if body is not None:
        event["body"] = body if isinstance(body, str) else json.dumps(body)
    if query is not None:
        event["queryStringParameters"] = query or None
        event["rawQueryString"] = urlencode(query)
    if claims is not None:
        event["requestContext"]["authorizer"]["jwt"]["claims"] = claims
    if headers:
        event["headers"] = {**event["headers"], **{k.lower(): v for k, v in headers.items()}}
    return event


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


def invoke(module: str, event: dict[str, Any]) -> Answer:
    """Call ``functions/<module>.py``'s lambda_handler the way the Lambda runtime would."""
    handler = importlib.import_module(module).lambda_handler
    result = handler(event, LambdaContext(function_name=module))
    raw = result.get("body")
    return Answer(result["statusCode"], result.get("headers") or {}, json.loads(raw) if raw else None)


def claims_for(person_id: str, *, email: str | None = None, groups: str = "[]") -> dict[str, str]:
    return {"sub": person_id, "email": email or f"{person_id}@example.com", "name": person_id, "cognito:groups": groups}
