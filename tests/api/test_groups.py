"""Groups over HTTP: create, nest, read, list, update with versions, archive."""

from __future__ import annotations

import requests

from tests.support.http_client import error_fields


def test_a_signed_in_user_creates_a_group_and_owns_it(owner):
    # When a user creates a group
    response = owner.post("/groups", {"name": "Acme Coaching", "type": "business", "description": "Courses"})

    # Then it is created, with a slug derived from the name, and they are its owner
    assert response.status_code == 201
    group = response.json()
    assert group["slug"].startswith("acme-coaching")
    assert group["version"] == 1
    assert group["status"] == "active"
    assert group["settings"]["limits"] == {
        "maxFunnels": 100,
        "maxStepsPerFunnel": 50,
        "maxElementsPerStep": 100,
        "monthlyFormSubmissions": 10000,
    }
    me = owner.get("/me").json()
    assert {"groupId": group["groupId"], "role": "group_owner"} in me["memberships"]
    assert me["personId"] == owner.person_id
    assert group["groupId"] in [g["groupId"] for g in owner.get("/groups").json()["items"]]


def test_a_chosen_slug_must_be_unique_across_all_groups(owner, stranger):
    slug = f"taken-{owner.person_id[-8:]}"
    owner.create_group(slug=slug)

    response = stranger.post("/groups", {"name": "Other", "type": "team", "slug": slug})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "slug_taken"


def test_a_derived_slug_that_collides_gets_a_suffix(owner, stranger):
    first = owner.create_group(name=f"Same Name {owner.person_id}")
    second = stranger.create_group(name=f"Same Name {owner.person_id}")
    assert second["slug"] != first["slug"]
    assert second["slug"].startswith(first["slug"])


def test_bad_group_input_names_every_bad_field(owner):
    response = owner.post("/groups", {"name": "", "type": "galaxy", "slug": "Not A Slug", "color": "red"})

    assert response.status_code == 422
    assert set(error_fields(response)) >= {"name", "type", "slug", "color"}


def test_malformed_json_is_a_400(owner):
    response = owner.request("POST", "/groups", data="{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_child_groups_need_an_owner_of_the_parent(owner, stranger):
    parent = owner.create_group()

    child = owner.post("/groups", {"name": "Team", "type": "team", "parentGroupId": parent["groupId"]})
    assert child.status_code == 201
    assert child.json()["ancestorIds"] == [parent["groupId"]]
    grandchild = owner.create_group(name="Project", parentGroupId=child.json()["groupId"])
    assert grandchild["ancestorIds"] == [parent["groupId"], child.json()["groupId"]]

    children = owner.get(f"/groups/{parent['groupId']}/children").json()["items"]
    assert [c["groupId"] for c in children] == [child.json()["groupId"]]

    # A stranger cannot even learn that the parent exists
    refused = stranger.post("/groups", {"name": "Sneaky", "type": "team", "parentGroupId": parent["groupId"]})
    assert refused.status_code == 404


def test_an_owner_of_the_parent_owns_every_descendant(owner, new_user):
    parent = owner.create_group()
    child = owner.create_group(name="Team", parentGroupId=parent["groupId"])
    deputy = new_user()
    assert (
        owner.put(f"/groups/{parent['groupId']}/members/{deputy.person_id}", {"role": "group_owner"}).status_code == 201
    )

    # The deputy holds no role in the child itself, yet owns it through the parent
    response = deputy.patch(f"/groups/{child['groupId']}", {"version": 1, "description": "managed from above"})

    assert response.status_code == 200
    assert response.json()["description"] == "managed from above"


def test_updates_need_the_current_version(owner):
    group = owner.create_group()
    path = f"/groups/{group['groupId']}"

    missing = owner.patch(path, {"name": "Renamed"})
    assert missing.status_code == 422
    assert error_fields(missing) == ["version"]

    updated = owner.patch(path, {"version": 1, "name": "Renamed", "slug": f"renamed-{group['groupId'][-8:].lower()}"})
    assert updated.status_code == 200
    assert updated.json()["version"] == 2

    stale = owner.patch(path, {"version": 1, "name": "Lost update"})
    assert stale.status_code == 409
    assert owner.get(path).json()["name"] == "Renamed"


def test_renaming_a_slug_frees_the_old_one(owner, stranger):
    old_slug = f"old-{owner.person_id[-8:]}"
    group = owner.create_group(slug=old_slug)
    assert (
        owner.patch(f"/groups/{group['groupId']}", {"version": 1, "slug": f"new-{owner.person_id[-8:]}"}).status_code
        == 200
    )

    assert stranger.post("/groups", {"name": "Reuse", "type": "team", "slug": old_slug}).status_code == 201


def test_archiving_a_group_keeps_it_readable_but_frozen(owner):
    group = owner.create_group()
    path = f"/groups/{group['groupId']}"

    archived = owner.delete(path)
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert owner.delete(path).json()["version"] == archived.json()["version"]  # archiving twice changes nothing

    assert owner.get(path).json()["status"] == "archived"
    refused = owner.post(f"{path}/things", {"type": "note", "name": "Too late"})
    assert refused.status_code == 409

    # Restoring it is an update
    restored = owner.patch(path, {"version": archived.json()["version"], "status": "active"})
    assert restored.status_code == 200
    assert owner.post(f"{path}/things", {"type": "note", "name": "Back"}).status_code == 201


def test_only_a_platform_owner_may_suspend_a_group(owner, new_user):
    group = owner.create_group()
    path = f"/groups/{group['groupId']}"
    assert owner.patch(path, {"version": 1, "status": "suspended"}).status_code == 403

    platform_owner = new_user(groups=("platform_owner",))
    response = platform_owner.patch(path, {"version": 1, "status": "suspended"})
    assert response.status_code == 200
    assert response.json()["status"] == "suspended"


def test_requests_without_a_valid_token_are_401(api):
    assert requests.get(f"{api.url}/me", timeout=10).status_code == 401
    bad = requests.get(f"{api.url}/me", headers={"Authorization": "Bearer not.a.jwt"}, timeout=10)
    assert bad.status_code == 401


def test_lists_page_with_cursors(owner):
    parent = owner.create_group()
    made = [owner.create_group(name=f"Child {n}", parentGroupId=parent["groupId"])["groupId"] for n in range(5)]

    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = owner.get(f"/groups/{parent['groupId']}/children", params=params).json()
        assert len(page["items"]) <= 2
        seen += [g["groupId"] for g in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break

    assert sorted(seen) == sorted(made)
    assert owner.get(f"/groups/{parent['groupId']}/children", params={"limit": 0}).status_code == 400
    assert owner.get(f"/groups/{parent['groupId']}/children", params={"limit": 101}).status_code == 400


def test_a_form_encoded_body_is_a_415_that_says_to_send_json(owner):
    # What `curl -d '{...}'` sends when no Content-Type is given
    body = '{"name": "Acme", "type": "organization"}'
    form = {"content-type": "application/x-www-form-urlencoded"}

    response = owner.request("POST", "/groups", data=body, headers=form)

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert error_fields(response) == ["Content-Type"]
    assert owner.request("POST", "/groups", data=body, headers={"content-type": "application/json"}).status_code == 201
