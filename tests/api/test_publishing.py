"""Publishing over HTTP: frozen versions, edits that leave them alone, unpublish, rollback."""

from __future__ import annotations

import pytest

from tests.support.http_client import error_fields


@pytest.fixture
def funnel(owner):
    group_id = owner.create_group()["groupId"]
    created = owner.post(f"/groups/{group_id}/funnels", {"name": "Free Guide", "properties": {"category": "lead-gen"}})
    assert created.status_code == 201, created.text
    funnel_id = created.json()["funnelId"]
    base = f"/groups/{group_id}/funnels/{funnel_id}"
    step = owner.post(
        f"{base}/steps", {"name": "Opt-in", "stepType": "opt_in_page", "properties": {"headline": "Free guide"}}
    )
    assert step.status_code == 201, step.text
    headline = owner.post(
        f"{base}/steps/{step.json()['stepId']}/elements",
        {"elementType": "headline", "settings": {"text": "Version one", "level": 1}},
    )
    assert headline.status_code == 201, headline.text
    return group_id, base, step.json()["stepId"], headline.json()["elementId"]


def _headline(view):
    return view["steps"][0]["elements"][0]["settings"]["text"]


def test_publish_edit_publish_again_and_roll_back(owner, funnel):
    group_id, base, step_id, element_id = funnel

    # Given version 1 is published
    first = owner.post(f"{base}/publish")
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 1
    assert owner.get(base).json()["status"] == "published"

    # When the draft is edited, version 1 stays exactly as it was frozen
    edited = owner.patch(
        f"{base}/steps/{step_id}/elements/{element_id}", {"version": 1, "settings": {"text": "Version two"}}
    )
    assert edited.status_code == 200, edited.text
    assert _headline(owner.get(base).json()) == "Version two"
    assert _headline(owner.get(f"{base}/versions/1").json()) == "Version one"

    # And publishing again makes version 2 live
    assert owner.post(f"{base}/publish").json()["version"] == 2
    versions = owner.get(f"{base}/versions").json()["items"]
    assert [(v["version"], v["live"]) for v in versions] == [(2, True), (1, False)]
    assert versions[0]["stepCount"] == 1
    assert versions[0]["elementCount"] == 1

    # When version 1 is restored, it is live again and the draft is untouched
    restored = owner.post(f"{base}/versions/1/restore")
    assert restored.status_code == 200
    assert restored.json()["version"] == 1
    funnel_now = owner.get(base).json()
    assert funnel_now["liveVersion"] == 1
    assert _headline(funnel_now) == "Version two"
    assert [(v["version"], v["live"]) for v in owner.get(f"{base}/versions").json()["items"]] == [(2, False), (1, True)]

    events = owner.get(
        f"/groups/{group_id}/events", params={"targetId": base.rsplit("/", 1)[1], "type": "funnel_published"}
    ).json()
    assert [e["metadata"]["version"] for e in events["items"]] == [1, 2, 1]
    assert events["items"][0]["metadata"]["restored"] is True


def test_unpublish_goes_back_to_draft_and_keeps_versions(owner, funnel):
    _, base, _, _ = funnel
    owner.post(f"{base}/publish")

    response = owner.post(f"{base}/unpublish")

    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["liveVersion"] is None
    assert [v["live"] for v in owner.get(f"{base}/versions").json()["items"]] == [False]


def test_an_empty_funnel_cannot_be_published(owner):
    group_id = owner.create_group()["groupId"]
    funnel_id = owner.post(f"/groups/{group_id}/funnels", {"name": "Empty"}).json()["funnelId"]

    response = owner.post(f"/groups/{group_id}/funnels/{funnel_id}/publish")

    assert response.status_code == 422
    assert error_fields(response) == ["steps"]


def test_unknown_versions_are_404_and_bad_numbers_400(owner, funnel):
    _, base, _, _ = funnel
    assert owner.get(f"{base}/versions/7").status_code == 404
    assert owner.post(f"{base}/versions/7/restore").status_code == 404
    assert owner.post(f"{base}/versions/0/restore").status_code == 400
    assert owner.get(f"{base}/versions/one").status_code == 400


def test_only_owners_publish(owner, funnel, new_user):
    group_id, base, _, _ = funnel
    user = new_user()
    owner.put(f"/groups/{group_id}/members/{user.person_id}", {"role": "group_user"})
    assert user.post(f"{base}/publish").status_code == 403
    assert user.post(f"{base}/unpublish").status_code == 403
