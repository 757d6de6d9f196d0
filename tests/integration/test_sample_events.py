"""Every function, invoked with its sample event from events/, against DynamoDB Local."""

from __future__ import annotations

import gzip
import json

import pytest

from funnel_core.store.default import table
from local.lambda_events import EVENTS_DIR, LambdaContext, invoke, sample, with_fresh_signatures
from local.samples.world import GROUP, SAMPLE_PAGE, SHOP_PAGE, seed_sample_world
from local.template import http_routes, scheduled_functions, stream_functions

HTTP_SAMPLES = sorted(
    str(path.relative_to(EVENTS_DIR).with_suffix(""))
    for path in EVENTS_DIR.glob("*/*.json")
    if "routeKey" in json.loads(path.read_text())
)
CREATED = {
    "groups/create",
    "things/create",
    "connections/create",
    "knowledge/create",
    "members/put",
    "funnels/create",
    "funnels/duplicate",
    "templates/save",
    "steps/create",
    "elements/create",
    "custom_code/create",
    "products/create",
    "ab_tests/create",
}
SEE_OTHER = {"pages/submit", "submissions/export"}
NO_CONTENT = {"assignees/remove", "members/remove", "knowledge/delete", "steps/remove", "elements/remove"}


@pytest.fixture(scope="module")
def sample_items(stack):
    """The sample world, seeded through the stores once for the module. Nothing here reads the
    stream (the stream functions are handed their sample records), so the table has none; it
    gets its stream back when the module is done."""
    stack.recreate_table(stream=False)
    seed_sample_world(table())
    yield stack.scan_items()
    stack.recreate_table()


@pytest.fixture
def sample_world(integration, sample_items):
    """A fresh table holding the group, members and items the samples point at: the module's
    seeded items written back, a third of the time seeding them again takes."""
    integration.recreate_table(stream=False)
    integration.put_items(sample_items)
    return integration


def test_every_function_in_the_template_has_a_sample_event():
    handlers = {route.handler.removesuffix(".lambda_handler") for route in http_routes()}
    handlers |= {function.handler.removesuffix(".lambda_handler") for function in stream_functions()}
    handlers |= {schedule.handler.removesuffix(".lambda_handler") for schedule in scheduled_functions()}
    samples = {
        str(path.relative_to(EVENTS_DIR).with_suffix("")).replace("/", ".") for path in EVENTS_DIR.glob("*/*.json")
    }
    assert handlers == samples


@pytest.mark.parametrize("name", HTTP_SAMPLES)
def test_sample_event_is_answered_with_success(sample_world, name):
    # Given a fresh table holding the group, members and items the samples point at
    event = with_fresh_signatures(sample(name), SHOP_PAGE if name == "commerce/checkout" else SAMPLE_PAGE)
    assert event["routeKey"] in {route.route_key for route in http_routes()}

    # When the function is invoked with it
    answer = invoke(name.replace("/", "."), json.loads(json.dumps(event)))

    # Then it succeeds with the status its method promises
    expected = 201 if name in CREATED else 204 if name in NO_CONTENT else 303 if name in SEE_OTHER else 200
    assert answer.status == expected, answer.body


def test_audit_sample_event_is_archived_to_s3(integration):
    # Given the stream record of an audit event
    event = sample("audit/archive_events")
    handler = __import__("audit.archive_events", fromlist=["lambda_handler"]).lambda_handler

    # When the archive function receives it
    result = handler(event, LambdaContext(function_name="AuditArchiveFunction"))

    # Then nothing failed and the event is in the bucket under its group and day
    assert result == {"batchItemFailures": []}
    s3 = integration.client("s3")
    listed = s3.list_objects_v2(Bucket=integration.audit_bucket_name, Prefix=f"events/groupId={GROUP}/date=2026-11-24/")
    sequence = event["Records"][0]["dynamodb"]["SequenceNumber"]
    keys = [entry["Key"] for entry in listed.get("Contents", []) if entry["Key"].split("/")[-1].startswith(sequence)]
    assert len(keys) == 1, keys
    assert keys[0].endswith(".ndjson.gz")
    lines = gzip.decompress(s3.get_object(Bucket=integration.audit_bucket_name, Key=keys[0])["Body"].read())
    [body] = [json.loads(line) for line in lines.splitlines()]
    assert body["eventId"] == "evt_01SAMPLEEVENT000000000000"
    assert body["type"] == "entity_created"
    assert body["groupId"] == GROUP


def test_page_projection_sample_event_keeps_the_pages_at_the_groups_slug(sample_world):
    # Given the sample world, its funnel live at /p/sample-co/lead-magnet
    handler = __import__("pages.project", fromlist=["lambda_handler"]).lambda_handler

    # When the stream says the group's slug changed (it is sample-co, it was sample-company)
    result = handler(sample("pages/project"), LambdaContext(function_name="PageProjectionFunction"))

    # Then nothing failed and the page is still served at the group's slug
    assert result == {"batchItemFailures": []}
    page = invoke("pages.view", sample("pages/view"))
    assert page.status == 200
    assert "Get the free guide" in page.body


def test_the_roll_up_sample_event_rolls_up_the_sample_funnels_traffic(sample_world):
    # Given the sample world, a view of its funnel counted today
    from funnel_core.analytics import counters
    from funnel_core.audit.events import Event, EventType
    from funnel_core.ids import now_iso
    from local.samples.world import FUNNEL, STEP

    view = Event(
        eventId="evt_01SAMPLEVIEW0000000000000",
        groupId=GROUP,
        type=EventType.PAGE_VIEWED,
        actorId="vis_sample",
        targetId=STEP,
        timestamp=now_iso(),
        metadata={"funnelId": FUNNEL, "stepId": STEP, "visitorId": "vis_sample", "firstView": True},
    )
    assert counters.Counters(table()).count(view)
    handler = __import__("analytics.roll_up", fromlist=["lambda_handler"]).lambda_handler

    # When the schedule fires
    result = handler(sample("analytics/roll_up"), LambdaContext(function_name="AnalyticsRollUpFunction"))

    # Then the funnel's day, week and month are written
    assert result == {"funnels": 1, "written": 3, "unchanged": 0}
