"""The funnel builder's connections over HTTP: ``funnel_contains_step`` (metadata ``sequence``),
``step_contains_element`` (metadata ``position``) and ``owns`` stay true through every add,
remove, reorder and copy, and only the builder's own routes change them."""

from __future__ import annotations

import pytest

from funnel_core.builder.catalog import system_page_templates
from tests.support.http_client import User, error_fields


@pytest.fixture
def group_id(owner):
    return owner.create_group()["groupId"]


@pytest.fixture
def funnel_id(owner, group_id):
    return owner.create_funnel(group_id)["funnelId"]


def connections(user: User, group_id: str, thing_id: str, **query: str) -> list[dict]:
    """Every page of a thing's connections."""
    found, cursor = [], None
    while True:
        params = {**query, **({"cursor": cursor} if cursor else {})}
        response = user.get(f"/groups/{group_id}/things/{thing_id}/connections", params=params)
        assert response.status_code == 200, response.text
        found += response.json()["items"]
        cursor = response.json()["nextCursor"]
        if cursor is None:
            return found


def contained(user, group_id, parent_id, relationship, place):
    """(child id, place) of a parent's containment connections, in the parent's order."""
    found = connections(user, group_id, parent_id, direction="out", type=relationship)
    assert all(c["fromThingId"] == parent_id and c["relationshipType"] == relationship for c in found)
    return sorted(((c["toThingId"], c["metadata"][place]) for c in found), key=lambda pair: pair[1])


def steps_contained(user, group_id, funnel_id):
    return contained(user, group_id, funnel_id, "funnel_contains_step", "sequence")


def elements_contained(user, group_id, step_id):
    return contained(user, group_id, step_id, "step_contains_element", "position")


def structure(user, group_id, funnel_id):
    """The funnel as its read answers it: [(stepId, sequence)], {stepId: [(elementId, position)]}."""
    funnel = user.get(f"/groups/{group_id}/funnels/{funnel_id}").json()
    steps = [(step["stepId"], step["sequence"]) for step in funnel["steps"]]
    elements = {step["stepId"]: [(e["elementId"], e["position"]) for e in step["elements"]] for step in funnel["steps"]}
    return steps, elements


def assert_connections_match_the_funnel(user, group_id, funnel_id):
    steps, elements = structure(user, group_id, funnel_id)
    assert steps_contained(user, group_id, funnel_id) == steps
    for step_id, placed in elements.items():
        assert elements_contained(user, group_id, step_id) == placed


def test_steps_and_elements_are_connected_in_sequence_and_position(owner, group_id, funnel_id):
    steps = [owner.add_step(group_id, funnel_id, f"Step {n}")["stepId"] for n in range(3)]
    elements = [owner.add_element(group_id, funnel_id, steps[1])["elementId"] for _ in range(3)]

    assert steps_contained(owner, group_id, funnel_id) == [(steps[0], 1), (steps[1], 2), (steps[2], 3)]
    assert elements_contained(owner, group_id, steps[1]) == [(elements[0], 1), (elements[1], 2), (elements[2], 3)]
    assert elements_contained(owner, group_id, steps[0]) == []

    [into_step] = connections(owner, group_id, steps[2], direction="in")
    assert into_step["fromThingId"] == funnel_id
    assert into_step["relationshipType"] == "funnel_contains_step"
    assert into_step["metadata"] == {"sequence": 3}
    assert into_step["createdBy"] == owner.person_id
    assert into_step["validTo"] is None
    [into_element] = connections(owner, group_id, elements[0], direction="in", type="step_contains_element")
    assert (into_element["fromThingId"], into_element["metadata"]) == (steps[1], {"position": 1})


