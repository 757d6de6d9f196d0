"""Products over real HTTP: prices in the currency's minor unit as Stripe takes them, owners
writing, members reading, every change audited, archive never delete."""

from __future__ import annotations

import pytest

COURSE = {"name": "Launch course", "price": 4900, "currency": "usd"}


@pytest.fixture
def shop(owner):
    return owner.create_group("Shop Co")["groupId"]


def _fields(answer):
    assert answer.status_code == 422, answer.text
    return {problem["field"] for problem in answer.json()["error"]["fields"]}


def test_a_product_is_made_listed_changed_and_archived(owner, shop):
    made = owner.post(f"/groups/{shop}/products", {**COURSE, "compareAtPrice": 9900})
    assert made.status_code == 201, made.text
    product = made.json()
    assert product["productId"].startswith("prd_")
    assert (product["price"], product["currency"], product["paymentType"]) == (4900, "USD", "one_time")
    assert product["status"] == "active"
    assert product["version"] == 1

    yen = owner.post(f"/groups/{shop}/products", {"name": "Ebook", "price": 500, "currency": "JPY"})
    assert yen.status_code == 201, yen.text
    monthly = owner.post(
        f"/groups/{shop}/products",
        {"name": "Club", "price": 2900, "currency": "EUR", "paymentType": "subscription", "interval": "month"},
    )
    assert monthly.status_code == 201, monthly.text
    listed = owner.get(f"/groups/{shop}/products").json()["items"]
    assert [p["name"] for p in listed] == ["Club", "Ebook", "Launch course"]

    base = f"/groups/{shop}/products/{product['productId']}"
    cheaper = owner.patch(base, {"version": 1, "price": 3900, "compareAtPrice": None})
    assert cheaper.status_code == 200, cheaper.text
    assert (cheaper.json()["price"], cheaper.json().get("compareAtPrice"), cheaper.json()["version"]) == (3900, None, 2)
    assert owner.patch(base, {"version": 1, "name": "Stale"}).status_code == 409

    archived = owner.delete(base)
    assert archived.status_code == 200, archived.text
    assert archived.json()["status"] == "archived"
    assert owner.delete(base).json()["version"] == 3  # archiving again changes nothing
    active = owner.get(f"/groups/{shop}/products", params={"status": "active"}).json()["items"]
    assert product["productId"] not in [p["productId"] for p in active]
    assert owner.get(f"/groups/{shop}/products", params={"status": "archived"}).json()["items"][0]["price"] == 3900

    # A product is a thing of the ontology, written only through its own routes
    thing = owner.get(f"/groups/{shop}/things/{product['productId']}").json()
    assert (thing["type"], thing["properties"]["price"]) == ("product", 3900)
    refused = owner.post(f"/groups/{shop}/things", {"type": "product", "name": "Sneaky", "properties": {}})
    assert refused.status_code == 422
    events = owner.get(f"/groups/{shop}/events", params={"targetId": product["productId"]}).json()["items"]
    assert [e["type"] for e in events] == ["entity_archived", "entity_updated", "entity_created"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**COURSE, "price": 19.99}, "price"),
        ({**COURSE, "price": 0}, "price"),
        ({**COURSE, "price": 100_000_000}, "price"),
        ({**COURSE, "currency": "XYZ"}, "currency"),
        ({**COURSE, "currency": "KWD", "price": 5125}, "price"),
        ({**COURSE, "paymentType": "subscription"}, "interval"),
        ({**COURSE, "interval": "month"}, "interval"),
        ({**COURSE, "compareAtPrice": 4900}, "compareAtPrice"),
        ({**COURSE, "imageUrl": "http://example.com/a.png"}, "imageUrl"),
        ({**COURSE, "name": ""}, "name"),
        ({**COURSE, "stock": 3}, "stock"),
    ],
)
def test_a_product_stripe_could_not_charge_is_refused_at_its_field(owner, shop, body, field):
    assert field in _fields(owner.post(f"/groups/{shop}/products", body))
    assert owner.get(f"/groups/{shop}/products").json()["items"] == []


def test_an_update_must_leave_a_whole_product(owner, shop):
    product = owner.post(f"/groups/{shop}/products", COURSE).json()
    base = f"/groups/{shop}/products/{product['productId']}"

    assert "interval" in _fields(owner.patch(base, {"version": 1, "paymentType": "subscription"}))
    assert "price" in _fields(owner.patch(base, {"version": 1, "price": None}))
    assert "compareAtPrice" in _fields(owner.patch(base, {"version": 1, "compareAtPrice": 100}))
    assert owner.get(f"/groups/{shop}/things/{product['productId']}").json()["version"] == 1


