"""Connections, the audit trail and knowledge over HTTP."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from tests.support.http_client import error_fields


@pytest.fixture
def world(owner):
    group_id = owner.create_group()["groupId"]
    lead = owner.create_thing(group_id, "Jo", thing_type="customer", properties={"email": "jo@example.com"})
    course = owner.create_thing(group_id, "Copy 101", thing_type="course")
    return group_id, lead["thingId"], course["thingId"]


def test_connections_are_listed_both_ways_and_end_without_deletion(owner, world):
    group_id, lead, course = world
    created = owner.post(
        f"/groups/{group_id}/connections",
        {
            "fromThingId": lead,
            "toThingId": course,
            "relationshipType": "enrolled_in",
            "strength": 0.7,
            "metadata": {"cohort": 3},
        },
    )
    assert created.status_code == 201
    connection = created.json()
    assert connection["validTo"] is None

    out = owner.get(f"/groups/{group_id}/things/{lead}/connections").json()["items"]
    into = owner.get(
        f"/groups/{group_id}/things/{course}/connections", params={"direction": "in", "type": "enrolled_in"}
    ).json()["items"]
    assert [c["connectionId"] for c in out] == [connection["connectionId"]]
    assert [c["connectionId"] for c in into] == [connection["connectionId"]]
    assert (
        owner.get(f"/groups/{group_id}/things/{course}/connections", params={"direction": "in", "type": "owns"}).json()[
            "items"
        ]
        == []
    )

    ended = owner.delete(f"/groups/{group_id}/connections/{connection['connectionId']}")
    assert ended.status_code == 200
    assert ended.json()["validTo"] is not None
    assert owner.get(f"/groups/{group_id}/things/{lead}/connections").json()["items"] == []
    history = owner.get(f"/groups/{group_id}/things/{lead}/connections", params={"includeEnded": "true"}).json()[
        "items"
    ]
    assert [c["connectionId"] for c in history] == [connection["connectionId"]]

    # Once ended, the same relationship may be made again
    again = owner.post(
        f"/groups/{group_id}/connections", {"fromThingId": lead, "toThingId": course, "relationshipType": "enrolled_in"}
    )
    assert again.status_code == 201


def test_a_live_connection_is_unique_and_needs_live_things_at_both_ends(owner, world):
    group_id, lead, course = world
    body = {"fromThingId": lead, "toThingId": course, "relationshipType": "owns"}
    assert owner.post(f"/groups/{group_id}/connections", body).status_code == 201
    assert owner.post(f"/groups/{group_id}/connections", body).status_code == 409

    missing = owner.post(f"/groups/{group_id}/connections", {**body, "toThingId": "thg_missing"})
    assert missing.status_code == 422
    assert error_fields(missing) == ["toThingId"]

    owner.delete(f"/groups/{group_id}/things/{course}")
    archived = owner.post(f"/groups/{group_id}/connections", {**body, "relationshipType": "likes"})
    assert archived.status_code == 422

    looped = owner.post(f"/groups/{group_id}/connections", {**body, "toThingId": lead})
    assert looped.status_code == 422
    bad = owner.post(f"/groups/{group_id}/connections", {**body, "strength": 1.5, "relationshipType": "Bad Type"})
    assert set(error_fields(bad)) == {"strength", "relationshipType"}
    assert owner.post(f"/groups/{group_id}/connections", {**body, "relationshipType": "member_of"}).status_code == 422


def test_connections_of_an_unknown_thing_are_404(owner, world):
    group_id, _, _ = world
    assert owner.get(f"/groups/{group_id}/things/thg_missing/connections").status_code == 404
    assert owner.delete(f"/groups/{group_id}/connections/con_missing").status_code == 404


def test_every_mutation_is_in_the_audit_trail_newest_first(owner, world):
    group_id, lead, course = world
    connection = owner.post(
        f"/groups/{group_id}/connections", {"fromThingId": lead, "toThingId": course, "relationshipType": "owns"}
    ).json()
    owner.patch(f"/groups/{group_id}/things/{lead}", {"version": 1, "name": "Jo B."})

    events = owner.get(f"/groups/{group_id}/events").json()["items"]
    assert [e["type"] for e in events] == [
        "entity_updated",
        "connection_created",
        "entity_created",
        "entity_created",
        "member_added",
        "entity_created",
    ]
    assert all(e["actorId"] == owner.person_id for e in events)
    assert events[1]["targetId"] == connection["connectionId"]
    timestamps = [e["timestamp"] for e in events]
    assert timestamps == sorted(timestamps, reverse=True)

    by_target = owner.get(f"/groups/{group_id}/events", params={"targetId": lead}).json()["items"]
    assert [e["type"] for e in by_target] == ["entity_updated", "entity_created"]
    by_actor_and_type = owner.get(
        f"/groups/{group_id}/events", params={"actorId": owner.person_id, "type": "entity_created"}
    ).json()["items"]
    assert len(by_actor_and_type) == 3
    future = owner.get(f"/groups/{group_id}/events", params={"from": "2999-01-01T00:00:00Z"}).json()["items"]
    assert future == []
    window = owner.get(f"/groups/{group_id}/events", params={"from": timestamps[-1], "to": timestamps[1]}).json()[
        "items"
    ]
    assert [e["type"] for e in window] == [e["type"] for e in events[1:]]
    assert owner.get(f"/groups/{group_id}/events", params={"type": "made_up"}).status_code == 400
    assert (
        owner.get(
            f"/groups/{group_id}/events", params={"from": "2030-01-01T00:00:00Z", "to": "2020-01-01T00:00:00Z"}
        ).status_code
        == 400
    )


def test_audit_events_are_archived_to_s3(owner, stack):
    group_id = owner.create_group()["groupId"]
    s3 = stack.client("s3")

    def archived() -> list[str]:
        listed = s3.list_objects_v2(Bucket=stack.audit_bucket_name, Prefix=f"events/groupId={group_id}/")
        objects = [
            s3.get_object(Bucket=stack.audit_bucket_name, Key=item["Key"]) for item in listed.get("Contents", [])
        ]
        lines = [line for item in objects for line in gzip.decompress(item["Body"].read()).splitlines()]
        return sorted(json.loads(line)["type"] for line in lines)

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(archived()) < 2:
        time.sleep(0.3)

    assert archived() == ["entity_created", "member_added"]  # each once, in gzip NDJSON


def test_knowledge_by_label_and_source(owner, world):
    group_id, lead, course = world
    chunk = owner.post(
        f"/groups/{group_id}/knowledge",
        {
            "knowledgeType": "chunk",
            "text": "Short headlines win.",
            "labels": ["copy", "headlines", "copy"],
            "sourceThingId": course,
        },
    )
    assert chunk.status_code == 201
    assert chunk.json()["labels"] == ["copy", "headlines"]
    label = owner.post(
        f"/groups/{group_id}/knowledge", {"knowledgeType": "label", "text": "VIP", "labels": ["segment"]}
    ).json()

    def ids(params):
        return [k["knowledgeId"] for k in owner.get(f"/groups/{group_id}/knowledge", params=params).json()["items"]]

    assert ids({}) == [label["knowledgeId"], chunk.json()["knowledgeId"]]
    assert ids({"label": "headlines"}) == [chunk.json()["knowledgeId"]]
    assert ids({"sourceThingId": course}) == [chunk.json()["knowledgeId"]]
    assert ids({"label": "copy", "sourceThingId": lead}) == []

    assert owner.delete(f"/groups/{group_id}/knowledge/{chunk.json()['knowledgeId']}").status_code == 204
    assert ids({"label": "headlines"}) == []
    assert owner.delete(f"/groups/{group_id}/knowledge/{chunk.json()['knowledgeId']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"knowledgeType": "label", "text": "x" * 201}, "body"),
        ({"knowledgeType": "fact", "text": "x"}, "knowledgeType"),
        ({"knowledgeType": "chunk", "text": ""}, "text"),
        ({"knowledgeType": "chunk", "text": "x", "labels": ["Bad Label"]}, "labels.0"),
        ({"knowledgeType": "chunk", "text": "x", "sourceThingId": "thg_missing"}, "sourceThingId"),
    ],
)
def test_bad_knowledge_is_422_naming_the_field(owner, world, body, field):
    group_id, _, _ = world
    response = owner.post(f"/groups/{group_id}/knowledge", body)
    assert response.status_code == 422, response.text
    assert field in error_fields(response)
