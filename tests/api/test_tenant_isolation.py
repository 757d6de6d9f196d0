"""Tenant isolation, tried as an attacker would: every route, called by a member of another
group, with the victim's ids, with a mix of their own and the victim's ids, and with cursors."""

from __future__ import annotations

import json
import re

import pytest

from local.lambda_events import sample
from local.template import http_routes
from tests.support.http_client import User

ROUTES = sorted(http_routes(), key=lambda route: route.route_key)
GROUP_ROUTES = [route for route in ROUTES if "{groupId}" in route.path]


@pytest.fixture(scope="module")
def victim_world(api):
    """Built once for the module: every test here is an attack that must change nothing, and each
    checks the victim's group is as it was (a test whose attack got through fails itself)."""
    victim = User(api.url)
    group = victim.create_group(name="Victim Co")
    group_id = group["groupId"]
    child = victim.create_group(name="Victim Team", parentGroupId=group_id)
    thing = victim.create_thing(group_id, "Secret plan", properties={"budget": 100000})
    other = victim.create_thing(group_id, "Secret list")
    connection = victim.post(
        f"/groups/{group_id}/connections",
        {"fromThingId": thing["thingId"], "toThingId": other["thingId"], "relationshipType": "uses"},
    ).json()
    knowledge = victim.post(
        f"/groups/{group_id}/knowledge", {"knowledgeType": "chunk", "text": "secret", "labels": ["private"]}
    ).json()
    for n in range(3):
        victim.create_thing(group_id, f"Filler {n}")
    member = User(api.url)
    victim.put(f"/groups/{group_id}/members/{member.person_id}", {"role": "group_user"})
    funnel = victim.post(
        f"/groups/{group_id}/funnels", {"name": "Secret funnel", "templateId": "tpl_sys_lead-magnet-opt-in"}
    )
    assert funnel.status_code == 201, funnel.text
    funnel = funnel.json()
    code = victim.post(
        f"/groups/{group_id}/funnels/{funnel['funnelId']}/custom-code",
        {"name": "Secret pixel", "placement": "head", "html": "<script>secret()</script>"},
    )
    assert code.status_code == 201, code.text
    assert victim.post(f"/groups/{group_id}/funnels/{funnel['funnelId']}/publish").status_code == 200
    customer = victim.create_thing(group_id, "Secret lead", "customer", properties={"email": "lead@example.com"})
    product = victim.post(f"/groups/{group_id}/products", {"name": "Secret offer", "price": 99700, "currency": "USD"})
    assert product.status_code == 201, product.text
    variant = victim.add_step(group_id, funnel["funnelId"], "Secret variant", "opt_in_page")
    test = victim.post(
        f"/groups/{group_id}/funnels/{funnel['funnelId']}/ab-tests",
        {"controlStepId": funnel["steps"][0]["stepId"], "variantStepIds": [variant["stepId"]]},
    )
    assert test.status_code == 201, test.text

    attacker = User(api.url)
    attacker_group = attacker.create_group(name="Attacker Co")["groupId"]
    attacker_thing = attacker.create_thing(attacker_group, "Bait")["thingId"]
    ids = {
        "groupId": group_id,
        "childGroupId": child["groupId"],
        "thingId": thing["thingId"],
        "otherThingId": other["thingId"],
        "connectionId": connection["connectionId"],
        "knowledgeId": knowledge["knowledgeId"],
        "personId": victim.person_id,
        "funnelId": funnel["funnelId"],
        "stepId": funnel["steps"][0]["stepId"],
        "elementId": funnel["steps"][0]["elements"][0]["elementId"],
        "codeId": code.json()["customCodeId"],
        "customerId": customer["thingId"],
        "productId": product.json()["productId"],
        "testId": test.json()["abTestId"],
        "n": "1",
    }
    return victim, attacker, attacker_group, attacker_thing, ids


def _path(route, ids):
    path = route.path
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    return path


def _sample_body(route):
    name = route.handler.removesuffix(".lambda_handler").replace(".", "/")
    body = sample(name).get("body")
    return json.loads(body) if body else None


def _sample_query(route):
    """The sample's query string: a route that needs one (search's q) is tried well-formed."""
    name = route.handler.removesuffix(".lambda_handler").replace(".", "/")
    return sample(name).get("queryStringParameters")


