"""The DynamoDB client, created once per container."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from funnel_core.container import once

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# Lambda handlers answer an API: fail fast and let the client retry, rather than hang.
_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})


@once
def dynamodb() -> DynamoDBClient:
    return boto3.client("dynamodb", config=_CONFIG)
