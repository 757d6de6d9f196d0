"""Things over HTTP: typed properties, lists, versions, archive, limits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.http_client import error_fields


@pytest.fixture
def group_id(owner):
    return owner.create_group()["groupId"]


def test_create_read_update_archive_a_thing(owner, group_id):
    created = owner.post(
        f"/groups/{group_id}/things",
        {"type": "course", "name": "Copy 101", "properties": {"lessons": 12, "price": 49.5}},
    )
    assert created.status_code == 201
    thing = created.json()
    assert thing["status"] == "draft"
    assert thing["version"] == 1
    path = f"/groups/{group_id}/things/{thing['thingId']}"

    assert owner.get(path).json() == thing

    updated = owner.patch(path, {"version": 1, "status": "published", "properties": {"lessons": 14}})
    assert updated.status_code == 200
    assert updated.json()["properties"] == {"lessons": 14}
    assert updated.json()["version"] == 2

    archived = owner.delete(path)
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert owner.get(path).json()["status"] == "archived"  # soft delete: still readable


def test_typed_properties_are_validated_per_type(owner, group_id):
    response = owner.post(
        f"/groups/{group_id}/things", {"type": "customer", "name": "Jo", "properties": {"email": "nope", "phone": "x"}}
    )
    assert response.status_code == 422
    assert set(error_fields(response)) == {"properties.email", "properties.phone"}

    ok = owner.post(
        f"/groups/{group_id}/things", {"type": "customer", "name": "Jo", "properties": {"email": "jo@example.com"}}
    )
    assert ok.status_code == 201


@pytest.mark.parametrize("builder_type", ["funnel", "funnel_step", "page_element", "product", "ab_test"])
def test_funnel_builder_types_are_refused_with_their_route(owner, group_id, builder_type):
    response = owner.post(f"/groups/{group_id}/things", {"type": builder_type, "name": "x"})
    assert response.status_code == 422
    assert error_fields(response) == ["type"]
    assert "/groups/{groupId}/" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "Not Snake", "name": "x"}, "type"),
        ({"type": "note", "name": ""}, "name"),
        ({"type": "note", "name": "x" * 201}, "name"),
        ({"type": "note", "name": "x", "status": "archived"}, "status"),
        ({"type": "note", "name": "x", "properties": []}, "properties"),
        ({"type": "note", "name": "x", "owner": "me"}, "owner"),
    ],
)
def test_bad_thing_input_names_the_field(owner, group_id, body, field):
    response = owner.post(f"/groups/{group_id}/things", body)
    assert response.status_code == 422, response.text
    assert field in error_fields(response)


def test_oversized_input_is_413(owner, group_id):
    huge_properties = {"text": "x" * 120_000}
    assert (
        owner.post(
            f"/groups/{group_id}/things", {"type": "note", "name": "big", "properties": huge_properties}
        ).status_code
        == 413
    )
    huge_body = {"type": "note", "name": "big", "properties": {"text": "x" * 300_000}}
    assert owner.post(f"/groups/{group_id}/things", huge_body).status_code == 413


def test_lists_filter_by_type_and_status_and_page(owner, group_id):
    notes = [owner.create_thing(group_id, f"Note {n}") for n in range(3)]
    course = owner.create_thing(group_id, "Course", thing_type="course", status="active")

    def ids(params):
        collected, cursor = [], None
        while True:
            page = owner.get(
                f"/groups/{group_id}/things", params={**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
            )
            assert page.status_code == 200, page.text
            collected += [t["thingId"] for t in page.json()["items"]]
            cursor = page.json()["nextCursor"]
            if not cursor:
                return collected

    everything = ids({})
    assert everything == [course["thingId"], *[n["thingId"] for n in reversed(notes)]]  # newest first
    assert set(ids({"type": "note"})) == {n["thingId"] for n in notes}
    assert ids({"status": "active"}) == [course["thingId"]]
    assert ids({"type": "course", "status": "active"}) == [course["thingId"]]
    assert ids({"type": "note", "status": "active"}) == []
    assert owner.get(f"/groups/{group_id}/things", params={"status": "gone"}).status_code == 400


def test_a_cursor_is_only_good_for_its_own_query(owner, group_id):
    for n in range(3):
        owner.create_thing(group_id, f"Note {n}")
    cursor = owner.get(f"/groups/{group_id}/things", params={"limit": 1}).json()["nextCursor"]
    assert owner.get(f"/groups/{group_id}/things", params={"limit": 1, "cursor": cursor}).status_code == 200
    assert (
        owner.get(f"/groups/{group_id}/things", params={"limit": 1, "cursor": cursor, "type": "note"}).status_code
        == 400
    )
    assert owner.get(f"/groups/{group_id}/things", params={"cursor": cursor[:-2] + "AA"}).status_code == 400


def test_concurrent_edits_never_silently_overwrite(owner, group_id):
    thing = owner.create_thing(group_id, "Contended")
    path = f"/groups/{group_id}/things/{thing['thingId']}"

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(lambda n: owner.patch(path, {"version": 1, "name": f"Writer {n}"}).status_code, range(8))
        )

    assert statuses.count(200) == 1
    assert set(statuses) == {200, 409}
    final = owner.get(path).json()
    assert final["version"] == 2
    updates = owner.get(
        f"/groups/{group_id}/events", params={"targetId": thing["thingId"], "type": "entity_updated"}
    ).json()
    assert len(updates["items"]) == 1  # one change, one event


def test_unknown_things_are_404(owner, group_id):
    assert owner.get(f"/groups/{group_id}/things/thg_nope").status_code == 404
    assert owner.patch(f"/groups/{group_id}/things/thg_nope", {"version": 1}).status_code == 404
    assert owner.delete(f"/groups/{group_id}/things/thg_nope").status_code == 404


def test_idempotency_key_replays_the_first_answer(owner, group_id):
    headers = {"Idempotency-Key": "create-note-1"}
    first = owner.post(f"/groups/{group_id}/things", {"type": "note", "name": "Once"}, headers=headers)
    replay = owner.post(f"/groups/{group_id}/things", {"type": "note", "name": "Once"}, headers=headers)

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert [t["name"] for t in owner.get(f"/groups/{group_id}/things").json()["items"]] == ["Once"]

    reused = owner.post(f"/groups/{group_id}/things", {"type": "note", "name": "Different"}, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"


def test_steps_and_elements_are_things_read_through_the_generic_route(owner, group_id):
    funnel_id = owner.create_funnel(group_id)["funnelId"]
    first = owner.add_step(group_id, funnel_id, "Opt-in", "opt_in_page")
    second = owner.add_step(group_id, funnel_id, "Thanks", "thank_you_page")
    headline = owner.add_element(group_id, funnel_id, second["stepId"], "headline", {"text": "Thank you"})

    step = owner.get(f"/groups/{group_id}/things/{second['stepId']}")
    element = owner.get(f"/groups/{group_id}/things/{headline['elementId']}")

    assert step.status_code == 200, step.text
    assert (step.json()["type"], step.json()["name"], step.json()["status"]) == ("funnel_step", "Thanks", "draft")
    assert step.json()["properties"]["sequence"] == 2
    assert step.json()["properties"]["funnelId"] == funnel_id
    assert step.json()["createdBy"] == owner.person_id
    assert element.status_code == 200, element.text
    assert element.json()["type"] == "page_element"
    assert element.json()["properties"]["position"] == 1
    assert element.json()["properties"]["settings"]["text"] == "Thank you"

    # They are written through the builder's routes only
    path = f"/groups/{group_id}/things/{first['stepId']}"
    for response in (owner.patch(path, {"version": 1, "name": "Renamed"}), owner.delete(path)):
        assert response.status_code == 422, response.text
        assert error_fields(response) == ["type"]

    # Their status is their funnel's, and a removed step takes its elements out of reach
    assert owner.post(f"/groups/{group_id}/funnels/{funnel_id}/publish").status_code == 200
    assert owner.get(f"/groups/{group_id}/things/{second['stepId']}").json()["status"] == "published"
    assert owner.delete(f"/groups/{group_id}/funnels/{funnel_id}/steps/{second['stepId']}").status_code == 204
    assert owner.get(f"/groups/{group_id}/things/{second['stepId']}").status_code == 404
    assert owner.get(f"/groups/{group_id}/things/{headline['elementId']}").status_code == 404
