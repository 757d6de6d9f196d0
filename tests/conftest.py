"""Fixtures shared by the whole suite.

- ``moto_table``: the table from template.yaml inside moto's in-process mock (fast unit tests).
- ``stack``: DynamoDB Local and moto's server with the table and audit bucket from
  template.yaml, started once per session; the stream poller archives events as on AWS.
- ``api``: the local HTTP API (API Gateway's part) in front of the real handler files.
- ``clean_table``: an empty table for a test that needs one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import pytest

# Handlers read their settings once, at cold start; these are the unit-test defaults, which the
# local stack overrides for integration tests.
os.environ.setdefault("TABLE_NAME", "funnel-builder-unit")
os.environ.setdefault("AUDIT_BUCKET_NAME", "funnel-builder-audit-unit")
os.environ.setdefault("CURSOR_SECRET", "unit-test-cursor-secret-0123456789")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "funnel-builder")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "FunnelBuilder")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")

from local.containers import cold_start
from local.dynamodb_local import DynamoDBLocal
from local.stack import LocalApi, LocalStack
from local.template import create_audit_bucket, create_table

_ENDPOINT_VARIABLES = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ENDPOINT_URL_DYNAMODB_STREAMS",
)


@pytest.fixture
def moto_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from moto import mock_aws

    for name in _ENDPOINT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TABLE_NAME", "funnel-builder-unit")
    monkeypatch.setenv("AUDIT_BUCKET_NAME", "funnel-builder-audit-unit")
    with mock_aws():
        cold_start()
        create_table(boto3.client("dynamodb"), "funnel-builder-unit")
        create_audit_bucket(boto3.client("s3"), "funnel-builder-audit-unit")
        yield "funnel-builder-unit"
    cold_start()


@pytest.fixture(scope="session")
def dynamodb_local_server() -> Iterator[DynamoDBLocal]:
    """One DynamoDB Local for the session: it takes seconds to start. Tests use their own tables."""
    with DynamoDBLocal() as server:
        yield server


@pytest.fixture(scope="session")
def stack(dynamodb_local_server: DynamoDBLocal) -> Iterator[LocalStack]:
    with LocalStack(poll_streams=True, dynamodb=dynamodb_local_server) as local:
        cold_start()
        yield local
    cold_start()


@pytest.fixture
def integration(stack: LocalStack) -> Iterator[LocalStack]:
    """The session's stack, with handler state as a fresh container would have it."""
    cold_start()
    yield stack
    cold_start()


@pytest.fixture(scope="session")
def api(stack: LocalStack) -> Iterator[LocalApi]:
    with LocalApi() as local_api:
        stack.stripe.send_webhooks_to(f"{local_api.url}/webhooks/stripe")
        yield local_api
