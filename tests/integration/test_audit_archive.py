"""The batched audit archive against moto's S3 server behind a proxy that fails 30% of the writes,
with Lambda's retries played as Lambda plays them (a partial failure: the batch again from the
first record reported; an error: the batch again, bisected): after the retries every event is in
the archive exactly once, in gzip NDJSON objects under its group's and day's partition."""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter

import pytest

from funnel_core.audit.events import Event, EventType
from funnel_core.store.codec import serialize
from funnel_core.store.items import as_item
from local.containers import cold_start
from local.faults import FaultyProxy
from local.lambda_events import LambdaContext

GROUPS = ("grp_archive_a", "grp_archive_b", "grp_archive_c")
DAYS = ("2026-11-30", "2026-12-01")


def _records(count: int) -> list[dict]:
    records = []
    for n in range(count):
        group, day = GROUPS[n % 3], DAYS[(n // 7) % 2]
        at = f"{day}T10:{n // 60 % 60:02d}:{n % 60:02d}.000Z"
        event = Event(
            eventId=f"evt_archive{n:06d}",
            groupId=group,
            type=EventType.ENTITY_UPDATED,
            actorId="someone",
            targetId=f"thg_{n}",
            timestamp=at,
            metadata={"n": n},
        )
        item = as_item(event, "event", {"PK": f"EVENTS#{group}", "SK": f"{at}#{event.eventId}"})
        records.append(
            {
                "eventID": f"record-{n:06d}",
                "eventName": "INSERT",
                "eventSource": "aws:dynamodb",
                "dynamodb": {"SequenceNumber": f"{100000000 + n:021d}", "NewImage": serialize(item)},
            }
        )
    return records


def _play_lambda(handler, records: list[dict], batch_size: int) -> dict[str, int]:
    """Lambda's event source mapping over one shard: batches in order, retried until taken."""
    position, size, played = 0, batch_size, Counter()
    while position < len(records):
        assert played["invocations"] < 10 * len(records), f"no end to the retries: {played}"
        batch = records[position : position + size]
        played["invocations"] += 1
        try:
            answer = handler({"Records": batch}, LambdaContext(function_name="AuditArchiveFunction"))
        except Exception:
            played["errors"] += 1
            size = max(1, len(batch) // 2)
            continue
        failed = {failure["itemIdentifier"] for failure in answer["batchItemFailures"]}
        if failed:
            played["partial"] += 1
            first = min(n for n, record in enumerate(batch) if record["dynamodb"]["SequenceNumber"] in failed)
            position += first
        else:
            position += len(batch)
            size = batch_size
    return dict(played)


@pytest.fixture(params=[5, 1], ids=["s3-client-retries", "lambda-retries-alone"])
def flaky_s3(request, integration, monkeypatch):
    """S3 behind the faulty proxy; the archive's client retrying as configured (5 attempts), or
    not at all, so that failed writes fail batches and Lambda's retries alone must cope."""
    from botocore.config import Config

    from funnel_core.store import client

    s3 = integration.client("s3")
    for group in GROUPS:  # what an earlier run archived
        listed = s3.list_objects_v2(Bucket=integration.audit_bucket_name, Prefix=f"events/groupId={group}/")
        for entry in listed.get("Contents", []):
            s3.delete_object(Bucket=integration.audit_bucket_name, Key=entry["Key"])
    with FaultyProxy(integration.moto.endpoint_url, write_failure_rate=0.3, seed=7) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", proxy.url)
        if request.param == 1:
            monkeypatch.setattr(client, "_S3_CONFIG", Config(retries={"max_attempts": 1, "mode": "standard"}))
        proxy.client_attempts = request.param
        cold_start()
        yield proxy
    cold_start()


def _archived(integration, group: str) -> list[dict]:
    s3 = integration.client("s3")
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=integration.audit_bucket_name, Prefix=f"events/groupId={group}/"
    )
    events = []
    for page in pages:
        for entry in page.get("Contents", []):
            assert entry["Key"].endswith(".ndjson.gz")
            body = s3.get_object(Bucket=integration.audit_bucket_name, Key=entry["Key"])["Body"].read()
            day = entry["Key"].split("/date=")[1][:10]
            for line in gzip.decompress(body).splitlines():
                event = json.loads(line)
                assert event["timestamp"].startswith(day)  # in its day's partition
                events.append(event)
    return events


def test_every_event_is_archived_exactly_once_with_30_percent_of_writes_failing(integration, flaky_s3, monkeypatch):
    # Given 200 events of three groups over two days, and counting that fails now and then too
    records = _records(200)
    function = __import__("audit.archive_events", fromlist=["lambda_handler"])
    counting, chance = function.count, random.Random(3)

    def sometimes_failing(record):
        if chance.random() < 0.02:
            raise RuntimeError("a counting failure")
        return counting(record)

    monkeypatch.setattr(function, "count", sometimes_failing)
    handler = function.lambda_handler

    # When Lambda delivers them in batches of 50 and retries what fails
    played = _play_lambda(handler, records, batch_size=50)

    # Then writes failed, batches were retried, and still each event is there once
    assert flaky_s3.failed > 0
    assert played.get("partial", 0) > 0
    if flaky_s3.client_attempts == 1:
        assert played.get("errors", 0) > 0, played  # failed writes failed batches, bisected and retried
    archived = [event for group in GROUPS for event in _archived(integration, group)]
    assert Counter(event["eventId"] for event in archived) == Counter(f"evt_archive{n:06d}" for n in range(200))
    # A batch is a few objects, not one per event.
    objects = sum(
        len(page.get("Contents", []))
        for group in GROUPS
        for page in integration.client("s3")
        .get_paginator("list_objects_v2")
        .paginate(Bucket=integration.audit_bucket_name, Prefix=f"events/groupId={group}/")
    )
    # At most one per (group, day) an invocation archived: 3 groups x 2 days.
    assert objects <= 6 * played["invocations"]
    assert objects < 200 / 2
