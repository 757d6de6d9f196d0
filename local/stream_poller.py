"""The DynamoDB stream event source mapping: reads the table's stream, filters, batches, invokes.

One thread per stream event in the template, each doing what Lambda's poller does for it:
read every shard from the template's ``StartingPosition``, drop records no ``FilterCriteria``
pattern accepts, invoke the function with up to ``BatchSize`` records in the event shape
Lambda uses, and on failure retry from the first failed record (``ReportBatchItemFailures``)
up to ``MaximumRetryAttempts``. What it leaves out: the batching window (records go out as
soon as they are read), bisecting failed batches and the on-failure destination (records
that exhaust their retries are logged and dropped).
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from local.dynamodb_local import LOCAL_CREDENTIALS
from local.event_patterns import EventPattern
from local.lambda_runtime import LambdaFunction
from local.lifecycle import Service
from local.template import TEMPLATE_PATH, StreamFunction, stream_functions

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

log = logging.getLogger(__name__)

POLL_INTERVAL_SECONDS = 0.2
# How often a mapping with open shards looks for a new stream (a re-created table) or new shards.
# DescribeTable is DynamoDB Local's dearest call (~17 ms of CPU, DescribeStream ~9, GetRecords
# ~5): made on every poll by each mapping, it kept a third of a core busy on an idle stack. A
# re-created table's old shard ends at once (GetRecords answers no next iterator), and a mapping
# with no open shard looks again on its next poll, so nothing waits for this.
_SHARD_REFRESH_SECONDS = 2.0
_ERROR_BACKOFF_SECONDS = 1.0
_RETRY_DELAY_SECONDS = 0.5
# Lambda retries a failing stream batch until the records expire (24 hours) unless told
# otherwise; locally that would wedge the shard, so an unbounded setting means this many.
LOCAL_RETRY_LIMIT = 2
_MAX_RECORDS_PER_READ = 1000


def _base64_binaries(value: Any) -> Any:
    """boto3 hands binary attributes over as bytes; Lambda's event carries them base64-encoded."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {key: _base64_binaries(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_base64_binaries(item) for item in value]
    return value


def lambda_record(record: dict[str, Any], *, region: str, stream_arn: str) -> dict[str, Any]:
    """A ``GetRecords`` record as it appears in a Lambda DynamoDB stream event."""
    stream_data = dict(record["dynamodb"])
    created = stream_data.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        stream_data["ApproximateCreationDateTime"] = int(created.timestamp())
    converted: dict[str, Any] = {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": _base64_binaries(stream_data),
        "eventSourceARN": stream_arn,
    }
    if "userIdentity" in record:
        converted["userIdentity"] = record["userIdentity"]
    return converted


def first_failed_index(result: Any, batch: Sequence[dict[str, Any]]) -> int | None:
    """Where to retry from after a partial batch response, or None when all records succeeded.

    As on AWS, a failure naming no record of the batch fails the whole batch.
    """
    failures = result.get("batchItemFailures") if isinstance(result, dict) else None
    if not failures:
        return None
    sequence_numbers = [record["dynamodb"]["SequenceNumber"] for record in batch]
    identifiers = [failure.get("itemIdentifier") if isinstance(failure, dict) else None for failure in failures]
    if any(identifier not in sequence_numbers for identifier in identifiers):
        return 0
    return min(sequence_numbers.index(identifier) for identifier in identifiers)


