"""Write each audit event from the table's stream to S3 as one JSON object.

Keys are partitioned by group and day (Athena/Glue-friendly) and named by the event, so a
retried batch overwrites the same objects instead of duplicating them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from funnel_core.audit.events import Event
from funnel_core.settings import get_settings
from funnel_core.store.client import s3
from funnel_core.store.codec import deserialize
from funnel_core.store.items import to_model

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord


def archive_key(event: Event) -> str:
    day = event.timestamp[:10]
    return f"events/groupId={event.groupId}/date={day}/{event.timestamp}_{event.eventId}.json"


def event_from_image(image: dict[str, Any]) -> Event:
    return to_model(Event, deserialize(image))


def archive_record(record: DynamoDBRecord) -> str:
    """Archive one stream record; returns the object key written."""
    bucket = get_settings().audit_bucket_name
    if not bucket:
        raise RuntimeError("AUDIT_BUCKET_NAME is not set")
    raw_image = (record.raw_event.get("dynamodb") or {}).get("NewImage") or {}
    event = event_from_image(raw_image)
    key = archive_key(event)
    s3().put_object(Bucket=bucket, Key=key, Body=event.model_dump_json().encode(), ContentType="application/json")
    return key
