"""The OpenAPI document covers every route of the template, and Swagger UI is served on it."""

from __future__ import annotations

import requests

from local.template import http_routes


def test_openapi_describes_every_route(api):
    document = requests.get(f"{api.url}/openapi.json", timeout=30).json()

    assert document["openapi"].startswith("3.")
    described = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert {(route.method, route.path) for route in http_routes()} <= described
    create = document["paths"]["/groups/{groupId}/things"]["post"]
    assert "requestBody" in create
    assert document["components"]["securitySchemes"]


def test_swagger_ui_is_served_locally(api):
    page = requests.get(f"{api.url}/docs", timeout=30)
    assert page.status_code == 200
    assert "swagger" in page.text.lower()
    assert "cdn" not in page.text.lower()