class _EventSourceMapping:
    """One stream event of one function: its shard positions and its polling thread."""

    def __init__(
        self,
        subscription: StreamFunction,
        function: LambdaFunction,
        *,
        table_name: str,
        endpoint_url: str,
        region: str,
        poll_interval: float,
        starting_position: str | None,
        stop: threading.Event,
    ):
        self.subscription = subscription
        self.function = function
        self.table_name = table_name
        self.region = region
        self.poll_interval = poll_interval
        self.stop = stop
        self._initial_position = starting_position or subscription.starting_position
        self._patterns = [EventPattern(pattern) for pattern in subscription.filter_patterns]
        # A session per thread: boto3's default session is not safe to share across threads.
        session = boto3.session.Session(
            region_name=region,
            aws_access_key_id=LOCAL_CREDENTIALS["aws_access_key_id"],
            aws_secret_access_key=LOCAL_CREDENTIALS["aws_secret_access_key"],
        )
        self._dynamodb = session.client("dynamodb", endpoint_url=endpoint_url)
        self._streams: Any = session.client("dynamodbstreams", endpoint_url=endpoint_url)
        self._stream_arn: str | None = None
        self._iterators: dict[str, str] = {}
        self._finished: set[str] = set()
        self._last_sequence: dict[str, str] = {}
        self._refreshed_at = float("-inf")
        self.thread = threading.Thread(target=self._run, name=f"stream-{subscription.logical_id}", daemon=True)

    def prime(self) -> None:
        """Place the shard iterators now, so a ``LATEST`` mapping sees every write after ``start()``."""
        self._refresh_shards(self._initial_position)

    def _run(self) -> None:
        while not self.stop.wait(self.poll_interval):
            try:
                self._poll_once()
            except (BotoCoreError, ClientError) as error:
                log.warning("%s: reading the stream failed (%s); starting over", self.subscription.logical_id, error)
                self._forget_iterators()
                self.stop.wait(_ERROR_BACKOFF_SECONDS)

    def _poll_once(self) -> None:
        if not self._iterators or time.monotonic() - self._refreshed_at >= _SHARD_REFRESH_SECONDS:
            self._refresh_shards("TRIM_HORIZON")
        for shard_id, iterator in list(self._iterators.items()):
            if self.stop.is_set():
                return
            response = self._streams.get_records(ShardIterator=iterator, Limit=_MAX_RECORDS_PER_READ)
            if response["Records"]:
                self._deliver([self._lambda_record(record) for record in response["Records"]])
                self._last_sequence[shard_id] = response["Records"][-1]["dynamodb"]["SequenceNumber"]
            if next_iterator := response.get("NextShardIterator"):
                self._iterators[shard_id] = next_iterator
            else:
                del self._iterators[shard_id]
                self._finished.add(shard_id)

    def _lambda_record(self, record: dict[str, Any]) -> dict[str, Any]:
        return lambda_record(record, region=self.region, stream_arn=str(self._stream_arn))

    def _refresh_shards(self, new_shard_position: str) -> None:
        """Find the stream (again, if the table was re-created) and place iterators on new shards."""
        self._refreshed_at = time.monotonic()
        latest = self._dynamodb.describe_table(TableName=self.table_name)["Table"].get("LatestStreamArn")
        if latest != self._stream_arn:
            self._stream_arn = latest
            self._iterators.clear()
            self._finished.clear()
            self._last_sequence.clear()
        if latest is None:
            return
        for shard in self._shards():
            shard_id = shard["ShardId"]
            if shard_id not in self._iterators and shard_id not in self._finished:
                self._iterators[shard_id] = self._shard_iterator(shard_id, new_shard_position)

    def _shards(self) -> list[dict[str, Any]]:
        shards: list[dict[str, Any]] = []
        arguments: dict[str, Any] = {"StreamArn": self._stream_arn}
        while True:
            description = self._streams.describe_stream(**arguments)["StreamDescription"]
            shards.extend(description["Shards"])
            if not description.get("LastEvaluatedShardId"):
                return shards
            arguments["ExclusiveStartShardId"] = description["LastEvaluatedShardId"]

    def _shard_iterator(self, shard_id: str, position: str) -> str:
        arguments: dict[str, Any] = {"StreamArn": self._stream_arn, "ShardId": shard_id}
        if last := self._last_sequence.get(shard_id):
            arguments.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=last)
        else:
            arguments["ShardIteratorType"] = position
        return str(self._streams.get_shard_iterator(**arguments)["ShardIterator"])

    def _forget_iterators(self) -> None:
        """After an error, iterators are placed again, after the last record each shard delivered."""
        self._iterators.clear()
        self._finished.clear()

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        accepted = [record for record in records if self._accepts(record)]
        size = self.subscription.batch_size
        for start in range(0, len(accepted), size):
            self._invoke_with_retries(accepted[start : start + size])

    def _accepts(self, record: dict[str, Any]) -> bool:
        return not self._patterns or any(pattern.matches(record) for pattern in self._patterns)

    def _invoke_with_retries(self, batch: list[dict[str, Any]]) -> None:
        limit = self.subscription.maximum_retry_attempts
        retries_left = LOCAL_RETRY_LIMIT if limit is None else limit
        pending = batch
        while (failed_from := self._invoke(pending)) is not None:
            if retries_left <= 0 or self.stop.is_set():
                log.error(
                    "%s: dropping %d stream records after their retries", self.subscription.logical_id, len(pending)
                )
                return
            retries_left -= 1
            pending = pending[failed_from:]
            self.stop.wait(_RETRY_DELAY_SECONDS)

    def _invoke(self, batch: list[dict[str, Any]]) -> int | None:
        try:
            result = self.function.invoke({"Records": batch})
        except Exception:
            log.exception("%s failed on a batch of %d stream records", self.subscription.logical_id, len(batch))
            return 0
        return first_failed_index(result, batch) if self.subscription.report_batch_item_failures else None


class StreamPoller(Service):
    """Every stream event source mapping of the template, as background threads; a context manager."""

    def __init__(
        self,
        subscriptions: Sequence[StreamFunction],
        *,
        table_name: str,
        endpoint_url: str,
        region: str = "us-east-1",
        poll_interval: float = POLL_INTERVAL_SECONDS,
        starting_position: str | None = None,
    ):
        """``starting_position`` overrides the template's, e.g. ``LATEST`` on a table that has a past."""
        self._stop = threading.Event()
        self._functions: dict[str, LambdaFunction] = {}
        self._mappings = [
            _EventSourceMapping(
                subscription,
                self._functions.setdefault(
                    subscription.logical_id, LambdaFunction(subscription.function, region=region)
                ),
                table_name=table_name,
                endpoint_url=endpoint_url,
                region=region,
                poll_interval=poll_interval,
                starting_position=starting_position,
                stop=self._stop,
            )
            for subscription in subscriptions
        ]

    @classmethod
    def from_template(cls, *, template_path: Path = TEMPLATE_PATH, **options: Any) -> StreamPoller:
        return cls(stream_functions(template_path=template_path), **options)

    def function(self, logical_id: str) -> LambdaFunction:
        return self._functions[logical_id]

    @property
    def running(self) -> bool:
        return any(mapping.thread.is_alive() for mapping in self._mappings)

    def start(self) -> Self:
        for mapping in self._mappings:
            mapping.prime()
            mapping.thread.start()
        return self

    def stop(self) -> None:
        """Stop polling; a batch being handled finishes first, so no handler is cut off midway."""
        self._stop.set()
        for mapping in self._mappings:
            if mapping.thread.is_alive():
                mapping.thread.join()
        for function in self._functions.values():
            function.close()
