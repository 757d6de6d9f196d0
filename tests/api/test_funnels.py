"""Funnels over HTTP: create, list, read, update and archive; names, slugs, limits, the audit
trail and who may do what, as SPEC sections 2-3 and API.md "Funnel builder" say."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.http_client import error_fields


@pytest.fixture
def group_id(owner):
    return owner.create_group()["groupId"]


def funnels_path(group_id, funnel_id=None):
    return f"/groups/{group_id}/funnels" + (f"/{funnel_id}" if funnel_id else "")


def event_types_of(user, group_id, target_id):
    """The types of the events about one target, oldest first."""
    page = user.get(f"/groups/{group_id}/events", params={"targetId": target_id, "limit": 100})
    assert page.status_code == 200, page.text
    return [event["type"] for event in reversed(page.json()["items"])]


def listed_ids(user, group_id, **params):
    """Every funnel id of a listing, following the cursor two at a time."""
    collected, cursor = [], None
    while True:
        page = user.get(funnels_path(group_id), params={**params, "limit": 2, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        assert len(page.json()["items"]) <= 2
        collected += [funnel["funnelId"] for funnel in page.json()["items"]]
        cursor = page.json()["nextCursor"]
        if not cursor:
            return collected


# ---------------------------------------------------------------- create


def test_a_new_funnel_is_a_draft_with_a_slug_derived_from_its_name(owner, group_id):
    response = owner.post(funnels_path(group_id), {"name": "Free E-Book: The Funnel Playbook!"})

    assert response.status_code == 201, response.text
    funnel = response.json()
    assert funnel["status"] == "draft"
    assert funnel["slug"] == "free-e-book-the-funnel-playbook"
    assert funnel["version"] == 1
    assert funnel["steps"] == []
    assert funnel["groupId"] == group_id
    assert funnel["properties"]["category"] == "custom"  # the default
    assert owner.get(funnels_path(group_id, funnel["funnelId"])).json() == funnel


def test_a_funnel_keeps_the_slug_and_properties_it_was_given(owner, group_id):
    properties = {
        "description": "Capture leads with a free checklist",
        "category": "lead-gen",
        "tags": ["Checklist", "b2b", "checklist"],
        "conversionGoal": "email_capture",
        "tracking": {"enableUtm": True, "facebookPixelId": "123456789012345", "googleAnalyticsId": "G-ABC123XYZ"},
        "seo": {"metaTitle": "Free checklist", "ogImage": "https://cdn.example.com/og.png"},
        "branding": {"primaryColor": "#FF6600", "fontFamily": "Inter, sans-serif"},
    }

    funnel = owner.create_funnel(group_id, "Checklist", slug="free-checklist", properties=properties)

    assert funnel["slug"] == "free-checklist"
    assert funnel["properties"]["category"] == "lead-gen"
    assert funnel["properties"]["tags"] == ["Checklist", "b2b"]  # repeats in any case dropped
    assert funnel["properties"]["tracking"]["facebookPixelId"] == "123456789012345"
    assert funnel["properties"]["branding"]["primaryColor"] == "#FF6600"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": ""}, {"name"}),
        ({"name": "x" * 201}, {"name"}),
        ({}, {"name"}),
        ({"name": "Ok", "slug": "Not A Slug"}, {"slug"}),
        ({"name": "Ok", "owner": "me"}, {"owner"}),
        ({"name": "Ok", "properties": {"category": "gambling"}}, {"properties.category"}),
        ({"name": "Ok", "properties": {"conversionGoal": "likes"}}, {"properties.conversionGoal"}),
        (
            {"name": "Ok", "properties": {"tracking": {"facebookPixelId": "pixel", "googleAnalyticsId": "GA-1"}}},
            {"properties.tracking.facebookPixelId", "properties.tracking.googleAnalyticsId"},
        ),
        (
            {"name": "Ok", "properties": {"seo": {"ogImage": "http://cdn.example.com/a.png"}}},
            {"properties.seo.ogImage"},
        ),
        ({"name": "Ok", "properties": {"branding": {"primaryColor": "orange"}}}, {"properties.branding.primaryColor"}),
        ({"name": "Ok", "properties": {"branding": {"fontFamily": "x;}body{"}}}, {"properties.branding.fontFamily"}),
        ({"name": "Ok", "properties": {"tags": ["x" * 41]}}, {"properties.tags.0"}),
        ({"name": "Ok", "properties": {"colour": "red"}}, {"properties.colour"}),
    ],
)
def test_bad_funnel_input_is_422_naming_the_fields(owner, group_id, body, fields):
    response = owner.post(funnels_path(group_id), body)

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_failed"
    assert set(error_fields(response)) == fields
    assert owner.get(funnels_path(group_id)).json()["items"] == []


def test_an_unknown_template_is_404(owner, group_id):
    response = owner.post(funnels_path(group_id), {"name": "From template", "templateId": "tpl_nope"})

    assert response.status_code == 404
    assert owner.get(funnels_path(group_id)).json()["items"] == []


# ---------------------------------------------------------------- names and slugs


def test_funnel_names_are_unique_per_group_ignoring_case(owner, group_id):
    owner.create_funnel(group_id, "Webinar Funnel")

    response = owner.post(funnels_path(group_id), {"name": "WEBINAR funnel", "slug": "another-slug"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "name_taken"
    assert error_fields(response) == ["name"]
    assert len(owner.get(funnels_path(group_id)).json()["items"]) == 1


def test_funnel_slugs_are_unique_per_group(owner, group_id):
    owner.create_funnel(group_id, "Spring Promo", slug="promo")

    response = owner.post(funnels_path(group_id), {"name": "Autumn Promo", "slug": "promo"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "slug_taken"
    assert error_fields(response) == ["slug"]


def test_a_derived_slug_that_is_taken_gets_a_suffix(owner, group_id):
    owner.create_funnel(group_id, "Summer Sale", slug="summer-sale")

    response = owner.post(funnels_path(group_id), {"name": "Summer  Sale!"})  # another name, the same slug

    assert response.status_code == 201, response.text
    assert response.json()["slug"].startswith("summer-sale-")
    chosen = owner.post(funnels_path(group_id), {"name": "Summer Sale 3", "slug": "summer-sale"})
    assert chosen.status_code == 409
    assert chosen.json()["error"]["code"] == "slug_taken"


def test_the_same_name_and_slug_are_fine_in_another_group(owner, group_id):
    other_group = owner.create_group(name="Other Co")["groupId"]
    first = owner.create_funnel(group_id, "Lead Magnet")

    second = owner.create_funnel(other_group, "Lead Magnet")

    assert second["slug"] == first["slug"] == "lead-magnet"
    assert second["funnelId"] != first["funnelId"]


# ---------------------------------------------------------------- list and read


def test_funnels_are_listed_newest_first_by_status_a_page_at_a_time(owner, group_id):
    drafts = [owner.create_funnel(group_id, f"Funnel {n}")["funnelId"] for n in range(4)]
    archived = owner.create_funnel(group_id, "Old Funnel")["funnelId"]
    assert owner.delete(funnels_path(group_id, archived)).status_code == 200

    assert listed_ids(owner, group_id) == [archived, *reversed(drafts)]
    assert listed_ids(owner, group_id, status="draft") == list(reversed(drafts))
    assert listed_ids(owner, group_id, status="archived") == [archived]
    assert listed_ids(owner, group_id, status="published") == []
    assert owner.get(funnels_path(group_id), params={"status": "deleted"}).status_code == 400
    assert owner.get(funnels_path(group_id), params={"limit": 0}).status_code == 400
    assert owner.get(funnels_path(group_id), params={"limit": 101}).status_code == 400


def test_a_funnel_cursor_is_only_good_for_its_own_query(owner, group_id):
    for n in range(3):
        owner.create_funnel(group_id, f"Funnel {n}")
    cursor = owner.get(funnels_path(group_id), params={"limit": 1}).json()["nextCursor"]
    assert cursor

    assert owner.get(funnels_path(group_id), params={"limit": 1, "cursor": cursor}).status_code == 200
    assert (
        owner.get(funnels_path(group_id), params={"limit": 1, "cursor": cursor, "status": "draft"}).status_code == 400
    )
    assert owner.get(funnels_path(group_id), params={"cursor": cursor[:-2] + "AA"}).status_code == 400


def test_a_funnel_is_read_with_steps_in_sequence_and_elements_in_position(owner, group_id):
    funnel_id = owner.create_funnel(group_id)["funnelId"]
    opt_in = owner.add_step(group_id, funnel_id, "Opt-in", "opt_in_page")
    thanks = owner.add_step(group_id, funnel_id, "Thank you", "thank_you_page")
    headline = owner.add_element(group_id, funnel_id, opt_in["stepId"], "headline", {"text": "Get the guide"})
    button = owner.add_element(group_id, funnel_id, opt_in["stepId"], "submit_button", {"text": "Send it"})
    note = owner.add_element(group_id, funnel_id, thanks["stepId"], "paragraph", {"text": "Check your inbox."})
    # Put them out of creation order, so the read has to follow the order lists
    owner.put(f"{funnels_path(group_id, funnel_id)}/step-order", {"stepIds": [thanks["stepId"], opt_in["stepId"]]})
    owner.put(
        f"{funnels_path(group_id, funnel_id)}/steps/{opt_in['stepId']}/element-order",
        {"elementIds": [button["elementId"], headline["elementId"]]},
    )

    funnel = owner.get(funnels_path(group_id, funnel_id)).json()

    assert [(s["stepId"], s["sequence"]) for s in funnel["steps"]] == [(thanks["stepId"], 1), (opt_in["stepId"], 2)]
    assert [(e["elementId"], e["position"]) for e in funnel["steps"][0]["elements"]] == [(note["elementId"], 1)]
    assert [(e["elementId"], e["position"]) for e in funnel["steps"][1]["elements"]] == [
        (button["elementId"], 1),
        (headline["elementId"], 2),
    ]
    assert funnel["steps"][1]["elements"][1]["settings"]["text"] == "Get the guide"
    assert funnel["steps"][1]["properties"]["formFields"][0]["name"] == "email"


def test_unknown_funnels_are_404(owner, group_id):
    missing = funnels_path(group_id, "fnl_nope")

    assert owner.get(missing).status_code == 404
    assert owner.patch(missing, {"version": 1, "name": "x"}).status_code == 404
    assert owner.delete(missing).status_code == 404
    assert owner.post(f"{missing}/steps", {"name": "S", "stepType": "landing_page"}).status_code == 404
    assert owner.put(f"{missing}/step-order", {"stepIds": ["stp_x"]}).status_code == 404


def test_a_funnel_is_only_found_under_its_own_group(owner, group_id):
    funnel_id = owner.create_funnel(group_id)["funnelId"]
    step_id = owner.add_step(group_id, funnel_id)["stepId"]
    other_group = owner.create_group(name="Sister Co")["groupId"]  # the same owner
    wrong = funnels_path(other_group, funnel_id)

    assert owner.get(wrong).status_code == 404
    assert owner.patch(wrong, {"version": 1, "name": "Moved"}).status_code == 404
    assert owner.delete(wrong).status_code == 404
    assert owner.get(f"{wrong}/steps/{step_id}").status_code == 404
    assert owner.post(f"{wrong}/steps", {"name": "Sneaky", "stepType": "landing_page"}).status_code == 404
    assert owner.get(funnels_path(group_id, funnel_id)).json()["status"] == "draft"


# ---------------------------------------------------------------- update


def test_a_funnel_update_needs_the_version_it_was_based_on(owner, group_id):
    funnel = owner.create_funnel(group_id, "Tripwire")
    path = funnels_path(group_id, funnel["funnelId"])

    missing = owner.patch(path, {"name": "Tripwire Offer"})
    assert missing.status_code == 422
    assert error_fields(missing) == ["version"]

    updated = owner.patch(path, {"version": 1, "name": "Tripwire Offer", "properties": {"category": "ecommerce"}})
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == 2
    assert updated.json()["name"] == "Tripwire Offer"
    assert updated.json()["slug"] == "tripwire"  # the public address does not move with the name
    assert updated.json()["properties"]["category"] == "ecommerce"

    stale = owner.patch(path, {"version": 1, "name": "Lost Update"})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "version_conflict"
    assert owner.get(path).json()["name"] == "Tripwire Offer"


def test_bad_funnel_updates_are_422_naming_the_field(owner, group_id):
    path = funnels_path(group_id, owner.create_funnel(group_id)["funnelId"])

    for body, field in [
        ({"version": 1, "name": ""}, "name"),
        ({"version": 1, "slug": "Bad Slug"}, "slug"),
        ({"version": 0}, "version"),
        ({"version": 1, "status": "published"}, "status"),
        ({"version": 1, "properties": {"seo": {"metaTitle": "x" * 71}}}, "properties.seo.metaTitle"),
    ]:
        response = owner.patch(path, body)
        assert response.status_code == 422, (body, response.text)
        assert error_fields(response) == [field], body
    assert owner.get(path).json()["version"] == 1


def test_a_rename_frees_the_old_name_and_claims_the_new_one(owner, group_id):
    first = owner.create_funnel(group_id, "Product Launch")
    other = owner.create_funnel(group_id, "Book Funnel")

    taken = owner.patch(funnels_path(group_id, other["funnelId"]), {"version": 1, "name": "product LAUNCH"})
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "name_taken"

    renamed = owner.patch(funnels_path(group_id, first["funnelId"]), {"version": 1, "name": "Launch 2.0"})
    assert renamed.status_code == 200

    again = owner.post(funnels_path(group_id), {"name": "Product Launch", "slug": "product-launch-2"})
    assert again.status_code == 201, again.text
    assert (
        owner.patch(funnels_path(group_id, other["funnelId"]), {"version": 1, "name": "LAUNCH 2.0"}).status_code == 409
    )


def test_a_change_of_letter_case_is_not_a_clash_with_itself(owner, group_id):
    funnel = owner.create_funnel(group_id, "webinar funnel")
    path = funnels_path(group_id, funnel["funnelId"])

    response = owner.patch(path, {"version": 1, "name": "Webinar Funnel"})

    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Webinar Funnel"
    assert owner.post(funnels_path(group_id), {"name": "WEBINAR FUNNEL", "slug": "x"}).status_code == 409


def test_a_slug_change_frees_the_old_slug(owner, group_id):
    first = owner.create_funnel(group_id, "First", slug="offer")
    second = owner.create_funnel(group_id, "Second")

    taken = owner.patch(funnels_path(group_id, second["funnelId"]), {"version": 1, "slug": "offer"})
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "slug_taken"

    assert (
        owner.patch(funnels_path(group_id, first["funnelId"]), {"version": 1, "slug": "new-offer"}).status_code == 200
    )
    moved = owner.patch(funnels_path(group_id, second["funnelId"]), {"version": 1, "slug": "offer"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["slug"] == "offer"


# ---------------------------------------------------------------- archive


def test_archiving_keeps_the_funnel_readable_and_frees_its_name_and_slug(owner, group_id):
    funnel = owner.create_funnel(group_id, "Free Book", slug="free-book")
    path = funnels_path(group_id, funnel["funnelId"])

    archived = owner.delete(path)

    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert archived.json()["version"] == 2
    assert owner.get(path).json()["status"] == "archived"
    assert owner.delete(path).status_code == 200  # archiving twice is harmless
    assert owner.get(path).json()["version"] == 2
    replacement = owner.post(funnels_path(group_id), {"name": "FREE BOOK", "slug": "free-book"})
    assert replacement.status_code == 201, replacement.text


def test_an_archived_funnel_refuses_edits(owner, group_id):
    funnel_id = owner.create_funnel(group_id)["funnelId"]
    step = owner.add_step(group_id, funnel_id)
    element = owner.add_element(group_id, funnel_id, step["stepId"])
    owner.delete(funnels_path(group_id, funnel_id))
    path = funnels_path(group_id, funnel_id)
    step_path = f"{path}/steps/{step['stepId']}"
    element_path = f"{step_path}/elements/{element['elementId']}"

    for method, target, body in [
        ("PATCH", path, {"version": 2, "name": "Revived"}),
        ("POST", f"{path}/steps", {"name": "More", "stepType": "landing_page"}),
        ("PATCH", step_path, {"version": 1, "name": "Renamed"}),
        ("DELETE", step_path, None),
        ("PUT", f"{path}/step-order", {"stepIds": [step["stepId"]]}),
        ("POST", f"{step_path}/elements", {"elementType": "headline", "settings": {"text": "Hi"}}),
        ("PATCH", element_path, {"version": 1, "settings": {"text": "Changed"}}),
        ("DELETE", element_path, None),
        ("PUT", f"{step_path}/element-order", {"elementIds": [element["elementId"]]}),
    ]:
        response = owner.request(method, target, json=body)
        assert response.status_code == 422, (method, target, response.text)
        assert error_fields(response) == ["status"], (method, target)

    after = owner.get(path).json()
    assert after["name"] == "Lead Magnet"
    assert [s["stepId"] for s in after["steps"]] == [step["stepId"]]
    assert [e["elementId"] for e in after["steps"][0]["elements"]] == [element["elementId"]]


# ---------------------------------------------------------------- the group's limit


def test_the_group_limit_on_funnels_counts_live_funnels(owner):
    group_id = owner.create_group(name="Small Plan", settings={"limits": {"maxFunnels": 2}})["groupId"]
    first = owner.create_funnel(group_id, "One")
    owner.create_funnel(group_id, "Two")

    over = owner.post(funnels_path(group_id), {"name": "Three"})
    assert over.status_code == 422
    assert over.json()["error"]["code"] == "limit_exceeded"
    assert len(listed_ids(owner, group_id)) == 2

    assert owner.delete(funnels_path(group_id, first["funnelId"])).status_code == 200
    assert owner.post(funnels_path(group_id), {"name": "Three"}).status_code == 201

    assert owner.post(funnels_path(group_id), {"name": "Four"}).json()["error"]["code"] == "limit_exceeded"
    assert owner.delete(funnels_path(group_id, first["funnelId"])).status_code == 200  # already archived: frees nothing
    assert owner.post(funnels_path(group_id), {"name": "Four"}).status_code == 422


def test_refused_creates_do_not_use_up_the_limit(owner):
    group_id = owner.create_group(name="Small Plan", settings={"limits": {"maxFunnels": 2}})["groupId"]
    owner.create_funnel(group_id, "One")
    assert owner.post(funnels_path(group_id), {"name": "ONE", "slug": "other"}).status_code == 409
    assert owner.post(funnels_path(group_id), {"name": "Bad", "slug": "Bad Slug"}).status_code == 422
    headers = {"Idempotency-Key": "only-once"}
    assert owner.post(funnels_path(group_id), {"name": "Two"}, headers=headers).status_code == 201
    assert owner.post(funnels_path(group_id), {"name": "Two"}, headers=headers).status_code == 201  # a replay

    assert len(listed_ids(owner, group_id)) == 2
    assert owner.post(funnels_path(group_id), {"name": "Three"}).json()["error"]["code"] == "limit_exceeded"


def test_concurrent_creates_never_pass_the_limit(owner):
    group_id = owner.create_group(name="Small Plan", settings={"limits": {"maxFunnels": 2}})["groupId"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda n: owner.post(funnels_path(group_id), {"name": f"Funnel {n}"}), range(8)))

    assert sorted(response.status_code for response in responses) == [201] * 2 + [422] * 6
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 422} == {"limit_exceeded"}
    assert sorted(listed_ids(owner, group_id)) == sorted(r.json()["funnelId"] for r in responses if r.ok)


def test_concurrent_creates_of_one_name_let_exactly_one_through(owner, group_id):
    def create(n):
        return owner.post(
            funnels_path(group_id), {"name": "Black Friday" if n % 2 else "BLACK FRIDAY", "slug": f"bf-{n}"}
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(create, range(8)))

    assert sorted(response.status_code for response in responses) == [201] + [409] * 7
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"name_taken"}
    assert len(listed_ids(owner, group_id)) == 1


# ---------------------------------------------------------------- the audit trail


def test_every_change_is_in_the_audit_trail_with_its_target(owner, group_id):
    funnel_id = owner.create_funnel(group_id, "Audited")["funnelId"]
    path = funnels_path(group_id, funnel_id)
    first = owner.add_step(group_id, funnel_id, "First")
    second = owner.add_step(group_id, funnel_id, "Second")
    owner.patch(f"{path}/steps/{first['stepId']}", {"version": 1, "properties": {"headline": "Welcome"}})
    owner.put(f"{path}/step-order", {"stepIds": [second["stepId"], first["stepId"]]})
    element = owner.add_element(group_id, funnel_id, first["stepId"], "headline", {"text": "Hello"})
    other = owner.add_element(group_id, funnel_id, first["stepId"], "paragraph", {"text": "Body"})
    owner.put(
        f"{path}/steps/{first['stepId']}/element-order", {"elementIds": [other["elementId"], element["elementId"]]}
    )
    element_path = f"{path}/steps/{first['stepId']}/elements/{element['elementId']}"
    assert owner.patch(element_path, {"version": 1, "settings": {"text": "Hello again"}}).status_code == 200
    assert owner.delete(element_path).status_code == 204
    assert owner.delete(f"{path}/steps/{second['stepId']}").status_code == 204
    assert owner.patch(path, {"version": 1, "name": "Audited Funnel"}).status_code == 200
    assert owner.delete(path).status_code == 200

    assert event_types_of(owner, group_id, funnel_id) == [
        "funnel_created",
        "step_reordered",
        "entity_updated",
        "funnel_archived",
    ]
    # a reorder of a step's elements is an element_updated of the step
    assert event_types_of(owner, group_id, first["stepId"]) == ["step_added", "entity_updated", "element_updated"]
    assert event_types_of(owner, group_id, second["stepId"]) == ["step_added", "step_removed"]
    assert event_types_of(owner, group_id, element["elementId"]) == [
        "element_added",
        "element_updated",
        "element_removed",
    ]

    events = owner.get(f"/groups/{group_id}/events", params={"limit": 100}).json()["items"]
    assert {event["actorId"] for event in events if event["type"] != "member_added"} == {owner.person_id}
    by_type = {event["type"]: event for event in events}
    assert by_type["funnel_created"]["metadata"] == {"name": "Audited", "slug": "audited"}
    assert by_type["step_added"]["metadata"]["funnelId"] == funnel_id
    assert by_type["step_reordered"]["metadata"] == {
        "from": [first["stepId"], second["stepId"]],
        "to": [second["stepId"], first["stepId"]],
    }
    assert by_type["element_added"]["metadata"]["elementType"] == "headline"
    updates = owner.get(f"/groups/{group_id}/events", params={"type": "entity_updated", "targetId": funnel_id}).json()
    assert updates["items"][0]["metadata"]["changed"] == ["name"]


def test_refused_changes_leave_no_event(owner, group_id):
    funnel = owner.create_funnel(group_id, "Quiet")
    path = funnels_path(group_id, funnel["funnelId"])
    assert owner.patch(path, {"version": 7, "name": "Stale"}).status_code == 409
    assert owner.post(f"{path}/steps", {"name": "S", "stepType": "nope"}).status_code == 422

    assert event_types_of(owner, group_id, funnel["funnelId"]) == ["funnel_created"]


# ---------------------------------------------------------------- who may do what


@pytest.fixture
def built_funnel(owner, new_user):
    """A group with a funnel of one step holding one element, a group_user and a customer."""
    group_id = owner.create_group(name="Agency")["groupId"]
    user, customer = new_user(), new_user()
    for member, role in ((user, "group_user"), (customer, "customer")):
        member.get("/me")
        assert owner.put(f"/groups/{group_id}/members/{member.person_id}", {"role": role}).status_code == 201
    funnel_id = owner.create_funnel(group_id)["funnelId"]
    step_id = owner.add_step(group_id, funnel_id)["stepId"]
    element_id = owner.add_element(group_id, funnel_id, step_id)["elementId"]
    return group_id, funnel_id, step_id, element_id, user, customer


def funnel_routes(funnel_id, step_id, element_id):
    funnel = f"/funnels/{funnel_id}"
    step = f"{funnel}/steps/{step_id}"
    return [
        ("POST", "/funnels", {"name": "Hijack"}),
        ("GET", "/funnels", None),
        ("GET", funnel, None),
        ("PATCH", funnel, {"version": 1, "name": "Hijacked"}),
        ("DELETE", funnel, None),
        ("POST", f"{funnel}/steps", {"name": "Extra", "stepType": "landing_page"}),
        ("GET", step, None),
        ("PATCH", step, {"version": 1, "name": "Hijacked"}),
        ("DELETE", step, None),
        ("PUT", f"{funnel}/step-order", {"stepIds": [step_id]}),
        ("POST", f"{step}/elements", {"elementType": "headline", "settings": {"text": "Hijacked"}}),
        ("PATCH", f"{step}/elements/{element_id}", {"version": 1, "settings": {"text": "Hijacked"}}),
        ("DELETE", f"{step}/elements/{element_id}", None),
        ("PUT", f"{step}/element-order", {"elementIds": [element_id]}),
    ]


def test_group_users_and_customers_get_403_on_funnels_not_theirs(owner, built_funnel):
    group_id, funnel_id, step_id, element_id, user, customer = built_funnel
    before = owner.get(funnels_path(group_id, funnel_id)).json()

    for method, path, body in funnel_routes(funnel_id, step_id, element_id):
        for member in (user, customer):
            response = member.request(method, f"/groups/{group_id}{path}", json=body)
            if member is user and (method, path) == ("GET", "/funnels"):
                # A group_user lists the funnels assigned to them: none yet
                assert response.status_code == 200, response.text
                assert response.json()["items"] == []
                continue
            assert response.status_code == 403, (member.person_id, method, path, response.text)
            assert response.json()["error"]["code"] == "forbidden"

    assert owner.get(funnels_path(group_id, funnel_id)).json() == before
    assert len(owner.get(funnels_path(group_id)).json()["items"]) == 1


def test_a_group_user_reads_and_edits_only_the_funnels_assigned_to_them(owner, built_funnel):
    group_id, funnel_id, _, _, user, customer = built_funnel
    other = owner.create_funnel(group_id, "Not theirs")["funnelId"]
    assignee_path = f"{funnels_path(group_id, funnel_id)}/assignees"

    # Only a group_user of the group can be assigned
    assert owner.put(f"{assignee_path}/{customer.person_id}").status_code == 422
    assigned = owner.put(f"{assignee_path}/{user.person_id}")
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["relationshipType"] == "assigned_to"

    # The assignee sees and edits that funnel and its parts, nothing else
    assert [f["funnelId"] for f in user.get(funnels_path(group_id)).json()["items"]] == [funnel_id]
    assert user.get(funnels_path(group_id, funnel_id)).status_code == 200
    assert (
        user.patch(funnels_path(group_id, funnel_id), {"version": 1, "name": "Edited by the team"}).status_code == 200
    )
    assert (
        user.post(f"{funnels_path(group_id, funnel_id)}/steps", {"name": "More", "stepType": "custom_page"}).status_code
        == 201
    )
    assert user.get(funnels_path(group_id, other)).status_code == 403
    for action in ("publish", "duplicate"):
        assert user.post(f"{funnels_path(group_id, funnel_id)}/{action}").status_code == 403
    assert user.delete(funnels_path(group_id, funnel_id)).status_code == 403
    connections = owner.get(
        f"/groups/{group_id}/events", params={"type": "connection_created", "targetId": funnel_id}
    ).json()
    assert connections["items"][0]["metadata"]["relationshipType"] == "assigned_to"

    # Unassigned, the funnel is out of reach again
    assert owner.delete(f"{assignee_path}/{user.person_id}").status_code == 204
    assert user.get(funnels_path(group_id, funnel_id)).status_code == 403
    assert owner.delete(f"{assignee_path}/{user.person_id}").status_code == 404


def test_strangers_get_404_on_every_funnel_route(owner, stranger, built_funnel):
    group_id, funnel_id, step_id, element_id, _, _ = built_funnel
    before = owner.get(funnels_path(group_id, funnel_id)).json()

    for method, path, body in funnel_routes(funnel_id, step_id, element_id):
        response = stranger.request(method, f"/groups/{group_id}{path}", json=body)
        assert response.status_code == 404, (method, path, response.text)

    assert owner.get(funnels_path(group_id, funnel_id)).json() == before


def test_a_platform_owner_may_build_in_any_group(owner, new_user, group_id):
    admin = new_user(groups=("platform_owner",))

    funnel = admin.create_funnel(group_id, "Built by support")

    assert admin.add_step(group_id, funnel["funnelId"])["sequence"] == 1
    assert owner.get(funnels_path(group_id, funnel["funnelId"])).json()["createdBy"] == admin.person_id


# ---------------------------------------------------------------- idempotency


def test_an_idempotency_key_replays_the_first_created_funnel(owner, group_id):
    headers = {"Idempotency-Key": "create-funnel-1"}
    body = {"name": "Once Only", "properties": {"category": "webinar"}}

    first = owner.post(funnels_path(group_id), body, headers=headers)
    replay = owner.post(funnels_path(group_id), body, headers=headers)

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert listed_ids(owner, group_id) == [first.json()["funnelId"]]
    assert event_types_of(owner, group_id, first.json()["funnelId"]) == ["funnel_created"]

    reused = owner.post(funnels_path(group_id), {"name": "Something Else"}, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"

    without_key = owner.post(funnels_path(group_id), body)
    assert without_key.status_code == 409  # without the key it is a second create of the same name
