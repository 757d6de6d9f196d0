"""A signed-in user of the local HTTP API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

from local.tokens import mint_token


@dataclass
class User:
    base_url: str
    person_id: str = field(default_factory=lambda: f"user-{uuid.uuid4().hex[:12]}")
    groups: tuple[str, ...] = ()

    @property
    def token(self) -> str:
        return mint_token(
            self.person_id, email=f"{self.person_id}@example.com", name=self.person_id, groups=self.groups
        )

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> requests.Response:
        all_headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return requests.request(method, f"{self.base_url}{path}", headers=all_headers, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    # Shortcuts for the set-up most tests share.

    def create_group(self, name: str = "Acme", **fields: Any) -> dict[str, Any]:
        response = self.post("/groups", {"name": name, "type": "organization", **fields})
        assert response.status_code == 201, response.text
        return response.json()

    def create_thing(
        self, group_id: str, name: str = "Note", thing_type: str = "note", **fields: Any
    ) -> dict[str, Any]:
        response = self.post(f"/groups/{group_id}/things", {"type": thing_type, "name": name, **fields})
        assert response.status_code == 201, response.text
        return response.json()

    def create_funnel(self, group_id: str, name: str = "Lead Magnet", **fields: Any) -> dict[str, Any]:
        response = self.post(f"/groups/{group_id}/funnels", {"name": name, **fields})
        assert response.status_code == 201, response.text
        return response.json()

    def add_step(
        self, group_id: str, funnel_id: str, name: str = "Landing", step_type: str = "landing_page", **fields: Any
    ) -> dict[str, Any]:
        response = self.post(
            f"/groups/{group_id}/funnels/{funnel_id}/steps", {"name": name, "stepType": step_type, **fields}
        )
        assert response.status_code == 201, response.text
        return response.json()

    def add_element(
        self,
        group_id: str,
        funnel_id: str,
        step_id: str,
        element_type: str = "headline",
        settings: dict[str, Any] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        response = self.post(
            f"/groups/{group_id}/funnels/{funnel_id}/steps/{step_id}/elements",
            {"elementType": element_type, "settings": settings or {"text": "Free Masterclass"}, **fields},
        )
        assert response.status_code == 201, response.text
        return response.json()


def publish_template(user: User, template_id: str, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A group of its own with a funnel made from a system template and published: (group, funnel)."""
    group = user.create_group(f"{name} {template_id}", slug=f"t-{uuid.uuid4().hex[:12]}")
    made = user.post(f"/groups/{group['groupId']}/funnels", {"name": name, "templateId": template_id})
    assert made.status_code == 201, made.text
    funnel = made.json()
    published = user.post(f"/groups/{group['groupId']}/funnels/{funnel['funnelId']}/publish")
    assert published.status_code == 200, published.text
    return group, funnel


def error_fields(response: requests.Response) -> list[str]:
    return [problem["field"] for problem in response.json()["error"]["fields"]]