def test_owners_write_products_and_members_read_them(owner, new_user, shop):
    member, stranger = new_user(), new_user()
    assert owner.put(f"/groups/{shop}/members/{member.person_id}", {"role": "group_user"}).status_code == 201
    product = owner.post(f"/groups/{shop}/products", COURSE).json()

    assert [p["productId"] for p in member.get(f"/groups/{shop}/products").json()["items"]] == [product["productId"]]
    assert member.post(f"/groups/{shop}/products", COURSE).status_code == 403
    assert member.patch(f"/groups/{shop}/products/{product['productId']}", {"version": 1}).status_code == 403
    assert member.delete(f"/groups/{shop}/products/{product['productId']}").status_code == 403
    assert stranger.get(f"/groups/{shop}/products").status_code == 404
    assert stranger.post(f"/groups/{shop}/products", COURSE).status_code == 404
    assert owner.patch(f"/groups/{shop}/products/prd_nope", {"version": 1}).status_code == 404
    thing = owner.create_thing(shop, "Not a product")
    assert owner.delete(f"/groups/{shop}/products/{thing['thingId']}").status_code == 404


def test_publishing_freezes_what_the_pages_sell(owner, shop):
    course = owner.post(f"/groups/{shop}/products", COURSE).json()
    bump = owner.post(f"/groups/{shop}/products", {"name": "Workbook", "price": 900, "currency": "USD"}).json()
    funnel = owner.create_funnel(shop, "Sell")
    order = owner.add_step(
        shop, funnel["funnelId"], "Order", "order_form", properties={"productId": course["productId"]}
    )
    bump_settings = {"headline": "Add the workbook", "price": 9, "currency": "USD", "productId": bump["productId"]}
    owner.add_element(shop, funnel["funnelId"], order["stepId"], "order_bump_checkbox", bump_settings)
    base = f"/groups/{shop}/funnels/{funnel['funnelId']}"
    assert owner.post(f"{base}/publish").status_code == 200

    # The price changes after publishing: version 1 still sells at the old one
    repriced = owner.patch(f"/groups/{shop}/products/{course['productId']}", {"version": 1, "price": 5900})
    assert repriced.status_code == 200
    published = owner.get(f"{base}/versions/1").json()
    assert published["products"][course["productId"]]["price"] == 4900
    assert published["products"][bump["productId"]]["price"] == 900
    assert owner.get(base).json()["products"] == {}  # the draft has no frozen prices

    # A product archived since cannot be published again
    assert owner.delete(f"/groups/{shop}/products/{bump['productId']}").status_code == 200
    refused = owner.post(f"{base}/publish")
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["fields"] == [
        {
            "field": "steps.1.elements.1.settings.productId",
            "message": f"product {bump['productId']} is not an active product of this group",
        }
    ]


def test_an_order_bump_in_another_currency_than_its_step_is_not_published(owner, shop):
    course = owner.post(f"/groups/{shop}/products", COURSE).json()
    euro = owner.post(f"/groups/{shop}/products", {"name": "Extra", "price": 900, "currency": "EUR"}).json()
    funnel = owner.create_funnel(shop, "Mixed")
    order = owner.add_step(
        shop, funnel["funnelId"], "Order", "order_form", properties={"productId": course["productId"]}
    )
    bump = {"headline": "Add it", "price": 9, "currency": "EUR", "productId": euro["productId"]}
    owner.add_element(shop, funnel["funnelId"], order["stepId"], "order_bump_checkbox", bump)
    refused = owner.post(f"/groups/{shop}/funnels/{funnel['funnelId']}/publish")
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == [
        {"field": "steps.1.elements.1.settings.productId", "message": "the bump is in EUR, the step sells in USD"}
    ]


def _sold_by(owner, shop, product_id):
    """(step, funnel) of each live funnel_leads_to_product connection into the product."""
    response = owner.get(
        f"/groups/{shop}/things/{product_id}/connections",
        params={"direction": "in", "type": "funnel_leads_to_product"},
    )
    assert response.status_code == 200, response.text
    return sorted((c["fromThingId"], c["metadata"]["funnelId"]) for c in response.json()["items"])


