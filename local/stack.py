"""``LocalStack`` (the AWS side) and ``LocalApi`` (API Gateway in front of the handlers).

From a test::

    with LocalStack() as stack, LocalApi() as api:
        requests.post(f"{api.url}/groups", json={...}, headers={"Authorization": f"Bearer {mint_token('u1')}"})
        stack.client("dynamodb").scan(TableName=stack.table_name)

``LocalStack`` starts DynamoDB Local and moto's server, creates the table and the audit bucket
from the template and points the process's environment at them, the way Lambda's environment
points the handlers at the real ones. It must be started before the first handler is imported:
handlers read their settings once, at cold start.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Any, Self

import boto3
from werkzeug.serving import make_server

from local.api_server import ApiServer
from local.dynamodb_local import LOCAL_CREDENTIALS, DynamoDBLocal
from local.lifecycle import Service
from local.moto_server import MotoServer
from local.net import LOOPBACK
from local.search_engine import LocalSearchEngine
from local.stream_poller import StreamPoller
from local.stripe_emulator import StripeEmulator
from local.template import (
    EXPORTS_BUCKET_LOGICAL_ID,
    TEMPLATE_PATH,
    create_audit_bucket,
    create_bucket,
    create_table,
    has_resource,
    template_function_environment,
)

if TYPE_CHECKING:
    from pathlib import Path

    from werkzeug.serving import BaseWSGIServer

log = logging.getLogger(__name__)

TABLE_NAME = "funnel-builder-local"
AUDIT_BUCKET_NAME = "funnel-builder-audit-local"
REGION = "us-east-1"
# Signs list cursors locally. Fixed, so cursors survive a restart of ``make dev``; never used on
# AWS, where the key comes from Secrets Manager.
LOCAL_CURSOR_SECRET = "local-dev-cursor-secret-0123456789abcdef"  # noqa: S105 - local only
_DYNAMODB_SERVICES = ("dynamodb", "dynamodbstreams")


class LocalStack(Service):
    """DynamoDB Local, moto, the table, the bucket and the environment the handlers read.

    ``dynamodb`` lets several stacks (or a test session) share one running DynamoDB Local; the
    stack then neither starts nor stops it. ``poll_streams`` also runs the template's stream
    event source mappings.
    """

    def __init__(
        self,
        *,
        template_path: Path = TEMPLATE_PATH,
        table_name: str = TABLE_NAME,
        audit_bucket_name: str = AUDIT_BUCKET_NAME,
        region: str = REGION,
        dynamodb: DynamoDBLocal | None = None,
        poll_streams: bool = False,
        embeddings: str = "hashing",
    ):
        self.template_path = template_path
        self.table_name = table_name
        self.audit_bucket_name = audit_bucket_name
        self.exports_bucket_name = f"{audit_bucket_name}-exports"
        self.region = region
        self.poll_streams = poll_streams
        self._owns_dynamodb = dynamodb is None
        self.dynamodb = dynamodb or DynamoDBLocal(region=region)
        self.moto = MotoServer(region=region)
        self.stripe = StripeEmulator()
        self.search = LocalSearchEngine()
        # The search index's embedder: "hashing" (instant, for tests) or "minilm", the real model
        # make dev searches with (docs/search.md).
        self.embeddings = embeddings
        self.stream_poller: StreamPoller | None = None
        self._saved_environment: dict[str, str | None] = {}

    def start(self) -> Self:
        self.dynamodb.start()
        self.moto.start()
        self.stripe.start()
        self.search.start()
        create_table(self.client("dynamodb"), self.table_name, template_path=self.template_path)
        create_audit_bucket(self.client("s3"), self.audit_bucket_name, template_path=self.template_path)
        if has_resource(self.template_path, EXPORTS_BUCKET_LOGICAL_ID):
            s3 = self.client("s3")
            create_bucket(s3, self.exports_bucket_name, EXPORTS_BUCKET_LOGICAL_ID, template_path=self.template_path)
        self._apply_environment()
        if self.poll_streams:
            self.stream_poller = StreamPoller.from_template(
                template_path=self.template_path,
                table_name=self.table_name,
                endpoint_url=self.dynamodb.endpoint_url,
                region=self.region,
            ).start()
        return self

    def stop(self) -> None:
        """Stop in reverse order; everything the stack started is gone when this returns."""
        if self.stream_poller is not None:
            self.stream_poller.stop()
            self.stream_poller = None
        self._restore_environment()
        self.search.stop()
        self.stripe.stop()
        self.moto.stop()
        if self._owns_dynamodb:
            self.dynamodb.stop()

    def environment(self) -> dict[str, str | None]:
        """What the handlers read, as Lambda would set it (None: removed from the environment)."""
        return {
            **template_function_environment(self.template_path),
            "TABLE_NAME": self.table_name,
            "AUDIT_BUCKET_NAME": self.audit_bucket_name,
            "EXPORTS_BUCKET_NAME": self.exports_bucket_name,
            "CURSOR_SECRET": os.environ.get("CURSOR_SECRET") or LOCAL_CURSOR_SECRET,
            # Served over plain http on 127.0.0.1: a Secure cookie would never come back.
            "SECURE_COOKIES": "false",
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ACCESS_KEY_ID": LOCAL_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": LOCAL_CREDENTIALS["aws_secret_access_key"],
            # A developer's real session or profile must never reach the local stack.
            "AWS_SESSION_TOKEN": None,
            "AWS_PROFILE": None,
            # Every AWS API goes to moto, except DynamoDB and its stream, which go to DynamoDB Local.
            "AWS_ENDPOINT_URL": self.moto.endpoint_url,
            "AWS_ENDPOINT_URL_S3": self.moto.endpoint_url,
            "AWS_ENDPOINT_URL_DYNAMODB": self.dynamodb.endpoint_url,
            "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": self.dynamodb.endpoint_url,
            "POWERTOOLS_SERVICE_NAME": "funnel-builder",
            "POWERTOOLS_METRICS_NAMESPACE": "FunnelBuilder",
            "POWERTOOLS_TRACE_DISABLED": "true",
            **self.stripe.environment(),
            # Search: osmem-server and faiss behind OpenSearch's REST API (local/knn_proxy.py),
            # unsigned, every write searchable before it returns, hybrid fused in code.
            "OPENSEARCH_ENDPOINT": self.search.endpoint_url,
            "OPENSEARCH_SERVICE": "none",
            "OPENSEARCH_REFRESH": "true",
            "SEARCH_INDEX": f"{self.table_name.lower()}-search",
            "SEARCH_HYBRID": "code",
            "EMBEDDING_PROVIDER": self.embeddings,
            "EMBEDDING_DIMENSION": "256",
        }

    def client(self, service_name: str) -> Any:
        """A boto3 client for ``service_name`` bound to the stack, whatever the environment says."""
        endpoint = self.dynamodb.endpoint_url if service_name in _DYNAMODB_SERVICES else self.moto.endpoint_url
        return boto3.client(
            service_name,  # type: ignore[call-overload]
            endpoint_url=endpoint,
            region_name=self.region,
            **LOCAL_CREDENTIALS,
        )

    def recreate_table(self, *, stream: bool = True) -> None:
        """Drop every item: delete the table and create it again from the template. A running
        stream poller follows the new table's stream by itself.

        ``stream=False`` leaves the stream out, for tests and measurements that read none:
        DynamoDB Local keeps every stream record it ever wrote, deleted tables' too, and each
        write to a table with a stream costs more the more it keeps (a 25-item BatchWriteItem
        took about 50 ms on a fresh DynamoDB Local, 240 ms after 20,000 items, under 10 ms
        without a stream)."""
        dynamodb = self.client("dynamodb")
        dynamodb.delete_table(TableName=self.table_name)
        dynamodb.get_waiter("table_not_exists").wait(
            TableName=self.table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
        )
        create_table(dynamodb, self.table_name, template_path=self.template_path, stream=stream)

    def scan_items(self) -> list[dict[str, Any]]:
        """Every item of the table, read consistently, in DynamoDB's JSON."""
        pages = self.client("dynamodb").get_paginator("scan").paginate(TableName=self.table_name, ConsistentRead=True)
        return [item for page in pages for item in page["Items"]]

    def put_items(self, items: list[dict[str, Any]]) -> None:
        """Write ``items`` (as ``scan_items`` returns them) back, 25 to a BatchWriteItem, retrying
        what comes back unprocessed."""
        dynamodb = self.client("dynamodb")
        for start in range(0, len(items), 25):
            pending: dict[str, Any] = {
                self.table_name: [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            }
            while pending:
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}

    def _apply_environment(self) -> None:
        for name, value in self.environment().items():
            self._saved_environment.setdefault(name, os.environ.get(name))
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    def _restore_environment(self) -> None:
        for name, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_environment.clear()


class LocalApi(Service):
    """The HTTP API on ``host:port`` (0: any free port), served from a thread, one thread per request."""

    def __init__(
        self,
        *,
        template_path: Path = TEMPLATE_PATH,
        host: str = LOOPBACK,
        port: int = 0,
        jwt_secret: str | None = None,
        region: str = REGION,
    ):
        self.app = ApiServer.from_template(template_path, jwt_secret=jwt_secret, region=region)
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        server = make_server(self.host, self.port, self.app, threaded=True)
        self._server, self.port = server, server.server_port
        # A short poll interval: ``stop()`` waits up to one interval for the serving loop to notice.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="local-api", daemon=True
        )
        self._thread.start()
        log.info("API listening on %s", self.url)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.app.close()
