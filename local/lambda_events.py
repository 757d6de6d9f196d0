"""Real API Gateway HTTP API events for invoking handlers directly, built from events/ samples."""

from __future__ import annotations

import copy
import importlib
import json
import time
import uuid
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from local import REPO_ROOT

if TYPE_CHECKING:
    from funnel_core.pages.tickets import PageRef

EVENTS_DIR = REPO_ROOT / "events"


@cache
def sample(name: str) -> dict[str, Any]:
    """A sample event from events/, e.g. ``sample("things/create")``."""
    return json.loads((EVENTS_DIR / f"{name}.json").read_text())


# The sample beacon and form post carry these in place of what a live page signs with the
# stack's key (which differs between the tests, the bench and make dev): the real ones are made
# when the event is sent, the form token old enough to pass for a person's.
FORM_TOKEN_STAND_IN = "%3Cfresh+form+token%3E"  # noqa: S105 (a stand-in, not a secret)
VIEW_TICKET_STAND_IN = "<view ticket>"
# ... and the sample Stripe webhook this, signed as Stripe signs, with the stack's webhook secret.
STRIPE_SIGNATURE_STAND_IN = "<stripe signature>"
# ... and the sample upsell this, in place of the sample order's ticket.
ORDER_TICKET_STAND_IN = "<order ticket>"


def with_fresh_signatures(event: dict[str, Any], page: PageRef, age_seconds: float = 10) -> dict[str, Any]:
    from urllib.parse import quote_plus

    from funnel_core.pages import tickets, tokens

    fresh = copy.deepcopy(event)
    token = tokens.issue(page.stepId, int((time.time() - age_seconds) * 1000))
    fresh["body"] = (fresh.get("body") or "").replace(FORM_TOKEN_STAND_IN, quote_plus(token)) or None
    query = fresh.get("queryStringParameters") or {}
    if query.get("t") == VIEW_TICKET_STAND_IN:
        ticket = tickets.issue(page)
        fresh["queryStringParameters"] = {**query, "t": ticket}
        fresh["rawQueryString"] = urlencode(fresh["queryStringParameters"])
    if ORDER_TICKET_STAND_IN in (fresh.get("body") or ""):
        from funnel_core.commerce.orders import order_ticket
        from local.samples.world import SAMPLE_ORDER

        fresh["body"] = fresh["body"].replace(ORDER_TICKET_STAND_IN, order_ticket(page.groupId, SAMPLE_ORDER))
    headers = fresh.get("headers") or {}
    if headers.get("stripe-signature") == STRIPE_SIGNATURE_STAND_IN:
        fresh["headers"] = {**headers, "stripe-signature": stripe_signature((fresh.get("body") or "").encode())}
    return fresh


def stripe_signature(payload: bytes, at: int | None = None) -> str:
    """``Stripe-Signature`` for ``payload``, as Stripe makes it, with the stack's webhook secret."""
    import hashlib
    import hmac
    import os

    from local.stripe_emulator import WEBHOOK_SECRET

    secret = os.environ.get("STRIPE_WEBHOOK_SECRET") or WEBHOOK_SECRET
    moment = int(time.time()) if at is None else at
    signature = hmac.new(secret.encode(), f"{moment}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={moment},v1={signature}"


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
    headers = result.get("headers") or {}
    content_type = next((value for name, value in headers.items() if name.lower() == "content-type"), "")
    # The API answers JSON; the public pages answer HTML, kept as text.
    body = (json.loads(raw) if "json" in content_type or not content_type else raw) if raw else None
    return Answer(result["statusCode"], headers, body)


def claims_for(person_id: str, *, email: str | None = None, groups: str = "[]") -> dict[str, str]:
    return {"sub": person_id, "email": email or f"{person_id}@example.com", "name": person_id, "cognito:groups": groups}
