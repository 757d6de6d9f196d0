"""Commerce elements: pricing table, buy button, product card, cart summary, order bump, coupon.

On an order or checkout step the buttons submit the step's order form (the checkout route of the
commerce issue takes it from there); on a sales page they lead to the next step, the order form.
Prices shown here are for reading: the order is always priced on the server."""

from __future__ import annotations

from typing import Any

from funnel_core.pages.render.context import RenderContext
from funnel_core.pages.render.elements.media import img
from funnel_core.pages.render.html import paragraphs, tag, text, void
from funnel_core.pages.render.money import price

_PERIODS = {"month": " / month", "year": " / year", "one_time": ""}


def call_to_action(label: str, context: RenderContext, product_id: str | None = None, block: bool = False) -> str:
    classes = "btn btn-block" if block else "btn"
    if context.upsell:
        return tag("button", text(label), type="submit", name="accept", value="true", cls=classes)
    if context.sells:
        return tag("button", text(label), type="submit", name="productId", value=product_id or "", cls=classes)
    if context.urls.next_step:
        return tag("a", text(label), href=context.urls.next_step, cls=classes)
    return tag("span", text(label), cls=f"{classes} btn-off")


def pricing_table(settings: dict[str, Any], context: RenderContext) -> str:
    cards = []
    for column in settings["columns"]:
        features = "".join(
            tag(
                "li",
                f'<span class="sr">{"Included" if feature.get("included", True) else "Not included"}: </span>'
                + text(feature["text"]),
                cls="yes" if feature.get("included", True) else "no",
            )
            for feature in column.get("features", [])
        )
        period = _PERIODS.get(column.get("billingPeriod", "one_time"), "")
        amount = tag("p", text(price(column["price"], column["currency"])) + tag("small", text(period)), cls="price")
        body = (
            tag("h3", text(column["name"]))
            + amount
            + tag("ul", features, cls="features")
            + call_to_action(column.get("buttonText", "Get started"), context, column.get("productId"), block=True)
        )
        cards.append(tag("li", body, cls="plan hi" if column.get("highlighted") else "plan"))
    return tag("ul", "".join(cards), cls="plans")


def buy_button(settings: dict[str, Any], context: RenderContext) -> str:
    button = call_to_action(settings["text"], context, settings.get("productId"), block=True)
    subtext = tag("p", text(settings["subtext"]), cls="muted") if settings.get("subtext") else ""
    return button + subtext


def product_card(settings: dict[str, Any], context: RenderContext) -> str:
    picture = img(settings["imageUrl"], settings["name"], context) if settings.get("imageUrl") else ""
    was = ""
    if settings.get("compareAtPrice") is not None:
        was = f' <s><span class="sr">was </span>{text(price(settings["compareAtPrice"], settings["currency"]))}</s>'
    description = paragraphs(settings["description"]) if settings.get("description") else ""
    body = (
        tag("h3", text(settings["name"]))
        + description
        + tag("p", text(price(settings["price"], settings["currency"])) + was, cls="price")
        + call_to_action(settings.get("buttonText", "Buy now"), context, settings.get("productId"))
    )
    return tag("article", picture + tag("div", body), cls="card product")


def cart_summary(settings: dict[str, Any], context: RenderContext) -> str:
    offer = context.offer
    rows = ""
    if offer.price is not None:
        rows = tag("tr", tag("th", "Your order", scope="row") + tag("td", text(price(offer.price, offer.currency))))
    notes = [
        label
        for flag, label in (("showTax", "Tax"), ("showShipping", "Shipping"), ("showDiscounts", "Discounts"))
        if settings.get(flag, True)
    ]
    footer = tag("p", text(", ".join(notes) + " are worked out at checkout."), cls="muted") if notes else ""
    table = tag("table", tag("caption", text(settings.get("title", "Order summary"))) + tag("tbody", rows))
    return tag("div", table + footer, cls="card cart")


def order_bump_checkbox(settings: dict[str, Any], context: RenderContext) -> str:
    box_id = f"{context.current_id}-bump"
    box = void(
        "input",
        id=box_id,
        type="checkbox",
        name="bumps",
        # The checkout takes the bumps ticked by element: the price is the published version's.
        value=context.current_id.removeprefix("e-"),
        checked=settings.get("checkedByDefault", False),
    )
    label = tag(
        "label",
        tag("strong", text(settings["headline"]))
        + " "
        + tag("span", text(price(settings["price"], settings["currency"])), cls="price"),
        for_=box_id,
    )
    description = tag("p", text(settings["description"])) if settings.get("description") else ""
    return tag("div", box + label + description, cls="card bump")


def coupon_code_input(settings: dict[str, Any], context: RenderContext) -> str:
    coupon_id = f"{context.current_id}-code"
    control = void(
        "input",
        id=coupon_id,
        name="couponCode",
        type="text",
        autocomplete="off",
        placeholder=settings.get("placeholder", "Coupon code"),
    )
    label = tag("label", "Coupon code", for_=coupon_id, cls="sr")
    button = tag(
        "button",
        text(settings.get("buttonText", "Apply")),
        type="submit",
        name="applyCoupon",
        value="1",
        cls="btn btn-quiet",
    )
    return tag("div", label + control + button, cls="row coupon")


RENDERERS = {
    "pricing_table": pricing_table,
    "buy_button": buy_button,
    "product_card": product_card,
    "cart_summary": cart_summary,
    "order_bump_checkbox": order_bump_checkbox,
    "coupon_code_input": coupon_code_input,
}
