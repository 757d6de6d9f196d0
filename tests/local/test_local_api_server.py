"""The local HTTP API end to end: routing, the authorizer, the handlers, OpenAPI, docs, CORS."""

from __future__ import annotations

import http.client
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from local.api_server import ApiServer
from local.stack import LocalApi
from local.tokens import mint_token


def _bearer(sub: str = "u1", **claims: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(sub, **claims)}"}  # type: ignore[arg-type]


def test_a_protected_route_gets_the_claims_where_the_jwt_authorizer_puts_them(fixture_client: Client) -> None:
    response = fixture_client.get("/things/t1?x=1", headers=_bearer("u1", groups=["platform_owner", "beta"]))

    assert response.status_code == 200
    body = response.get_json()
    event = body["event"]
    assert event["routeKey"] == "GET /things/{thingId}"
    assert event["pathParameters"] == {"thingId": "t1"}
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    assert claims["sub"] == "u1"
    assert claims["cognito:groups"] == "[platform_owner beta]"
    assert event["requestContext"]["authorizer"]["jwt"]["scopes"] is None


def test_the_handler_runs_in_its_own_container_with_a_lambda_context(fixture_client: Client) -> None:
    body = fixture_client.get("/things/special", headers=_bearer()).get_json()

    assert body["module"] == "lambda_SpecialThingFunction_1"
    assert body["layer"] == "fixture-layer"
    context = body["context"]
    assert context["function_name"] == "SpecialThingFunction"
    assert context["memory_limit_in_mb"] == 512
    assert context["invoked_function_arn"].endswith(":function:SpecialThingFunction")
    assert 0 < context["remaining_ms"] <= 5000


def test_a_function_keeps_its_warm_container(fixture_client: Client) -> None:
    first = fixture_client.get("/things/a", headers=_bearer()).get_json()
    second = fixture_client.post("/things/b", headers=_bearer()).get_json()

    assert first["module"] == second["module"] == "lambda_EchoFunction_1"
    assert first["context"]["aws_request_id"] != second["context"]["aws_request_id"]


def test_a_greedy_route_gets_the_rest_of_the_path(fixture_client: Client) -> None:
    event = fixture_client.delete("/files/a/b/c.txt", headers=_bearer()).get_json()["event"]

    assert (event["routeKey"], event["pathParameters"]) == ("ANY /files/{proxy+}", {"proxy": "a/b/c.txt"})


def test_unknown_path_is_api_gateways_404(fixture_client: Client) -> None:
    response = fixture_client.get("/nowhere")

    assert response.status_code == 404
    assert response.get_data(as_text=True) == '{"message":"Not Found"}'


def test_known_path_with_another_method_is_also_404(fixture_client: Client) -> None:
    assert fixture_client.put("/things/t1", headers=_bearer()).status_code == 404


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer x.y.z"},
        {"Authorization": f"Bearer {mint_token('u1', secret='not-the-secret')}"},
        {"Authorization": f"Bearer {mint_token('u1', ttl_seconds=-5)}"},
    ],
    ids=["no-token", "garbage", "bad-signature", "expired"],
)
def test_protected_routes_refuse_bad_tokens_with_401(fixture_client: Client, headers: dict[str, str]) -> None:
    response = fixture_client.get("/things/t1", headers=headers)

    assert response.status_code == 401
    assert response.get_json() == {"message": "Unauthorized"}
    assert "www-authenticate" in response.headers


def test_a_public_route_needs_no_token_and_a_plain_result_is_200_json(fixture_client: Client) -> None:
    response = fixture_client.get("/plain")

    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert response.get_json() == {"hello": "world", "count": 3}


def test_a_full_response_maps_back_to_http(fixture_client: Client) -> None:
    response = fixture_client.get("/custom")

    assert response.status_code == 202
    assert response.get_data() == b"\x00\x01binary"
    assert response.headers.getlist("Set-Cookie") == ["session=1; HttpOnly", "theme=dark"]


def test_a_failing_handler_is_a_500_with_the_traceback_logged(
    fixture_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="local.api_server"):
        response = fixture_client.get("/failing")

    assert response.status_code == 500
    assert response.get_json() == {"message": "Internal Server Error"}
    assert "handler bug" in caplog.text


def test_every_answer_carries_a_request_id(fixture_client: Client) -> None:
    assert fixture_client.get("/nowhere").headers["apigw-requestid"]


