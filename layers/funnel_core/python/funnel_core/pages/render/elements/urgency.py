"""Urgency elements: countdown timer, stock counter, limited-offer banner, exit-intent popup."""

from __future__ import annotations

from typing import Any

from funnel_core.pages.render.context import RenderContext
from funnel_core.pages.render.elements.media import img
from funnel_core.pages.render.html import attrs, paragraphs, safe_url, tag, text


def countdown_timer(settings: dict[str, Any], context: RenderContext) -> str:
    context.use("countdown")
    on_expire = settings.get("onExpire", "hide")
    expire = {
        "data_end": settings["endTime"],
        "data_format": settings.get("format", "dd:hh:mm:ss"),
        "data_expire": on_expire,
        "data_message": settings.get("expireMessage"),
        "data_redirect": safe_url(settings.get("expireRedirectUrl")) if on_expire == "redirect" else None,
    }
    # Read once by assistive technology, not every second.
    clock = tag("time", text(settings["endTime"]), datetime=settings["endTime"], cls="clock")
    return f"<div{attrs(cls='countdown', role='timer', aria_live='off', **expire)}>{clock}</div>"


def stock_counter(settings: dict[str, Any], context: RenderContext) -> str:
    remaining = int(settings["remaining"])
    label = tag("p", tag("strong", f"{remaining:,}") + " " + text(settings.get("label", "left in stock")))
    bar = ""
    total = settings.get("total")
    if settings.get("showBar", True) and total:
        context.style(" .meter", background=settings.get("barColor"))
        bar = f'<meter class="meter" min="0" max="{int(total)}" value="{remaining}">{remaining} of {int(total)}</meter>'
    return tag("div", label + bar, cls="stock")


def limited_offer_banner(settings: dict[str, Any], context: RenderContext) -> str:
    context.style("", background=settings.get("backgroundColor"), color=settings.get("textColor"))
    dismiss = ""
    if settings.get("dismissible"):
        context.use("dismiss")
        dismiss = tag(
            "button",
            '<span aria-hidden="true">&times;</span>',
            type="button",
            aria_label="Dismiss",
            data_dismiss=True,
            cls="x",
        )
    if settings.get("endTime"):
        context.use("countdown")
    position = settings.get("position", "top")
    classes = f"banner b-{position}" + (" sticky" if settings.get("sticky", True) else "")
    banner = attrs(cls=classes, aria_label="Offer", data_until=settings.get("endTime"))
    return f"<aside{banner}><p>{text(settings['text'])}</p>{dismiss}</aside>"


def exit_intent_popup(settings: dict[str, Any], context: RenderContext) -> str:
    context.use("exit")
    title_id = f"{context.current_id}-title"
    picture = img(settings["imageUrl"], "", context, 480, 270) if settings.get("imageUrl") else ""
    body = paragraphs(settings["body"]) if settings.get("body") else ""
    target = safe_url(settings.get("ctaUrl"))
    cta = (
        tag("a", text(settings["ctaText"]), href=target, cls="btn")
        if target
        else tag("button", text(settings["ctaText"]), type="button", data_close=True, cls="btn")
    )
    dismiss = tag(
        "button", text(settings.get("dismissText", "No thanks")), type="button", data_close=True, cls="btn btn-quiet"
    )
    content = picture + tag("h2", text(settings["headline"]), id=title_id) + body + tag("div", cta + dismiss, cls="row")
    flags = {
        "data_delay": int(settings.get("delaySeconds", 0)),
        "data_once": "1" if settings.get("showOncePerVisitor", True) else "0",
    }
    return f"<dialog{attrs(cls='popup', aria_labelledby=title_id, data_exit=True, **flags)}>{content}</dialog>"


RENDERERS = {
    "countdown_timer": countdown_timer,
    "stock_counter": stock_counter,
    "limited_offer_banner": limited_offer_banner,
    "exit_intent_popup": exit_intent_popup,
}
