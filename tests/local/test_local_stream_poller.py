"""The stream event source mapping against DynamoDB Local's real stream."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from local import stream_poller
from local.dynamodb_local import DynamoDBLocal
from local.net import wait_until
from local.stream_poller import StreamPoller, first_failed_index, lambda_record
from local.template import create_table

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def sink_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the fixture's stream handler, in its own container process, writes what it got."""
    log = tmp_path / "received.jsonl"
    log.touch()
    monkeypatch.setenv("STREAM_SINK_LOG", str(log))
    return log


def _received(sink_log: Path) -> list[dict[str, Any]]:
    events = [json.loads(line) for line in sink_log.read_text().splitlines()]
    return [record for event in events for record in event["Records"]]


def _table_and_poller(server: DynamoDBLocal, template: Path, table_name: str) -> tuple[Any, StreamPoller]:
    """A new table of the fixture template, and its mappings polling quickly (not yet started)."""
    dynamodb = server.client()
    create_table(dynamodb, table_name, template_path=template)
    poller = StreamPoller.from_template(
        template_path=template, table_name=table_name, endpoint_url=server.endpoint_url, poll_interval=0.05
    )
    return dynamodb, poller


def test_a_matching_insert_reaches_the_handler_as_a_lambda_stream_event(
    dynamodb_local_server: DynamoDBLocal, fixture_template: Path, unique_table_name: str, sink_log: Path
) -> None:
    dynamodb, poller = _table_and_poller(dynamodb_local_server, fixture_template, unique_table_name)

    with poller:
        dynamodb.put_item(TableName=unique_table_name, Item={"PK": {"S": "GROUP#g1"}, "SK": {"S": "META"}})
        dynamodb.put_item(
            TableName=unique_table_name,
            Item={"PK": {"S": "EVENTS#g1"}, "SK": {"S": "e1"}, "blob": {"B": b"\x00\x01"}},
        )
        dynamodb.update_item(
            TableName=unique_table_name,
            Key={"PK": {"S": "EVENTS#g1"}, "SK": {"S": "e1"}},
            UpdateExpression="SET seen = :t",
            ExpressionAttributeValues={":t": {"BOOL": True}},
        )
        wait_until(lambda: bool(_received(sink_log)), timeout=30, what="the stream handler")

    (record,) = _received(sink_log)  # the group item and the MODIFY were filtered out
    assert record["eventName"] == "INSERT"
    assert record["eventSource"] == "aws:dynamodb"
    assert record["eventVersion"] == "1.1"
    assert record["awsRegion"] == "us-east-1"
    assert f":table/{unique_table_name}/stream/" in record["eventSourceARN"]
    stream = record["dynamodb"]
    assert stream["Keys"] == {"PK": {"S": "EVENTS#g1"}, "SK": {"S": "e1"}}
    assert stream["NewImage"]["blob"] == {"B": base64.b64encode(b"\x00\x01").decode()}
    assert stream["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert isinstance(stream["ApproximateCreationDateTime"], int)
    assert {"SequenceNumber", "SizeBytes"} <= set(stream)


def test_a_reported_failure_is_retried_from_that_record(
    dynamodb_local_server: DynamoDBLocal, fixture_template: Path, unique_table_name: str, sink_log: Path
) -> None:
    dynamodb, poller = _table_and_poller(dynamodb_local_server, fixture_template, unique_table_name)

    # Written before the mapping starts (TRIM_HORIZON), so the three come in one read and one batch:
    # written while it polls, they could arrive one by one and there would be no tail to retry.
    for key, fail in (("e1", False), ("e2", True), ("e3", False)):
        dynamodb.put_item(
            TableName=unique_table_name,
            Item={"PK": {"S": "EVENTS#g1"}, "SK": {"S": key}, "fail": {"BOOL": fail}},
        )
    with poller:
        wait_until(lambda: len(_received(sink_log)) >= 5, timeout=30, what="the retry")

    keys = [record["dynamodb"]["Keys"]["SK"]["S"] for record in _received(sink_log)]
    assert keys[-2:] == ["e2", "e3"]  # the retried tail, after the first delivery of e2
    assert keys.count("e1") == 1


def test_a_re_created_table_is_followed_without_waiting_for_a_periodic_refresh(
    dynamodb_local_server: DynamoDBLocal,
    fixture_template: Path,
    unique_table_name: str,
    sink_log: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a mapping that would look for new streams only once an hour, having delivered a record
    monkeypatch.setattr(stream_poller, "_SHARD_REFRESH_SECONDS", 3600.0)
    dynamodb, poller = _table_and_poller(dynamodb_local_server, fixture_template, unique_table_name)
    item = {"PK": {"S": "EVENTS#g1"}, "SK": {"S": "before"}}
    with poller:
        dynamodb.put_item(TableName=unique_table_name, Item=item)
        wait_until(lambda: len(_received(sink_log)) == 1, timeout=30, what="the first record")

        # When the table is deleted and made again, and written to straight away
        dynamodb.delete_table(TableName=unique_table_name)
        dynamodb.get_waiter("table_not_exists").wait(TableName=unique_table_name)
        create_table(dynamodb, unique_table_name, template_path=fixture_template)
        dynamodb.put_item(TableName=unique_table_name, Item={**item, "SK": {"S": "after"}})

        # Then the new stream's first record arrives all the same: the old shard ending sent the
        # mapping looking for the new stream on its next poll
        wait_until(lambda: len(_received(sink_log)) == 2, timeout=30, what="the new table's record")

    assert [record["dynamodb"]["Keys"]["SK"]["S"] for record in _received(sink_log)] == ["before", "after"]


def test_stop_ends_the_polling_threads(
    dynamodb_local_server: DynamoDBLocal, fixture_template: Path, unique_table_name: str
) -> None:
    create_table(dynamodb_local_server.client(), unique_table_name, template_path=fixture_template)
    poller = StreamPoller.from_template(
        template_path=fixture_template, table_name=unique_table_name, endpoint_url=dynamodb_local_server.endpoint_url
    ).start()

    assert poller.running

    poller.stop()

    assert not poller.running


def test_lambda_record_shape() -> None:
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    record = {
        "eventID": "id-1",
        "eventName": "REMOVE",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "ddblocal",
        "dynamodb": {"ApproximateCreationDateTime": created, "Keys": {"PK": {"S": "a"}}, "SequenceNumber": "1"},
        "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
    }

    converted = lambda_record(record, region="eu-west-1", stream_arn="arn:stream")

    assert list(converted) == [
        "eventID",
        "eventName",
        "eventVersion",
        "eventSource",
        "awsRegion",
        "dynamodb",
        "eventSourceARN",
        "userIdentity",
    ]
    assert converted["awsRegion"] == "eu-west-1"
    assert converted["dynamodb"]["ApproximateCreationDateTime"] == int(created.timestamp())


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (None, None),
        ({"batchItemFailures": []}, None),
        ({"batchItemFailures": [{"itemIdentifier": "3"}, {"itemIdentifier": "2"}]}, 1),
        ({"batchItemFailures": [{"itemIdentifier": "9"}]}, 0),  # not in the batch: the whole batch failed
        ({"batchItemFailures": [{"itemIdentifier": ""}]}, 0),
    ],
)
def test_first_failed_index(result: object, expected: int | None) -> None:
    batch = [{"dynamodb": {"SequenceNumber": number}} for number in ("1", "2", "3")]

    assert first_failed_index(result, batch) == expected
