"""docs/openapi.json is what the handlers produce: change a route and the document must follow
(``make openapi``), or this fails."""

from __future__ import annotations

import json

from local.openapi import DOCUMENT_PATH, build, render
from local.template import http_routes


def test_the_committed_document_is_the_handlers_document():
    committed = DOCUMENT_PATH.read_text(encoding="utf-8")
    assert json.loads(committed) == build(), "docs/openapi.json is stale: run make openapi and commit it"
    assert committed == render(json.loads(committed)), "docs/openapi.json is not as make openapi writes it"


def test_every_route_documents_its_success_and_every_error_in_the_apis_body():
    document = json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))
    errors = {"400", "401", "403", "404", "409", "413", "415", "422", "429"}
    for route in http_routes():
        operation = document["paths"][route.path][route.method.lower()]
        assert operation["summary"], route.route_key
        if route.public:
            # What visitors (and Stripe) reach answers in its own terms (HTML pages), never a 401
            assert operation["tags"] == (["Public pages"] if route.path.startswith("/p/") else ["Commerce"])
            assert operation["security"] == []
            assert {"404" if route.path.startswith("/p/") else "400", "429"} <= set(operation["responses"])
            assert "401" not in operation["responses"], route.route_key
            continue
        assert operation["tags"] in (["Ontology"], ["Funnel builder"], ["Commerce"]), route.route_key
        statuses = set(operation["responses"])
        assert errors <= statuses, route.route_key
        assert statuses - errors, f"{route.route_key} documents no success"
    creates = {
        key
        for key in (f"{route.method} {route.path}" for route in http_routes())
        if "201" in document["paths"][key.split(" ", 1)[1]][key.split(" ", 1)[0].lower()]["responses"]
    }
    assert "POST /groups/{groupId}/things" in creates
    assert "POST /groups/{groupId}/funnels/{funnelId}/publish" not in creates
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_an_elements_settings_are_described_per_element_type():
    schemas = json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))["components"]["schemas"]
    create = schemas["ElementCreate"]
    assert create["discriminator"]["propertyName"] == "elementType"
    headline = schemas["HeadlineElement"]
    assert headline["properties"]["elementType"]["const"] == "headline"
    assert headline["properties"]["settings"] == {"$ref": "#/components/schemas/HeadlineSettings"}
    assert len(create["oneOf"]) == 38
