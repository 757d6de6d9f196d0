"""The audit archive: the events the table's stream delivers, written to S3 in batches.

Each batch becomes one gzip NDJSON object per (group, day) it holds events of, in Hive
partitions (``events/groupId=<g>/date=<day>/``) that the Glue table in ``template.yaml`` projects,
so Athena reads a group's days without a crawler. A page view is an event: one object per event
would be one PUT per view.

**Keys are deterministic**: an object is named by its partition's first stream record in the
batch, that record's sequence number and its ``eventID`` (unique in the stream). Lambda retries a
failed batch from a record on: the records before it are done, so what is retried begins at
the same record or later. Only what the batch has done is archived (``archive`` is given the
records before the first one that failed to count), so a retry either starts later (new
partitions' first records, new keys, other events) or, after a function error, at the same
record (the same keys, overwritten with the same events, or fewer of them when Lambda bisects
the batch, the rest following in the other half). Every event is archived exactly once,
whatever fails and however often (``tests/integration/test_audit_archive.py`` with 30% of S3's
writes failing). The last sequence number is not in the key: a retry that brings more records
would name the same object otherwise.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from funnel_core.audit.events import Event
from funnel_core.settings import get_settings
from funnel_core.store.client import s3
from funnel_core.store.codec import deserialize
from funnel_core.store.items import to_model

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

PREFIX = "events"
# gzip's own level 6: a tenth of the NDJSON, in about the time a faster level takes for a batch.
_LEVEL = 6


def event_from_image(image: dict[str, Any]) -> Event:
    return to_model(Event, deserialize(image))


def event_of(record: DynamoDBRecord) -> Event:
    return event_from_image((record.raw_event.get("dynamodb") or {}).get("NewImage") or {})


@dataclass(frozen=True)
class ArchiveObject:
    key: str
    events: list[Event]

    def body(self) -> bytes:
        lines = b"".join(event.model_dump_json().encode() + b"\n" for event in self.events)
        return gzip.compress(lines, compresslevel=_LEVEL, mtime=0)


def partition_prefix(group_id: str, day: str) -> str:
    return f"{PREFIX}/groupId={group_id}/date={day}/"


def objects_of(records: Sequence[DynamoDBRecord]) -> list[ArchiveObject]:
    """The batch's objects: one per (group, day), its events in stream order, named by the first."""
    grouped: dict[tuple[str, str], tuple[DynamoDBRecord, list[Event]]] = {}
    for record in records:
        event = event_of(record)
        partition = (event.groupId, event.timestamp[:10])
        grouped.setdefault(partition, (record, []))[1].append(event)
    objects = []
    for (group_id, day), (first, events) in grouped.items():
        stream = record_stream(first)
        name = f"{stream['SequenceNumber']}-{first.raw_event.get('eventID', 'none')}"
        objects.append(ArchiveObject(f"{partition_prefix(group_id, day)}{name}.ndjson.gz", events))
    return objects


def record_stream(record: DynamoDBRecord) -> dict[str, Any]:
    return record.raw_event.get("dynamodb") or {}


def archive(records: Sequence[DynamoDBRecord]) -> list[str]:
    """Write the records' events as the batch's objects; their keys. A write that fails after
    the S3 client's own retries raises, and Lambda retries the batch."""
    bucket = get_settings().audit_bucket_name
    if not bucket:
        raise RuntimeError("AUDIT_BUCKET_NAME is not set")
    keys = []
    for made in objects_of(records):
        s3().put_object(
            Bucket=bucket,
            Key=made.key,
            Body=made.body(),
            ContentType="application/gzip",
        )
        keys.append(made.key)
    return keys
