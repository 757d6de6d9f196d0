"""An order paid on a published order page in headless Chromium, with localstripe's stand-in for
Stripe.js: the visitor gives their email, ticks the order bump, types a test card, confirms (and,
for a card whose bank asks, authenticates), and lands on the thank-you step; the payment comes
back through Stripe's webhook. No console error on the way; screenshots in test-artifacts/."""

from __future__ import annotations

import pytest

from local.browser import artifact, browser, offline, outside
from local.net import wait_until

VISITOR = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"


@pytest.fixture
def order_page(owner, api):
    group = owner.create_group("Browser Shop", slug=f"bshop-{owner.person_id[-8:]}")
    g = group["groupId"]
    course = owner.post(f"/groups/{g}/products", {"name": "Course", "price": 2700, "currency": "USD"}).json()
    workbook = owner.post(f"/groups/{g}/products", {"name": "Workbook", "price": 700, "currency": "USD"}).json()
    assert owner.put(f"/groups/{g}/stripe-account", {"accountId": "acct_browsershop"}).status_code == 201
    funnel = owner.create_funnel(g, "Tripwire", slug="tripwire")
    order = owner.add_step(
        g, funnel["funnelId"], "Order", "order_form", slug="order", properties={"productId": course["productId"]}
    )
    owner.add_element(g, funnel["funnelId"], order["stepId"], "headline", {"text": "Get the course", "level": 1})
    bump = {"headline": "Add the workbook", "price": 7, "currency": "USD", "productId": workbook["productId"]}
    owner.add_element(g, funnel["funnelId"], order["stepId"], "order_bump_checkbox", bump)
    owner.add_step(g, funnel["funnelId"], "Thanks", "thank_you_page", slug="thanks")
    assert owner.post(f"/groups/{g}/funnels/{funnel['funnelId']}/publish").status_code == 200
    return {"group": g, "url": f"{api.url}/p/{group['slug']}/tripwire/order"}


def _payments(owner, group_id):
    return owner.get(f"/groups/{group_id}/things", params={"type": "payment"}).json()["items"]


@pytest.mark.parametrize(("card", "authenticates"), [("4242424242424242", False), ("4000002500003155", True)])
def test_a_visitor_pays_on_the_order_page_and_lands_on_the_next_step(owner, order_page, card, authenticates):
    with browser(user_agent=VISITOR) as chromium:
        page = chromium.new_page()
        page.route(outside, offline)
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

        page.goto(order_page["url"], wait_until="networkidle")
        page.get_by_label("Email").fill("reader@example.com")
        page.get_by_label("Add the workbook").check()
        page.locator("form[data-checkout] button[type=submit]").first.click()
        card_slot = page.locator("[data-card]")
        card_slot.wait_for(state="visible", timeout=15_000)
        for field, value in (("number", card), ("exp_month", "12"), ("exp_year", "30"), ("cvc", "123")):
            card_slot.locator(f"input[placeholder='{field}']").fill(value)
        card_slot.locator("input[placeholder='postal_code']").fill("10001")
        page.screenshot(path=artifact(f"checkout-{card}.png"), full_page=True)
        page.locator("form[data-checkout] button[type=submit]").first.click()
        if authenticates:  # the bank's 3-D Secure: once to set the card up, once for the payment
            for _ in range(2):
                page.get_by_role("button", name="Complete authentication").click(timeout=15_000)
        page.wait_for_url("**/tripwire/thanks#o=*", timeout=20_000)
        page.screenshot(path=artifact(f"checkout-{card}-thanks.png"), full_page=True)
        assert problems == []

    wait_until(lambda: bool(_payments(owner, order_page["group"])), timeout=30, what="the payment from the webhook")
    (payment,) = _payments(owner, order_page["group"])
    assert (payment["properties"]["amount"], payment["properties"]["status"]) == (3400, "succeeded")