def test_reorders_and_removals_move_the_connections_with_them(owner, group_id, funnel_id):
    path = f"/groups/{group_id}/funnels/{funnel_id}"
    a, b, c, d = (owner.add_step(group_id, funnel_id, f"Step {n}")["stepId"] for n in range(4))
    x, y, z = (owner.add_element(group_id, funnel_id, b)["elementId"] for _ in range(3))

    assert owner.put(f"{path}/step-order", {"stepIds": [d, b, a, c]}).status_code == 200
    assert owner.put(f"{path}/steps/{b}/element-order", {"elementIds": [z, x, y]}).status_code == 200
    assert steps_contained(owner, group_id, funnel_id) == [(d, 1), (b, 2), (a, 3), (c, 4)]
    assert elements_contained(owner, group_id, b) == [(z, 1), (x, 2), (y, 3)]

    assert owner.delete(f"{path}/steps/{d}").status_code == 204
    assert owner.delete(f"{path}/steps/{b}/elements/{x}").status_code == 204
    assert steps_contained(owner, group_id, funnel_id) == [(b, 1), (a, 2), (c, 3)]
    assert elements_contained(owner, group_id, b) == [(z, 1), (y, 2)]
    assert owner.get(f"/groups/{group_id}/things/{d}/connections", params={"direction": "in"}).status_code == 404
    assert owner.get(f"/groups/{group_id}/things/{x}/connections", params={"direction": "in"}).status_code == 404
    assert_connections_match_the_funnel(owner, group_id, funnel_id)


def test_connections_page_through_a_long_funnel(owner, group_id, funnel_id):
    steps = [owner.add_step(group_id, funnel_id, f"Step {n}")["stepId"] for n in range(7)]

    first = owner.get(
        f"/groups/{group_id}/things/{funnel_id}/connections", params={"type": "funnel_contains_step", "limit": 3}
    ).json()

    assert len(first["items"]) == 3
    assert first["nextCursor"]
    assert steps_contained(owner, group_id, funnel_id) == [(step_id, n) for n, step_id in enumerate(steps, start=1)]


def test_the_creator_owns_the_funnel(owner, group_id, funnel_id):
    [owns] = connections(owner, group_id, funnel_id, direction="in", type="owns")

    assert (owns["fromThingId"], owns["toThingId"]) == (owner.person_id, funnel_id)
    assert owns["connectionId"].startswith("con_")
    # A member's side lists it too
    [owned] = connections(owner, group_id, owner.person_id, direction="out", type="owns")
    assert owned == owns
    assert owner.get(f"/groups/{group_id}/things/not-a-member/connections").status_code == 404


def test_a_duplicate_is_connected_to_its_own_copies_and_owned_by_who_made_it(new_user, owner, group_id, funnel_id):
    editor = new_user()
    assert owner.put(f"/groups/{group_id}/members/{editor.person_id}", {"role": "group_owner"}).status_code == 201
    steps = [owner.add_step(group_id, funnel_id, f"Step {n}")["stepId"] for n in range(2)]
    owner.add_element(group_id, funnel_id, steps[0])

    response = editor.post(f"/groups/{group_id}/funnels/{funnel_id}/duplicate")

    assert response.status_code == 201, response.text
    copy_id = response.json()["funnelId"]
    copied_steps = [step_id for step_id, _ in steps_contained(editor, group_id, copy_id)]
    assert len(copied_steps) == 2
    assert not set(copied_steps) & set(steps)
    assert_connections_match_the_funnel(editor, group_id, copy_id)
    assert_connections_match_the_funnel(owner, group_id, funnel_id)
    owners = [c["fromThingId"] for c in connections(owner, group_id, copy_id, direction="in", type="owns")]
    assert owners == [editor.person_id]


def test_a_funnel_from_a_template_is_connected_to_the_template_and_its_steps(owner, group_id):
    templates = owner.get("/templates", params={"kind": "funnel"}).json()["items"]
    template_id = templates[0]["templateId"]

    funnel = owner.create_funnel(group_id, "From a template", templateId=template_id)

    out = connections(owner, group_id, funnel["funnelId"], direction="out")
    kinds = sorted({c["relationshipType"] for c in out})
    assert kinds == ["funnel_based_on_template", "funnel_contains_step"]
    assert [c["toThingId"] for c in out if c["relationshipType"] == "funnel_based_on_template"] == [template_id]
    assert_connections_match_the_funnel(owner, group_id, funnel["funnelId"])


