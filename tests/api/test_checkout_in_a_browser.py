"""An order paid on a published order page in headless Chromium, with localstripe's stand-in for
Stripe.js: the visitor gives their email, ticks the order bump, types a test card, confirms (and,
for a card whose bank asks, authenticates), and lands on the thank-you step; the payment comes
back through Stripe's webhook. No console error on the way; screenshots in test-artifacts/."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from local.browser import artifact, browser
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
        page.route(lambda address: urlsplit(address).hostname != "127.0.0.1", lambda route: route.abort())
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
        page.wait_for_url("**/tripwire/thanks", timeout=20_000)
        page.screenshot(path=artifact(f"checkout-{card}-thanks.png"), full_page=True)
        assert problems == []

    wait_until(lambda: bool(_payments(owner, order_page["group"])), timeout=30, what="the payment from the webhook")
    (payment,) = _payments(owner, order_page["group"])
    assert (payment["properties"]["amount"], payment["properties"]["status"]) == (3400, "succeeded")
