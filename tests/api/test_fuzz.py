"""A third-party fuzzer over the committed OpenAPI document: schemathesis sends what the
document allows (and much it does not) to every operation of the local API, with real ids in
the paths. No answer is a server error, and every status met is one the document names."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from local.openapi import DOCUMENT_PATH
from local.samples.elements import ELEMENT_EXAMPLES
from tests.support.http_client import User

EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]

schema = schemathesis.openapi.from_path(DOCUMENT_PATH)
# An element's body is one of 38 variants, each with rich settings: the coverage phase alone
# sends thousands of requests for it (four minutes), so it is fuzzed in a test of its own
# without that phase.
ADD_ELEMENT = {"method": "POST", "path_regex": r"/elements$"}
EXAMPLES_OF_AN_ELEMENT = EXAMPLES_PER_OPERATION
element_schema = schemathesis.openapi.from_path(DOCUMENT_PATH).include(**ADD_ELEMENT)
element_schema.config.phases.coverage.enabled = False

# Operations that archive or remove their target get one of their own, so the others keep
# meeting live items.
_OWN_TARGET = {
    ("DELETE", "/groups/{groupId}"): {"groupId": "spare_group"},
    ("DELETE", "/groups/{groupId}/funnels/{funnelId}"): {"funnelId": "spare_funnel"},
    ("DELETE", "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}"): {"stepId": "spare_step"},
    ("DELETE", "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}"): {
        "elementId": "spare_element"
    },
    ("DELETE", "/groups/{groupId}/things/{thingId}"): {"thingId": "spare_thing"},
    ("DELETE", "/groups/{groupId}/members/{personId}"): {"personId": "spare_member"},
    ("DELETE", "/groups/{groupId}/funnels/{funnelId}/custom-code/{codeId}"): {"codeId": "spare_code"},
    ("DELETE", "/groups/{groupId}/products/{productId}"): {"productId": "spare_product"},
}


@pytest.fixture(scope="module")
def world(api) -> dict[str, Any]:
    """A group with an item of every kind the paths name, made through the API."""
    owner = User(api.url)
    made = owner.create_group("Fuzzed")
    group = made["groupId"]
    created = owner.create_funnel(group)
    funnel = created["funnelId"]
    first_step = owner.add_step(group, funnel)
    step = first_step["stepId"]
    element = owner.add_element(group, funnel, step, "headline", ELEMENT_EXAMPLES["headline"])["elementId"]
    spare_step = owner.add_step(group, funnel, name="Spare")["stepId"]
    spare_element = owner.add_element(group, funnel, step)["elementId"]
    variant = owner.add_step(group, funnel, name="Variant")["stepId"]
    assert owner.post(f"/groups/{group}/funnels/{funnel}/publish").status_code == 200
    test = owner.post(
        f"/groups/{group}/funnels/{funnel}/ab-tests", {"controlStepId": step, "variantStepIds": [variant]}
    )
    assert test.status_code == 201, test.text
    a, b = owner.create_thing(group, "A")["thingId"], owner.create_thing(group, "B")["thingId"]
    connection = owner.post(
        f"/groups/{group}/connections", {"fromThingId": a, "toThingId": b, "relationshipType": "mentions"}
    ).json()["connectionId"]
    knowledge = owner.post(f"/groups/{group}/knowledge", {"knowledgeType": "label", "text": "Copy"}).json()
    code = {"name": "Pixel", "placement": "head", "html": "<script>1</script>"}
    codes = [owner.post(f"/groups/{group}/funnels/{funnel}/custom-code", code).json()["customCodeId"] for _ in "ab"]
    product = {"name": "Course", "price": 4900, "currency": "USD"}
    products = [owner.post(f"/groups/{group}/products", product).json()["productId"] for _ in "ab"]
    member, spare_member = User(api.url), User(api.url)
    for person in (member, spare_member):
        assert owner.put(f"/groups/{group}/members/{person.person_id}", {"role": "group_user"}).status_code == 201
    return {
        "owner": owner,
        "groupId": group,
        "funnelId": funnel,
        "stepId": step,
        "elementId": element,
        "thingId": a,
        "connectionId": connection,
        "knowledgeId": knowledge["knowledgeId"],
        "personId": member.person_id,
        "templateId": "tpl_sys_lead-magnet-opt-in",
        "n": 1,
        "spare_group": owner.create_group("Spare")["groupId"],
        "spare_funnel": owner.create_funnel(group, name="Spare funnel")["funnelId"],
        "spare_step": spare_step,
        "spare_element": spare_element,
        "spare_thing": b,
        "spare_member": spare_member.person_id,
        # The live pages of the published funnel
        "groupSlug": made["slug"],
        "funnelSlug": created["slug"],
        "stepSlug": first_step["slug"],
        "codeId": codes[0],
        "spare_code": codes[1],
        "productId": products[0],
        "spare_product": products[1],
        "testId": test.json()["abTestId"],
        "customerId": owner.create_thing(group, "Sam", "customer", properties={"email": "sam@example.com"})["thingId"],
    }


def _call(case, world: dict[str, Any], base_url: str) -> None:
    if case.path_parameters:
        own = _OWN_TARGET.get((case.method.upper(), case.path), {})
        case.path_parameters = {name: world[own.get(name, name)] for name in case.path_parameters}
    case.call_and_validate(
        base_url=base_url, headers={"Authorization": f"Bearer {world['owner'].token}"}, checks=CHECKS
    )


_SETTINGS: dict[str, Any] = {"deadline": None, "derandomize": True, "suppress_health_check": list(HealthCheck)}


@schema.exclude(**ADD_ELEMENT).parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, **_SETTINGS)
def test_no_server_error_and_every_status_documented(case, world, api):
    _call(case, world, api.url)


@element_schema.parametrize()
@settings(max_examples=EXAMPLES_OF_AN_ELEMENT, **_SETTINGS)
def test_adding_an_element_meets_no_server_error_either(case, world, api):
    _call(case, world, api.url)