def _sell(owner, group_id, base, step, product_id, bump_product=None):
    """Make a template's step sell a product of the group (and its order bump another)."""
    url = f"{base}/steps/{step['stepId']}"
    current = owner.get(url).json()
    changed = owner.patch(
        url, {"version": current["version"], "properties": {**current["properties"], "productId": product_id}}
    )
    assert changed.status_code == 200, changed.text
    for element in step["elements"]:
        if bump_product and element["elementType"] == "order_bump_checkbox":
            element_url = f"{url}/elements/{element['elementId']}"
            settings = {**element["settings"], "productId": bump_product}
            answer = owner.patch(element_url, {"version": element["version"], "settings": settings})
            assert answer.status_code == 200, answer.text


def test_the_tripwire_funnel_sells_with_a_bump_and_a_one_click_upsell(owner, api):
    group = owner.create_group("Caption Co", slug=f"cap-{owner.person_id[-8:]}")
    g = group["groupId"]
    made = owner.post(f"/groups/{g}/funnels", {"name": "Caption Vault", "templateId": "tpl_sys_tripwire-sales"})
    assert made.status_code == 201, made.text
    funnel = made.json()
    base = f"/groups/{g}/funnels/{funnel['funnelId']}"
    prices = {"vault": 700, "kit": 1700, "upgrade": 4700, "pack": 1900}
    products = {
        name: owner.post(f"/groups/{g}/products", {"name": name.title(), "price": price, "currency": "USD"}).json()[
            "productId"
        ]
        for name, price in prices.items()
    }
    steps = {step["slug"]: step for step in owner.get(base).json()["steps"]}
    _sell(owner, g, base, steps["checkout"], products["vault"], products["kit"])
    _sell(owner, g, base, steps["upsell"], products["upgrade"])
    _sell(owner, g, base, steps["downsell"], products["pack"])
    assert owner.put(f"/groups/{g}/stripe-account", {"accountId": "acct_captionco"}).status_code == 201
    assert owner.post(f"{base}/publish").status_code == 200, owner.post(f"{base}/publish").text

    with browser(user_agent=VISITOR) as chromium:
        page = chromium.new_page()
        page.route(outside, offline)
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

        page.goto(f"{api.url}/p/{group['slug']}/{funnel['slug']}", wait_until="networkidle")
        page.locator("a.btn[href$='/checkout']").first.click()
        page.wait_for_url("**/checkout")
        page.get_by_label("First name").fill("Jane")
        page.get_by_label("Email (your download goes here)").fill("jane@example.com")
        page.get_by_label("YES! Add the Hashtag Research Kit for just $17").check()
        order = page.get_by_role("button", name="Complete My Order")
        order.click()
        card = page.locator("[data-card]")
        card.wait_for(state="visible", timeout=15_000)
        for field, value in (("number", "4242424242424242"), ("exp_month", "12"), ("exp_year", "30"), ("cvc", "123")):
            card.locator(f"input[placeholder='{field}']").fill(value)
        card.locator("input[placeholder='postal_code']").fill("10001")
        order.click()
        page.wait_for_url("**/upsell#o=*", timeout=20_000)
        page.screenshot(path=artifact("tripwire-upsell.png"), full_page=True)
        page.get_by_role("button", name="Yes! Upgrade My Order for $47").click()
        page.wait_for_url("**/thank-you#o=*", timeout=20_000)  # past the downsell
        page.screenshot(path=artifact("tripwire-thank-you.png"), full_page=True)
        assert problems == []

    wait_until(lambda: len(_payments(owner, g)) == 2, timeout=30, what="both payments from the webhook")
    assert sorted(p["properties"]["amount"] for p in _payments(owner, g)) == [2400, 4700]
    (stored,) = owner.get(f"/groups/{g}/things", params={"type": "order"}).json()["items"]
    assert (stored["properties"]["amount"], stored["properties"]["paidAmount"]) == (7100, 7100)
    (customer,) = owner.get(f"/groups/{g}/things", params={"type": "customer"}).json()["items"]
    assert (customer["properties"]["email"], customer["properties"]["firstName"]) == ("jane@example.com", "Jane")
    purchases = owner.get(f"/groups/{g}/events", params={"type": "purchase_completed"}).json()["items"]
    assert sorted(event["metadata"]["kind"] for event in purchases) == ["product", "upsell"]
