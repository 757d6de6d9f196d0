"""The funnel builder as a new user meets it, once per system template, over HTTP: make a funnel
from the template, edit its steps and elements, reorder, publish, edit the draft, publish again,
restore version 1, duplicate, archive. Bad input on the way changes nothing, and every change
lands in the audit trail."""

from __future__ import annotations

import pytest

from funnel_core.builder.catalog import system_funnel_templates
from tests.support.http_client import User

TEMPLATE_IDS = [template.templateId for template in system_funnel_templates()]


class Builder:
    """One user's session on one funnel, reading the funnel back after every change."""

    def __init__(self, user: User, group_id: str, funnel: dict) -> None:
        self.user, self.group_id, self.funnel_id = user, group_id, funnel["funnelId"]
        self.base = f"/groups/{group_id}/funnels/{self.funnel_id}"

    def read(self) -> dict:
        response = self.user.get(self.base)
        assert response.status_code == 200, response.text
        return response.json()

    def ok(self, method: str, path: str, body: dict | None = None, status: int = 200) -> dict:
        response = self.user.request(method, f"{self.base}{path}", json=body)
        assert response.status_code == status, response.text
        return response.json() if response.content else {}

    def refused(self, method: str, path: str, body: dict | None, status: int) -> None:
        before = self.read()
        response = self.user.request(method, f"{self.base}{path}", json=body)
        assert response.status_code == status, response.text
        assert response.json()["error"]["message"]
        assert self.read() == before

    def events(self) -> list[dict]:
        """The group's audit trail, oldest first."""
        found, cursor = [], None
        while True:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            page = self.user.get(f"/groups/{self.group_id}/events", params=params).json()
            found += page["items"]
            if not (cursor := page["nextCursor"]):
                return found[::-1]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_a_new_user_builds_publishes_and_rolls_back_a_funnel(new_user, template_id):
    owner = new_user()
    group_id = owner.create_group(name=f"Walkthrough {template_id}")["groupId"]

    # A funnel from the template
    created = owner.post(f"/groups/{group_id}/funnels", {"name": "Spring Launch", "templateId": template_id})
    assert created.status_code == 201, created.text
    builder = Builder(owner, group_id, created.json())
    funnel = builder.read()
    first = funnel["steps"][0]
    assert [step["sequence"] for step in funnel["steps"]] == list(range(1, len(funnel["steps"]) + 1))

    # Edit a step and its elements
    renamed = builder.ok("PATCH", f"/steps/{first['stepId']}", {"version": first["version"], "name": "Welcome"})
    assert renamed["name"] == "Welcome"
    step_path = f"/steps/{first['stepId']}"
    added = builder.ok(
        "POST", f"{step_path}/elements", {"elementType": "headline", "settings": {"text": "Doors open Monday"}}, 201
    )
    element = first["elements"][0]
    styled = builder.ok(
        "PATCH",
        f"{step_path}/elements/{element['elementId']}",
        {"version": element["version"], "styling": {"textColor": "#112233", "fontSize": 32}},
    )
    assert styled["styling"]["textColor"] == "#112233"
    doomed = first["elements"][-1]["elementId"]
    builder.ok("DELETE", f"{step_path}/elements/{doomed}", status=204)

    # Bad input on the way is refused and changes nothing
    builder.refused("POST", f"{step_path}/elements", {"elementType": "headline", "settings": {"text": ""}}, 422)
    builder.refused("POST", f"{step_path}/elements", {"elementType": "hologram", "settings": {}}, 422)
    builder.refused("PATCH", step_path, {"version": first["version"], "name": "Stale"}, 409)
    builder.refused("PUT", "/step-order", {"stepIds": [first["stepId"]] * 2}, 422)
    builder.refused("POST", "/steps", {"name": "", "stepType": "sales_page"}, 422)

    # Reorder elements and steps
    element_ids = [e["elementId"] for e in builder.read()["steps"][0]["elements"]]
    assert added["elementId"] in element_ids
    assert doomed not in element_ids
    builder.ok("PUT", f"{step_path}/element-order", {"elementIds": element_ids[::-1]})
    step_ids = [step["stepId"] for step in funnel["steps"]]
    builder.ok("PUT", "/step-order", {"stepIds": step_ids[::-1]})
    reordered = builder.read()
    assert [step["stepId"] for step in reordered["steps"]] == step_ids[::-1]
    assert [e["elementId"] for e in reordered["steps"][-1]["elements"]] == element_ids[::-1]

    # Publish, edit the draft, publish again
    assert builder.ok("POST", "/publish")["version"] == 1
    version_one = builder.ok("GET", "/versions/1")
    builder.ok("POST", f"{step_path}/elements", {"elementType": "paragraph", "settings": {"text": "New copy"}}, 201)
    assert builder.ok("GET", "/versions/1") == version_one
    assert builder.ok("POST", "/publish")["version"] == 2
    assert builder.read()["liveVersion"] == 2

    # Restore version 1
    assert builder.ok("POST", "/versions/1/restore")["version"] == 1
    restored = builder.read()
    assert restored["liveVersion"] == 1
    assert [(v["version"], v["live"]) for v in builder.ok("GET", "/versions")["items"]] == [(2, False), (1, True)]

    # Duplicate, archive
    copy = builder.ok("POST", "/duplicate", status=201)
    assert copy["name"] == "Spring Launch (Copy)"
    assert copy["status"] == "draft"
    assert [len(s["elements"]) for s in copy["steps"]] == [len(s["elements"]) for s in restored["steps"]]
    assert builder.ok("DELETE", "")["status"] == "archived"
    builder.refused("POST", "/steps", {"name": "Late", "stepType": "sales_page"}, 422)

    # Every change is in the audit trail, in order, with its actor
    trail = [(e["type"], e["targetId"]) for e in builder.events() if e["actorId"] == owner.person_id]
    funnel_id, element_id = builder.funnel_id, element["elementId"]
    expected = [
        ("funnel_created", funnel_id),
        ("entity_updated", first["stepId"]),
        ("element_added", added["elementId"]),
        ("element_updated", element_id),
        ("element_removed", doomed),
        ("element_updated", first["stepId"]),  # the step's element order
        ("step_reordered", funnel_id),
        ("funnel_published", funnel_id),
        ("element_added", None),
        ("funnel_published", funnel_id),
        ("funnel_published", funnel_id),
        ("funnel_duplicated", copy["funnelId"]),
        ("funnel_archived", funnel_id),
    ]
    trail = trail[trail.index(("funnel_created", funnel_id)) :]
    assert len(trail) == len(expected), trail
    assert [
        (kind, target if want else None) for (kind, target), (_, want) in zip(trail, expected, strict=True)
    ] == expected
