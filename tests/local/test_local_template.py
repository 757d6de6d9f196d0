"""The template reader: the table, the bucket, the routes and the stream, from a fixture template."""

from __future__ import annotations

from pathlib import Path

import pytest

from local import template
from local.template import TEMPLATE_PATH


def test_table_kwargs_keep_what_create_table_accepts(fixture_template: Path) -> None:
    kwargs = template.table_create_kwargs("my-table", template_path=fixture_template)

    assert kwargs["TableName"] == "my-table"
    assert kwargs["BillingMode"] == "PAY_PER_REQUEST"
    assert kwargs["KeySchema"] == [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    assert kwargs["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert kwargs["GlobalSecondaryIndexes"] == [
        {
            "IndexName": "GSI1",
            "KeySchema": [
                {"AttributeName": "GSI1PK", "KeyType": "HASH"},
                {"AttributeName": "GSI1SK", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
    ]
    for dropped in ("SSESpecification", "PointInTimeRecoverySpecification", "DeletionProtectionEnabled", "Tags"):
        assert dropped not in kwargs


def test_table_kwargs_without_the_stream_keep_the_rest(fixture_template: Path) -> None:
    with_stream = template.table_create_kwargs("my-table", template_path=fixture_template)
    without = template.table_create_kwargs("my-table", template_path=fixture_template, stream=False)

    assert "StreamSpecification" not in without
    assert without == {name: value for name, value in with_stream.items() if name != "StreamSpecification"}


def test_ttl_attribute(fixture_template: Path) -> None:
    assert template.table_ttl_attribute(template_path=fixture_template) == "ttl"


def test_routes_carry_method_path_auth_and_handler(fixture_template: Path) -> None:
    routes = {route.route_key: route for route in template.http_routes(template_path=fixture_template)}

    echo = routes["GET /things/{thingId}"]
    assert (echo.handler, echo.function_logical_id, echo.public) == (
        "fixture_handlers.echo.lambda_handler",
        "EchoFunction",
        False,
    )
    assert "POST /things/{thingId}" in routes  # a lower-case Method is normalised
    assert routes["GET /plain"].public
    assert routes["ANY /files/{proxy+}"].method == "ANY"


def test_function_settings_merge_globals(fixture_template: Path) -> None:
    routes = {route.function_logical_id: route for route in template.http_routes(template_path=fixture_template)}
    fixtures = fixture_template.parent

    echo, special = routes["EchoFunction"].function, routes["SpecialThingFunction"].function
    assert echo.code_uri == fixtures / "functions"
    assert echo.module_file == fixtures / "functions" / "fixture_handlers" / "echo.py"
    assert echo.handler_name == "lambda_handler"
    assert (echo.memory_size, echo.timeout) == (256, 5)
    assert special.memory_size == 512
    assert echo.python_paths == (fixtures / "functions", fixtures / "layer" / "python")


def test_stream_functions_with_filter_patterns(fixture_template: Path) -> None:
    (sink,) = template.stream_functions(template_path=fixture_template)

    assert sink.logical_id == "StreamSinkFunction"
    assert sink.handler == "fixture_handlers.stream_sink.lambda_handler"
    assert sink.filter_patterns == (
        {"eventName": ["INSERT"], "dynamodb": {"Keys": {"PK": {"S": [{"prefix": "EVENTS#"}]}}}},
    )
    assert (sink.batch_size, sink.starting_position, sink.report_batch_item_failures) == (10, "TRIM_HORIZON", True)
    assert sink.maximum_retry_attempts is None


def test_cors_resolves_parameter_references(fixture_template: Path) -> None:
    cors = template.http_api_cors(template_path=fixture_template)

    assert cors is not None
    assert cors.allow_origins == ("https://app.example.com",)
    assert cors.allow_methods == ("GET", "POST")
    assert cors.max_age == 300


@pytest.mark.skipif(not TEMPLATE_PATH.exists(), reason="template.yaml is not written yet")
def test_the_real_template_describes_table_routes_and_audit_stream() -> None:
    kwargs = template.table_create_kwargs("t-real")
    index_names = [index["IndexName"] for index in kwargs["GlobalSecondaryIndexes"]]

    assert index_names == ["GSI1", "GSI2", "GSI3"]
    assert template.table_ttl_attribute() == "ttl"
    assert template.http_routes(), "no HttpApi routes found"
    assert any(sub.filter_patterns for sub in template.stream_functions())


def test_cors_true_allows_every_origin_as_sam_reads_it(tmp_path: Path) -> None:
    template_file = tmp_path / "template.yaml"
    template_file.write_text(
        "Resources:\n  HttpApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      CorsConfiguration: true\n"
    )

    cors = template.http_api_cors(template_path=template_file)

    assert cors == template.CorsConfiguration(allow_origins=("*",))
