"""Templates over HTTP: the system catalog, funnels and steps made from templates, group templates."""

from __future__ import annotations

import pytest

from funnel_core.builder.catalog import system_funnel_templates, system_page_templates
from tests.support.http_client import error_fields

SYSTEM_FUNNELS = {template.templateId: template for template in system_funnel_templates()}


@pytest.fixture
def group_id(owner):
    return owner.create_group(settings={"limits": {"maxFunnels": 20}})["groupId"]


def test_the_catalog_lists_system_templates_by_kind_and_category(owner):
    funnels = owner.get("/templates", params={"kind": "funnel"}).json()["items"]
    assert {t["templateId"] for t in funnels} == set(SYSTEM_FUNNELS)
    for named in (
        "lead-magnet-opt-in",
        "webinar-registration",
        "tripwire-sales",
        "product-launch",
        "free-book-shipping",
    ):
        assert f"tpl_sys_{named}" in SYSTEM_FUNNELS
    assert all(t["scope"] == "system" and t["kind"] == "funnel" for t in funnels)

    pages = owner.get("/templates", params={"kind": "page"}).json()["items"]
    assert len(pages) == len(system_page_templates())
    webinars = owner.get("/templates", params={"category": "webinar"}).json()["items"]
    assert webinars
    assert {t["category"] for t in webinars} == {"webinar"}
    assert owner.get("/templates", params={"category": "astrology"}).status_code == 400


@pytest.mark.parametrize("template_id", sorted(SYSTEM_FUNNELS))
def test_a_funnel_is_made_from_every_system_template(owner, group_id, template_id):
    template = SYSTEM_FUNNELS[template_id]

    response = owner.post(f"/groups/{group_id}/funnels", {"name": f"From {template.name}", "templateId": template_id})

    assert response.status_code == 201, response.text
    funnel = response.json()
    assert funnel["status"] == "draft"
    assert funnel["templateId"] == template_id
    assert [s["stepType"] for s in funnel["steps"]] == [s.stepType for s in template.steps]
    assert [len(s["elements"]) for s in funnel["steps"]] == [len(s.elements) for s in template.steps]
    assert [s["sequence"] for s in funnel["steps"]] == list(range(1, len(template.steps) + 1))
    # It is a real draft: it can be published as it is
    assert owner.post(f"/groups/{group_id}/funnels/{funnel['funnelId']}/publish").status_code == 200
    connections = f"/groups/{group_id}/things/{funnel['funnelId']}/connections"
    links = owner.get(connections, params={"type": "funnel_based_on_template"}).json()["items"]
    assert [c["toThingId"] for c in links] == [template_id]
    contains = owner.get(connections, params={"type": "funnel_contains_step"}).json()["items"]
    assert sorted((c["metadata"]["sequence"], c["toThingId"]) for c in contains) == [
        (s["sequence"], s["stepId"]) for s in funnel["steps"]
    ]


def test_usage_is_counted_and_unknown_templates_are_404(owner, group_id):
    template_id = "tpl_sys_lead-magnet-opt-in"

    def usage():
        catalog = owner.get("/templates", params={"kind": "funnel"}).json()["items"]
        return next(t["usageCount"] for t in catalog if t["templateId"] == template_id)

    before = usage()
    owner.post(f"/groups/{group_id}/funnels", {"name": "Counted", "templateId": template_id})
    assert usage() == before + 1

    assert owner.post(f"/groups/{group_id}/funnels", {"name": "Nope", "templateId": "tpl_missing"}).status_code == 404
    page_id = system_page_templates()[0].templateId
    wrong_kind = owner.post(f"/groups/{group_id}/funnels", {"name": "Nope", "templateId": page_id})
    assert wrong_kind.status_code == 422
    assert error_fields(wrong_kind) == ["templateId"]


def test_a_step_from_a_page_template_gets_a_free_slug_unless_the_client_chose_one(owner, group_id):
    funnel_id = owner.post(f"/groups/{group_id}/funnels", {"name": "Twice"}).json()["funnelId"]
    page = system_page_templates()[0]
    steps = f"/groups/{group_id}/funnels/{funnel_id}/steps"
    body = {"name": "Offer", "stepType": page.step.stepType, "pageTemplateId": page.templateId}

    first, second = owner.post(steps, body), owner.post(steps, body)
    chosen = owner.post(steps, {**body, "slug": "offer"})

    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert first.json()["slug"] == "offer"
    assert second.json()["slug"].startswith("offer-")
    assert chosen.status_code == 409
    assert chosen.json()["error"]["code"] == "slug_taken"
    assert [s["sequence"] for s in owner.get(f"/groups/{group_id}/funnels/{funnel_id}").json()["steps"]] == [1, 2]


def test_a_step_is_made_from_a_page_template(owner, group_id):
    funnel_id = owner.post(f"/groups/{group_id}/funnels", {"name": "Assembled"}).json()["funnelId"]
    page = system_page_templates()[0]
    steps = f"/groups/{group_id}/funnels/{funnel_id}/steps"

    made = owner.post(steps, {"name": "From a page", "stepType": page.step.stepType, "pageTemplateId": page.templateId})

    assert made.status_code == 201, made.text
    assert made.json()["pageTemplateId"] == page.templateId
    assert [e["elementType"] for e in made.json()["elements"]] == [e.elementType for e in page.step.elements]
    mismatch = owner.post(steps, {"name": "Mismatch", "stepType": "custom_page", "pageTemplateId": page.templateId})
    assert mismatch.status_code == 422
    assert error_fields(mismatch) == ["stepType"]


def test_a_funnel_saved_as_a_template_makes_new_funnels_in_its_group_only(owner, group_id, new_user):
    source = owner.post(
        f"/groups/{group_id}/funnels", {"name": "Our best funnel", "templateId": "tpl_sys_tripwire-sales"}
    ).json()

    saved = owner.post(f"/groups/{group_id}/templates", {"name": "House tripwire", "fromFunnelId": source["funnelId"]})
    assert saved.status_code == 201, saved.text
    template_id = saved.json()["templateId"]
    assert saved.json()["scope"] == "group"
    assert saved.json()["stepCount"] == len(source["steps"])

    listed = owner.get(f"/groups/{group_id}/templates", params={"kind": "funnel"}).json()["items"]
    assert listed[0]["templateId"] == template_id
    assert {t["scope"] for t in listed} == {"group", "system"}

    made = owner.post(f"/groups/{group_id}/funnels", {"name": "Made from ours", "templateId": template_id})
    assert made.status_code == 201, made.text
    assert [s["slug"] for s in made.json()["steps"]] == [s["slug"] for s in source["steps"]]

    other_group = new_user()
    foreign = other_group.create_group()["groupId"]
    assert (
        other_group.post(f"/groups/{foreign}/funnels", {"name": "Stolen", "templateId": template_id}).status_code == 404
    )


def test_a_step_saved_as_a_page_template(owner, group_id):
    source = owner.post(
        f"/groups/{group_id}/funnels", {"name": "Webinar", "templateId": "tpl_sys_webinar-registration"}
    ).json()
    step = source["steps"][0]

    saved = owner.post(
        f"/groups/{group_id}/templates",
        {"name": "Our registration page", "fromStepId": step["stepId"], "funnelId": source["funnelId"]},
    )

    assert saved.status_code == 201, saved.text
    assert saved.json()["kind"] == "page"
    both = owner.post(
        f"/groups/{group_id}/templates", {"name": "x", "fromFunnelId": source["funnelId"], "fromStepId": "stp_x"}
    )
    assert both.status_code == 422