def test_a_step_from_a_page_template_is_connected_to_both(owner, group_id, funnel_id):
    page = system_page_templates()[0]

    step = owner.add_step(group_id, funnel_id, "From a page", page.step.stepType, pageTemplateId=page.templateId)

    kinds = {c["relationshipType"]: c["toThingId"] for c in connections(owner, group_id, step["stepId"])}
    assert kinds["step_based_on_template"] == page.templateId
    assert "step_contains_element" in kinds
    assert elements_contained(owner, group_id, step["stepId"]) == [
        (element["elementId"], element["position"]) for element in step["elements"]
    ]


def test_the_structure_is_changed_through_the_builder_only(owner, group_id, funnel_id):
    step_id = owner.add_step(group_id, funnel_id)["stepId"]
    [contains] = connections(owner, group_id, funnel_id, type="funnel_contains_step")

    response = owner.delete(f"/groups/{group_id}/connections/{contains['connectionId']}")
    assert response.status_code == 409, response.text
    assert "removed" in response.json()["error"]["message"]
    assert steps_contained(owner, group_id, funnel_id) == [(step_id, 1)]

    for relationship in ("funnel_contains_step", "step_contains_element", "assigned_to"):
        body = {"fromThingId": funnel_id, "toThingId": step_id, "relationshipType": relationship}
        response = owner.post(f"/groups/{group_id}/connections", body)
        assert response.status_code == 422, response.text
        assert error_fields(response) == ["relationshipType"]


def test_things_connect_to_funnels(owner, group_id, funnel_id):
    product = owner.create_thing(group_id, "Course", "course")
    body = {"fromThingId": funnel_id, "toThingId": product["thingId"], "relationshipType": "features"}

    response = owner.post(f"/groups/{group_id}/connections", body)

    assert response.status_code == 201, response.text
    [leads] = connections(owner, group_id, funnel_id, type="features")
    assert leads["toThingId"] == product["thingId"]
    assert owner.delete(f"/groups/{group_id}/funnels/{funnel_id}").status_code == 200
    response = owner.post(f"/groups/{group_id}/connections", {**body, "relationshipType": "mentions"})
    assert response.status_code == 422
    assert error_fields(response) == ["fromThingId"]


def test_a_foreign_group_sees_no_structure(owner, stranger, group_id, funnel_id):
    step_id = owner.add_step(group_id, funnel_id)["stepId"]
    [contains] = connections(owner, group_id, funnel_id, type="funnel_contains_step")
    own_group = stranger.create_group("Elsewhere")["groupId"]

    for path in (
        f"/groups/{group_id}/things/{step_id}/connections",
        f"/groups/{group_id}/things/{funnel_id}/connections",
    ):
        assert stranger.get(path).status_code == 404
    assert stranger.get(f"/groups/{own_group}/things/{step_id}/connections").status_code == 404
    assert stranger.delete(f"/groups/{group_id}/connections/{contains['connectionId']}").status_code == 404
    assert stranger.delete(f"/groups/{own_group}/connections/{contains['connectionId']}").status_code == 404


def test_an_unknown_step_or_element_is_404(owner, group_id, funnel_id):
    for thing_id in ("stp_01UNKNOWN0000000000000000", "elm_01UNKNOWN0000000000000000"):
        response = owner.get(f"/groups/{group_id}/things/{thing_id}/connections")
        assert response.status_code == 404, response.text


def test_a_page_of_containment_connections_lists_them_in_sequence(owner, group_id, funnel_id):
    # Given three steps put in the reverse of the order they were made in
    made = [owner.add_step(group_id, funnel_id, name=f"Step {n}")["stepId"] for n in range(3)]
    order = owner.put(f"/groups/{group_id}/funnels/{funnel_id}/step-order", {"stepIds": made[::-1]})
    assert order.status_code == 200, order.text

    # When the funnel's funnel_contains_step connections are listed in one page
    page = owner.get(
        f"/groups/{group_id}/things/{funnel_id}/connections", params={"type": "funnel_contains_step"}
    ).json()["items"]

    # Then they come in sequence order, not in the order the steps were made
    assert [(c["toThingId"], c["metadata"]["sequence"]) for c in page] == [(made[2], 1), (made[1], 2), (made[0], 3)]