def test_a_step_that_sells_a_product_is_connected_to_it_as_the_step_changes(owner, shop):
    course = owner.post(f"/groups/{shop}/products", COURSE).json()["productId"]
    ebook = owner.post(f"/groups/{shop}/products", {"name": "Ebook", "price": 900, "currency": "USD"}).json()
    funnel = owner.create_funnel(shop, "Sell")["funnelId"]
    step = owner.add_step(shop, funnel, "Order", "order_form", properties={"productId": course})
    base = f"/groups/{shop}/funnels/{funnel}/steps/{step['stepId']}"
    assert _sold_by(owner, shop, course) == [(step["stepId"], funnel)]
    [out] = owner.get(f"/groups/{shop}/things/{step['stepId']}/connections", params={"direction": "out"}).json()[
        "items"
    ]
    assert (out["relationshipType"], out["toThingId"]) == ("funnel_leads_to_product", course)

    # Another product: the connection moves; an edit that keeps it keeps the connection
    moved = owner.patch(base, {"version": 1, "properties": {"productId": ebook["productId"]}})
    assert moved.status_code == 200, moved.text
    assert _sold_by(owner, shop, course) == []
    assert _sold_by(owner, shop, ebook["productId"]) == [(step["stepId"], funnel)]
    assert owner.patch(base, {"version": 2, "name": "Checkout"}).status_code == 200
    assert _sold_by(owner, shop, ebook["productId"]) == [(step["stepId"], funnel)]

    # A copy of the funnel sells it too; the step removed sells it no more
    copy = owner.post(f"/groups/{shop}/funnels/{funnel}/duplicate").json()
    [copied] = copy["steps"]
    assert _sold_by(owner, shop, ebook["productId"]) == sorted(
        [(step["stepId"], funnel), (copied["stepId"], copy["funnelId"])]
    )
    assert owner.delete(base).status_code in (200, 204)
    assert _sold_by(owner, shop, ebook["productId"]) == [(copied["stepId"], copy["funnelId"])]

    # An edit that names no product ends it
    copied_base = f"/groups/{shop}/funnels/{copy['funnelId']}/steps/{copied['stepId']}"
    assert owner.patch(copied_base, {"version": copied["version"], "properties": {}}).status_code == 200
    assert _sold_by(owner, shop, ebook["productId"]) == []
    ended = owner.get(
        f"/groups/{shop}/things/{ebook['productId']}/connections",
        params={"direction": "in", "includeEnded": "true"},
    ).json()["items"]
    assert len(ended) == 2
    assert all(c["validTo"] for c in ended)


def test_the_builder_alone_keeps_what_a_step_sells(owner, shop):
    course = owner.post(f"/groups/{shop}/products", COURSE).json()["productId"]
    funnel = owner.create_funnel(shop, "Sell")["funnelId"]
    steps = f"/groups/{shop}/funnels/{funnel}/steps"

    for product_id in ("prd_nope", owner.create_thing(shop, "Not a product")["thingId"]):
        body = {"name": "Order", "stepType": "order_form", "properties": {"productId": product_id}}
        refused = owner.post(steps, body)
        assert _fields(refused) == {"properties.productId"}, refused.text
    step = owner.add_step(shop, funnel, "Order", "order_form", properties={"productId": course})
    assert owner.delete(f"/groups/{shop}/products/{course}").status_code == 200
    other = owner.add_step(shop, funnel, "Upsell", "upsell_page")
    stale = owner.patch(f"{steps}/{other['stepId']}", {"version": 1, "properties": {"productId": course}})
    assert _fields(stale) == {"properties.productId"}
    assert _sold_by(owner, shop, course) == [(step["stepId"], funnel)]  # the step still names it

    body = {"fromThingId": step["stepId"], "toThingId": course, "relationshipType": "funnel_leads_to_product"}
    made = owner.post(f"/groups/{shop}/connections", body)
    assert _fields(made) == {"relationshipType"}
    [connection] = owner.get(f"/groups/{shop}/things/{course}/connections", params={"direction": "in"}).json()["items"]
    refused = owner.delete(f"/groups/{shop}/connections/{connection['connectionId']}")
    assert refused.status_code == 409, refused.text
    assert "/steps/{stepId}" in refused.json()["error"]["message"]
    assert _sold_by(owner, shop, course) == [(step["stepId"], funnel)]