def test_a_powertools_handler_reads_the_claims(fixture_client: Client) -> None:
    response = fixture_client.get("/widgets/w1", headers=_bearer("u7"))

    assert response.get_json() == {"widgetId": "w1", "caller": "u7"}


def test_openapi_merges_every_handlers_schema(fixture_client: Client) -> None:
    document = fixture_client.get("/openapi.json").get_json()

    assert document["info"]["title"] == "Funnel Builder API"
    scheme = dict(document["components"]["securitySchemes"]["bearerAuth"])
    description = scheme.pop("description")
    assert scheme == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert "issuer `local` and audience `funnel-builder`" in description
    assert document["security"] == [{"bearerAuth": []}]
    assert "Widget" in document["components"]["schemas"]
    assert "security" not in document["paths"]["/widgets/{widgetId}"]["get"]
    assert document["paths"]["/hello"]["get"]["security"] == []


def test_docs_serve_swagger_ui_locally(fixture_client: Client) -> None:
    page = fixture_client.get("/docs")
    script = fixture_client.get("/docs/swagger-ui-bundle.js")

    assert page.status_code == 200
    assert "/openapi.json" in page.get_data(as_text=True)
    assert "https://" not in page.get_data(as_text=True)  # nothing from a CDN
    assert script.status_code == 200
    assert fixture_client.get("/docs/../conftest.py").status_code == 404


def test_cors_preflight_is_answered_by_the_gateway(fixture_client: Client) -> None:
    response = fixture_client.options(
        "/things/t1", headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"}
    )

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert response.headers["Access-Control-Allow-Methods"] == "GET,POST"
    assert response.headers["Access-Control-Max-Age"] == "300"


def test_cors_headers_of_the_function_are_replaced(fixture_client: Client) -> None:
    allowed = fixture_client.get("/custom", headers={"Origin": "https://app.example.com"})
    foreign = fixture_client.get("/custom", headers={"Origin": "https://evil.example"})

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert allowed.headers["Access-Control-Expose-Headers"] == "X-Trace"
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_a_function_past_its_timeout_is_stopped_and_the_gateway_answers_503(fixture_client: Client) -> None:
    response = fixture_client.post("/sleepy", json={"seconds": 30})

    assert response.status_code == 503
    assert response.get_json() == {"message": "Service Unavailable"}
    assert fixture_client.post("/sleepy", json={"seconds": 0}).get_json() == {"slept": 0.0}


def test_slow_requests_are_served_concurrently(fixture_template: Path) -> None:
    with LocalApi(template_path=fixture_template) as api:

        def get_slow(_: int) -> dict[str, Any]:
            connection = http.client.HTTPConnection(api.host, api.port, timeout=10)
            connection.request("GET", "/slow")
            return json.loads(connection.getresponse().read())

        with ThreadPoolExecutor(max_workers=2) as pool:
            first, second = pool.map(get_slow, range(2))

    assert first["started"] < second["ended"]  # the two handler runs overlapped
    assert second["started"] < first["ended"]
    assert first["module"] != second["module"]  # each request got its own container


def test_the_real_server_joins_repeated_headers_with_commas(fixture_template: Path) -> None:
    with LocalApi(template_path=fixture_template) as api:
        connection = http.client.HTTPConnection(api.host, api.port, timeout=10)
        connection.putrequest("GET", "/things/t%201?tag=a&tag=b")
        for name, value in [*_bearer().items(), ("X-Multi", "1"), ("X-Multi", "2")]:
            connection.putheader(name, value)
        connection.endheaders()
        event = json.loads(connection.getresponse().read())["event"]

    assert event["headers"]["x-multi"] == "1,2"
    assert event["rawPath"] == "/things/t%201"
    assert event["pathParameters"] == {"thingId": "t 1"}
    assert event["queryStringParameters"] == {"tag": "a,b"}


def test_a_module_that_fails_to_import_is_left_out_of_openapi(
    fixture_api_app: ApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    hello = next(route for route in fixture_api_app.routes if route.path == "/hello")
    missing_function = replace(hello.function, logical_id="MissingFunction", handler="fixture_handlers.gone.handler")
    missing = replace(hello, path="/gone", function=missing_function)
    app = ApiServer([hello, missing])

    with caplog.at_level(logging.ERROR, logger="local.api_server"):
        document = app.openapi()

    assert list(document["paths"]) == ["/hello"]
    assert "MissingFunction could not be imported" in caplog.text
