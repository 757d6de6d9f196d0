"""Members and roles over HTTP, as SPEC's permission table says."""

from __future__ import annotations

import pytest


@pytest.fixture
def team(owner, new_user):
    group = owner.create_group()
    user, customer = new_user(), new_user()
    user.get("/me")
    assert owner.put(f"/groups/{group['groupId']}/members/{user.person_id}", {"role": "group_user"}).status_code == 201
    assert (
        owner.put(f"/groups/{group['groupId']}/members/{customer.person_id}", {"role": "customer"}).status_code == 201
    )
    return group["groupId"], user, customer


def test_owners_list_members_with_their_roles(owner, team):
    group_id, user, customer = team
    members = owner.get(f"/groups/{group_id}/members").json()["items"]
    roles = {m["personId"]: m["role"] for m in members}
    assert roles == {owner.person_id: "group_owner", user.person_id: "group_user", customer.person_id: "customer"}
    assert all(m["relationshipType"] == "member_of" for m in members)


def test_changing_a_role_is_200_and_audited(owner, team):
    group_id, user, _ = team
    response = owner.put(f"/groups/{group_id}/members/{user.person_id}", {"role": "group_owner"})
    assert response.status_code == 200
    assert response.json()["role"] == "group_owner"

    events = owner.get(f"/groups/{group_id}/events", params={"type": "member_added", "targetId": user.person_id}).json()
    assert events["items"][0]["metadata"] == {"role": "group_owner", "previousRole": "group_user"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/things", None),
        ("POST", "/things", {"type": "note", "name": "x"}),
        ("GET", "/members", None),
        ("GET", "/events", None),
        ("GET", "/knowledge", None),
        ("PATCH", "", {"version": 1, "name": "Hijacked"}),
        ("DELETE", "", None),
        ("PUT", "/members/someone", {"role": "group_owner"}),
    ],
)
def test_members_beyond_their_role_get_403(team, method, path, body):
    group_id, user, customer = team
    for member in (user, customer):
        response = member.request(method, f"/groups/{group_id}{path}", json=body)
        assert response.status_code == 403, (member, response.text)


def test_members_can_read_the_group_itself(team):
    group_id, user, customer = team
    for member in (user, customer):
        assert member.get(f"/groups/{group_id}").status_code == 200
        assert group_id in [m["groupId"] for m in member.get("/me").json()["memberships"]]


def test_a_role_in_a_group_holds_in_its_descendants(owner, team):
    group_id, user, _ = team
    child = owner.create_group(name="Child", parentGroupId=group_id)
    assert user.get(f"/groups/{child['groupId']}").status_code == 200
    assert user.get(f"/groups/{child['groupId']}/things").status_code == 403


def test_the_last_owner_of_a_top_level_group_cannot_leave(owner, team):
    group_id, user, _ = team
    response = owner.delete(f"/groups/{group_id}/members/{owner.person_id}")
    assert response.status_code == 409

    # With a second owner, the first may go
    owner.put(f"/groups/{group_id}/members/{user.person_id}", {"role": "group_owner"})
    assert owner.delete(f"/groups/{group_id}/members/{owner.person_id}").status_code == 204
    assert owner.get(f"/groups/{group_id}").status_code == 404


def test_a_member_may_leave_but_not_remove_others(team):
    group_id, user, customer = team
    assert user.delete(f"/groups/{group_id}/members/{customer.person_id}").status_code == 403
    assert customer.delete(f"/groups/{group_id}/members/{customer.person_id}").status_code == 204
    assert customer.get(f"/groups/{group_id}").status_code == 404


def test_removing_a_non_member_is_404_and_bad_roles_are_422(owner, team):
    group_id, _, _ = team
    assert owner.delete(f"/groups/{group_id}/members/nobody").status_code == 404
    bad = owner.put(f"/groups/{group_id}/members/nobody", {"role": "emperor"})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "role"


def test_an_archived_group_takes_no_new_members(owner, team, new_user):
    group_id, _, _ = team
    owner.delete(f"/groups/{group_id}")
    response = owner.put(f"/groups/{group_id}/members/{new_user().person_id}", {"role": "group_owner"})
    assert response.status_code == 409
    assert "archived" in response.json()["error"]["message"]
