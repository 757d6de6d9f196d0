"""Payload format 2.0: the event API Gateway builds and how it reads the function's answer."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from local.http_api import ApiContext, MalformedLambdaResponse, build_event, http_response, is_text
from local.routing import RouteMatch
from local.template import FunctionSpec, Route

ROUTE = Route(method="GET", path="/groups/{groupId}", public=False, function=FunctionSpec("Fn", "m.h", Path()))
# The keys of the documented payload format 2.0 event (what `sam local generate-event apigateway
# http-api-proxy` produces), minus `stageVariables`, which an API without stage variables leaves out.
EVENT_KEYS = {
    "version",
    "routeKey",
    "rawPath",
    "rawQueryString",
    "cookies",
    "headers",
    "queryStringParameters",
    "requestContext",
    "body",
    "pathParameters",
    "isBase64Encoded",
}
REQUEST_CONTEXT_KEYS = {
    "accountId",
    "apiId",
    "authorizer",
    "domainName",
    "domainPrefix",
    "http",
    "requestId",
    "routeKey",
    "stage",
    "time",
    "timeEpoch",
}
HTTP_KEYS = {"method", "path", "protocol", "sourceIp", "userAgent"}


def _request(path: str = "/groups/g%201", **options: object) -> Request:
    return Request(EnvironBuilder(path=path, base_url="http://api.example.com:3000", **options).get_environ())  # type: ignore[arg-type]


def _event(request: Request, claims: dict[str, str] | None = None) -> dict[str, object]:
    match = RouteMatch(ROUTE, {"groupId": "g 1"})
    moment = datetime(2026, 3, 12, 19, 3, 58, tzinfo=UTC)
    return build_event(request, match, request_id="req-1", claims=claims, api=ApiContext(api_id="abc"), now=moment)


def test_a_full_request_fills_every_key_of_the_2_0_shape() -> None:
    request = _request(
        query_string="tag=a&tag=b&q=x%20y",
        method="GET",
        headers=[("Cookie", "s=1; theme=dark"), ("User-Agent", "tests/1.0")],
        data=json.dumps({"a": 1}),
        content_type="application/json",
    )

    event = _event(request, claims={"sub": "u1"})

    assert set(event) == EVENT_KEYS
    context = event["requestContext"]
    assert isinstance(context, dict)
    assert set(context) == REQUEST_CONTEXT_KEYS
    assert set(context["http"]) == HTTP_KEYS
    assert event["version"] == "2.0"
    assert event["routeKey"] == context["routeKey"] == "GET /groups/{groupId}"
    assert event["rawPath"] == context["http"]["path"] == "/groups/g%201"
    assert event["rawQueryString"] == "tag=a&tag=b&q=x%20y"
    assert event["queryStringParameters"] == {"tag": "a,b", "q": "x y"}
    assert event["pathParameters"] == {"groupId": "g 1"}
    assert event["cookies"] == ["s=1", "theme=dark"]
    assert event["body"] == '{"a": 1}'
    assert event["isBase64Encoded"] is False
    assert context["authorizer"] == {"jwt": {"claims": {"sub": "u1"}, "scopes": None}}
    assert (context["stage"], context["apiId"], context["requestId"]) == ("$default", "abc", "req-1")
    assert (context["domainName"], context["domainPrefix"]) == ("api.example.com", "api")
    assert context["time"] == "12/Mar/2026:19:03:58 +0000"
    assert context["timeEpoch"] == 1773342238000
    assert context["http"]["userAgent"] == "tests/1.0"


def test_headers_are_lower_case_and_without_cookies() -> None:
    request = _request(headers=[("X-Custom", "1"), ("Cookie", "s=1")])

    headers = _event(request)["headers"]

    assert isinstance(headers, dict)
    assert all(name == name.lower() for name in headers)
    assert headers["x-custom"] == "1"
    assert "cookie" not in headers
    assert headers["host"] == "api.example.com:3000"
    assert {"x-forwarded-for", "x-forwarded-port", "x-forwarded-proto"} <= set(headers)


def test_absent_parts_are_left_out_not_null() -> None:
    event = _event(_request())

    assert "body" not in event
    assert "cookies" not in event
    assert "queryStringParameters" not in event
    assert event["isBase64Encoded"] is False


def test_a_public_route_has_no_authorizer() -> None:
    context = _event(_request())["requestContext"]

    assert isinstance(context, dict)
    assert "authorizer" not in context


@pytest.mark.parametrize(
    ("content_type", "text"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("text/html", True),
        ("application/xml", True),
        ("application/x-www-form-urlencoded", False),
        ("multipart/form-data; boundary=x", False),
        ("application/octet-stream", False),
        (None, False),
    ],
)
def test_which_bodies_arrive_as_text(content_type: str | None, text: bool) -> None:
    assert is_text(content_type) is text


def test_a_form_post_arrives_base64_encoded_as_on_aws() -> None:
    request = _request(method="POST", data="email=a%40b.c", content_type="application/x-www-form-urlencoded")

    event = _event(request)

    assert event["isBase64Encoded"] is True
    assert base64.b64decode(str(event["body"])) == b"email=a%40b.c"


def test_a_result_without_status_code_is_a_200_json_body() -> None:
    response = http_response({"hello": "world"})

    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert response.get_json() == {"hello": "world"}


def test_a_string_result_is_the_body_itself() -> None:
    response = http_response("Hello from Lambda!")

    assert (response.status_code, response.get_data(as_text=True)) == (200, "Hello from Lambda!")


def test_a_full_response_with_cookies_and_a_base64_body() -> None:
    response = http_response(
        {
            "statusCode": 201,
            "headers": {"content-type": "image/png", "x-count": 2},
            "cookies": ["a=1", "b=2; Secure"],
            "isBase64Encoded": True,
            "body": base64.b64encode(b"\x89PNG").decode(),
        }
    )

    assert response.status_code == 201
    assert response.content_type == "image/png"
    assert response.headers["x-count"] == "2"
    assert response.headers.getlist("Set-Cookie") == ["a=1", "b=2; Secure"]
    assert response.get_data() == b"\x89PNG"


def test_a_response_without_content_type_is_json() -> None:
    assert http_response({"statusCode": 204}).content_type == "application/json"


@pytest.mark.parametrize(
    "result",
    [{"statusCode": "200"}, {"statusCode": 200, "body": {"not": "a string"}}, {"statusCode": 200, "headers": []}],
)
def test_malformed_responses(result: dict[str, object]) -> None:
    with pytest.raises(MalformedLambdaResponse):
        http_response(result)
