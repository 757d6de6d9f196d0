"""The AWS clients, each created once per container."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from funnel_core.container import once

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

# Lambda handlers answer an API: fail fast and let the client retry, rather than hang.
_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})


@once
def dynamodb() -> DynamoDBClient:
    return boto3.client("dynamodb", config=_CONFIG)


# The audit archive writes a batch's objects: S3's own 500s and 503s are retried here first, and
# only then is the batch retried by Lambda (audit/archive.py).
_S3_CONFIG = Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 5, "mode": "standard"})


@once
def s3() -> S3Client:
    return boto3.client("s3", config=_S3_CONFIG)
