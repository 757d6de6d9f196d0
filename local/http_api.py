"""Payload format 2.0: the event API Gateway's HTTP API sends a Lambda proxy integration, and how
it turns what the function returns into the HTTP response.

The rules that surprise people are kept, because handlers must cope with them on AWS: the body
is base64 unless the content type is text (``application/x-www-form-urlencoded`` is *not*) and
the body is valid UTF-8,
cookies move out of the headers into ``cookies``, repeated headers and query parameters are
joined with commas, absent parts are left out rather than set to null.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

from local.lambda_runtime import LOCAL_ACCOUNT_ID

if TYPE_CHECKING:
    from werkzeug.wrappers import Request

    from local.routing import RouteMatch

# Verified against AWS: everything else, a missing content type included, arrives base64-encoded.
_TEXT_CONTENT_TYPES = frozenset({"application/json", "application/xml", "application/javascript"})
_JSON = "application/json"
# Headers API Gateway computes itself rather than take from the function.
_HOP_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})


@dataclass(frozen=True)
class ApiContext:
    """The parts of ``requestContext`` that name the API rather than the request."""

    account_id: str = LOCAL_ACCOUNT_ID
    api_id: str = "local"
    stage: str = "$default"


class MalformedLambdaResponse(Exception):
    """The function returned something API Gateway cannot turn into a response (it answers 500)."""


def is_text(content_type: str | None) -> bool:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type.startswith("text/") or media_type in _TEXT_CONTENT_TYPES


def raw_path(request: Request) -> str:
    """The path as the client sent it, percent-encoding and all (WSGI decodes ``PATH_INFO``)."""
    raw_uri = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    return str(raw_uri).split("?", 1)[0] if raw_uri else request.path


def build_event(
    request: Request,
    match: RouteMatch,
    *,
    request_id: str,
    claims: dict[str, str] | None = None,
    api: ApiContext = ApiContext(),  # noqa: B008 - frozen, so one shared default is safe
    now: datetime | None = None,
) -> dict[str, Any]:
    """The event for ``request`` routed by ``match``; ``claims`` is None on a public route."""
    path = raw_path(request)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": match.route.route_key,
        "rawPath": path,
        "rawQueryString": request.query_string.decode("latin-1"),
    }
    if cookies := _cookies(request):
        event["cookies"] = cookies
    event["headers"] = _headers(request)
    if query := {name: ",".join(values) for name, values in request.args.lists()}:
        event["queryStringParameters"] = query
    event["requestContext"] = _request_context(request, match, path, request_id, claims, api, now)
    if body := request.get_data(cache=True):
        text = _as_text(body) if is_text(request.headers.get("content-type")) else None
        event["body"] = text if text is not None else base64.b64encode(body).decode("ascii")
        event["isBase64Encoded"] = text is None
    else:
        event["isBase64Encoded"] = False
    if match.path_parameters:
        event["pathParameters"] = dict(match.path_parameters)
    return event


def _as_text(body: bytes) -> str | None:
    """A text body as API Gateway passes it: as is when it is UTF-8, base64 (None here) when it
    is not, never with its bad bytes replaced."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _cookies(request: Request) -> list[str]:
    return [
        cookie.strip() for header in request.headers.getlist("cookie") for cookie in header.split(";") if cookie.strip()
    ]


def _headers(request: Request) -> dict[str, str]:
    """Lower-cased names; repeated headers arrive already joined with commas by the WSGI server."""
    headers = {name.lower(): value for name, value in request.headers.items() if name.lower() != "cookie"}
    port = request.environ.get("SERVER_PORT", "")
    headers.setdefault("x-forwarded-for", request.remote_addr or "")
    headers.setdefault("x-forwarded-port", str(port))
    headers.setdefault("x-forwarded-proto", request.scheme)
    return headers


def _request_context(
    request: Request,
    match: RouteMatch,
    path: str,
    request_id: str,
    claims: dict[str, str] | None,
    api: ApiContext,
    now: datetime | None,
) -> dict[str, Any]:
    moment = now or datetime.now(UTC)
    domain = (request.host or "localhost").rsplit(":", 1)[0]
    context: dict[str, Any] = {
        "accountId": api.account_id,
        "apiId": api.api_id,
        "domainName": domain,
        "domainPrefix": domain.split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": path,
            "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "sourceIp": request.remote_addr or "",
            "userAgent": request.headers.get("user-agent", ""),
        },
        "requestId": request_id,
        "routeKey": match.route.route_key,
        "stage": api.stage,
        "time": moment.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(moment.timestamp() * 1000),
    }
    if claims is not None:
        context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return context


def http_response(result: Any) -> Response:
    """The HTTP response API Gateway makes of a function's result.

    A dict with ``statusCode`` is a full response. Anything else is a 200 with a JSON body: the
    result itself when it is a string, its JSON otherwise.
    """
    if not (isinstance(result, dict) and "statusCode" in result):
        body = result if isinstance(result, str) else json.dumps(result)
        return Response(body, status=200, content_type=_JSON)
    status = result["statusCode"]
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise MalformedLambdaResponse(f"statusCode must be an HTTP status number, not {status!r}")
    return Response(_body(result), status=status, headers=_response_headers(result))


def _response_headers(result: dict[str, Any]) -> Headers:
    given = result.get("headers")
    given = {} if given is None else given
    if not isinstance(given, dict):
        raise MalformedLambdaResponse("headers must be an object")
    headers = Headers()
    for name, value in given.items():
        if name.lower() not in _HOP_HEADERS:
            headers.add(name, str(value))
    for cookie in result.get("cookies") or []:
        headers.add("Set-Cookie", str(cookie))
    headers.setdefault("Content-Type", _JSON)
    return headers


def _body(result: dict[str, Any]) -> bytes:
    body = result.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise MalformedLambdaResponse(f"body must be a string, not {type(body).__name__}")
    return base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")


def gateway_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An answer API Gateway gives itself, before or instead of the function: ``{"message": ...}``."""
    body = json.dumps({"message": message}, separators=(",", ":"))
    return Response(body, status=status, content_type=_JSON, headers=headers)