def _victim_snapshot(victim, group_id):
    events = victim.get(f"/groups/{group_id}/events", params={"limit": 100}).json()["items"]
    group = victim.get(f"/groups/{group_id}").json()
    return len(events), group["version"], group["status"]


@pytest.mark.parametrize("route", GROUP_ROUTES, ids=lambda route: route.route_key)
def test_every_group_route_is_404_for_another_tenant(victim_world, route):
    victim, attacker, _, _, ids = victim_world
    before = _victim_snapshot(victim, ids["groupId"])

    for group_key in ("groupId", "childGroupId"):
        aimed = {**ids, "groupId": ids[group_key]}
        body = _sample_body(route)
        if body and "fromThingId" in body:
            body = {**body, "fromThingId": ids["thingId"], "toThingId": ids["otherThingId"]}
        response = attacker.request(route.method, _path(route, aimed), json=body, params=_sample_query(route))

        assert response.status_code == 404, (route.route_key, response.status_code, response.text)
        assert "Secret" not in response.text

    assert _victim_snapshot(victim, ids["groupId"]) == before


# People are not tenant-scoped: an owner giving any person a role in their own group is how
# teams are formed, so PUT .../members/{personId} is no leak.
ITEM_ROUTES = [
    route
    for route in GROUP_ROUTES
    if set(re.findall(r"{(\w+)}", route.path)) - {"groupId"}
    and route.route_key != "PUT /groups/{groupId}/members/{personId}"
]


@pytest.mark.parametrize("route", ITEM_ROUTES, ids=lambda route: route.route_key)
def test_the_victims_item_ids_are_404_inside_the_attackers_own_group(victim_world, route):
    victim, attacker, attacker_group, _, ids = victim_world
    body = _sample_body(route)
    if body and "version" in body:
        body = {**body, "version": 1}
    path = _path(route, {**ids, "groupId": attacker_group})
    response = attacker.request(route.method, path, json=body, params=_sample_query(route))
    assert response.status_code == 404, (route.route_key, response.text)
    assert victim.get(f"/groups/{ids['groupId']}/things/{ids['thingId']}").json()["version"] == 1


def test_connections_cannot_reach_into_another_tenant(victim_world):
    _, attacker, attacker_group, attacker_thing, ids = victim_world
    response = attacker.post(
        f"/groups/{attacker_group}/connections",
        {"fromThingId": attacker_thing, "toThingId": ids["thingId"], "relationshipType": "steals"},
    )
    assert response.status_code == 422
    knowledge = attacker.post(
        f"/groups/{attacker_group}/knowledge", {"knowledgeType": "chunk", "text": "x", "sourceThingId": ids["thingId"]}
    )
    assert knowledge.status_code == 422


def test_the_victims_cursors_are_useless_to_an_attacker(victim_world):
    victim, attacker, attacker_group, _, ids = victim_world
    cursor = victim.get(f"/groups/{ids['groupId']}/things", params={"limit": 1}).json()["nextCursor"]
    assert cursor

    on_victim_group = attacker.get(f"/groups/{ids['groupId']}/things", params={"cursor": cursor})
    assert on_victim_group.status_code == 404
    on_own_group = attacker.get(f"/groups/{attacker_group}/things", params={"cursor": cursor})
    assert on_own_group.status_code == 400
    assert "Secret" not in on_own_group.text


def test_identity_routes_show_only_the_callers_own_groups(victim_world):
    _, attacker, attacker_group, _, ids = victim_world
    me = attacker.get("/me").json()
    groups = attacker.get("/groups").json()["items"]
    assert [m["groupId"] for m in me["memberships"]] == [attacker_group]
    assert [g["groupId"] for g in groups] == [attacker_group]
    child = attacker.post("/groups", {"name": "Sneaky", "type": "team", "parentGroupId": ids["groupId"]})
    assert child.status_code == 404


def test_a_platform_owner_may_cross_tenants(victim_world, new_user):
    _, _, _, _, ids = victim_world
    platform_owner = new_user(groups=("platform_owner",))
    assert platform_owner.get(f"/groups/{ids['groupId']}/things/{ids['thingId']}").status_code == 200
