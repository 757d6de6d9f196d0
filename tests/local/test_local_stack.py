"""DynamoDB Local, moto and the LocalStack built on them, from the fixture template."""

from __future__ import annotations

import os
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from local.dynamodb_local import DynamoDBLocal
from local.moto_server import MotoServer
from local.stack import LOCAL_CURSOR_SECRET, LocalStack
from local.template import create_audit_bucket, create_table

pytestmark = pytest.mark.integration


def test_a_table_from_the_template_with_its_indexes_stream_and_ttl(
    dynamodb_local_server: DynamoDBLocal, fixture_template: Path, unique_table_name: str
) -> None:
    client = dynamodb_local_server.client()

    create_table(client, unique_table_name, template_path=fixture_template)

    table = client.describe_table(TableName=unique_table_name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert [index["IndexName"] for index in table["GlobalSecondaryIndexes"]] == ["GSI1"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    ttl = client.describe_time_to_live(TableName=unique_table_name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}


def test_stopping_a_server_that_never_started_is_harmless() -> None:
    server = DynamoDBLocal()

    server.stop()

    assert not server.running


def test_the_audit_bucket_is_versioned(fixture_template: Path) -> None:
    with MotoServer() as moto:
        s3 = moto.client("s3")
        create_audit_bucket(s3, "local-test-audit", template_path=fixture_template)

        assert s3.get_bucket_versioning(Bucket="local-test-audit")["Status"] == "Enabled"


def test_the_moto_server_keeps_its_state_when_a_test_uses_mock_aws() -> None:
    with MotoServer() as moto:
        s3 = moto.client("s3")
        s3.create_bucket(Bucket="local-test-survivor")

        with mock_aws():
            boto3.client("s3", region_name="us-east-1").list_buckets()

        assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == ["local-test-survivor"]


def test_the_stack_points_the_handlers_environment_at_itself_and_restores_it(
    dynamodb_local_server: DynamoDBLocal,
    fixture_template: Path,
    unique_table_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_SESSION_TOKEN", "a-real-session")
    monkeypatch.delenv("CURSOR_SECRET", raising=False)
    before = dict(os.environ)
    stack = LocalStack(
        template_path=fixture_template,
        table_name=unique_table_name,
        audit_bucket_name="local-test-stack-bucket",
        dynamodb=dynamodb_local_server,
    )

    with stack:
        assert os.environ["TABLE_NAME"] == unique_table_name
        assert os.environ["AUDIT_BUCKET_NAME"] == "local-test-stack-bucket"
        assert os.environ["CURSOR_SECRET"] == LOCAL_CURSOR_SECRET
        assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == dynamodb_local_server.endpoint_url
        assert "AWS_SESSION_TOKEN" not in os.environ
        # A plain boto3 client, as a handler makes one, reaches the local table and bucket.
        assert unique_table_name in boto3.client("dynamodb").list_tables()["TableNames"]
        boto3.client("s3").put_object(Bucket="local-test-stack-bucket", Key="k", Body=b"v")
        stack.client("dynamodb").put_item(TableName=unique_table_name, Item={"PK": {"S": "a"}, "SK": {"S": "b"}})
        stack.recreate_table()
        assert stack.client("dynamodb").scan(TableName=unique_table_name)["Count"] == 0

    assert dict(os.environ) == before
    assert dynamodb_local_server.running  # a shared server is not the stack's to stop


def test_a_table_recreated_without_its_stream_takes_back_the_items_scanned_from_it(integration: LocalStack) -> None:
    # Given a table holding more items than one BatchWriteItem carries
    integration.recreate_table()
    client = integration.client("dynamodb")
    for n in range(30):
        client.put_item(TableName=integration.table_name, Item={"PK": {"S": f"P#{n}"}, "SK": {"S": "S"}})
    items = integration.scan_items()
    try:
        # When it is recreated without its stream and the scanned items are put back
        integration.recreate_table(stream=False)
        described = client.describe_table(TableName=integration.table_name)["Table"]
        emptied = integration.scan_items()
        integration.put_items(items)

        # Then it has no stream, was empty, and holds every item again
        assert "StreamSpecification" not in described
        assert emptied == []
        assert sorted(item["PK"]["S"] for item in integration.scan_items()) == sorted(f"P#{n}" for n in range(30))
    finally:
        integration.recreate_table()
