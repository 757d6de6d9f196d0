"""Interactive elements: FAQ accordion, tabs, progress bar, quiz, calendar booking, live chat.

Each works without JavaScript (an accordion is <details>, tabs are headed sections, a booking
calendar and a chat are links) and the page's small script upgrades them."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from funnel_core.pages.render.context import RenderContext
from funnel_core.pages.render.elements.forms import submit_button
from funnel_core.pages.render.html import attrs, paragraphs, safe_url, tag, text, void

# Where each chat provider's widget script lives, loaded only once a visitor opens the chat.
CHAT_SCRIPTS = {
    "intercom": "https://widget.intercom.io/widget/{id}",
    "drift": "https://js.driftt.com/include/{id}.js",
    "crisp": "https://client.crisp.chat/l.js",
    "tawk_to": "https://embed.tawk.to/{id}",
    "hubspot": "https://js.hs-scripts.com/{id}.js",
    "zendesk": "https://static.zdassets.com/ekr/snippet.js?key={id}",
    "tidio": "https://code.tidio.co/{id}.js",
}


_WIDGET_ID = re.compile(r"^[A-Za-z0-9_\-:./]{1,128}$")


def faq_accordion(settings: dict[str, Any], context: RenderContext) -> str:
    # Details that share a name open one at a time, natively.
    group = None if settings.get("allowMultipleOpen") else context.current_id
    items = [
        tag(
            "details",
            tag("summary", text(item["question"])) + tag("div", paragraphs(item["answer"])),
            name=group,
            open=number == 0 and settings.get("expandFirst", False),
        )
        for number, item in enumerate(settings["items"])
    ]
    return tag("div", "".join(items), cls="faq")


def tabs(settings: dict[str, Any], context: RenderContext) -> str:
    context.use("tabs")
    chosen = int(settings.get("defaultTab", 0))
    buttons, panels = [], []
    for number, tab in enumerate(settings["tabs"]):
        tab_id, panel_id = f"{context.current_id}-t{number}", f"{context.current_id}-p{number}"
        selected = number == chosen
        buttons.append(
            tag(
                "button",
                text(tab["title"]),
                type="button",
                role="tab",
                id=tab_id,
                aria_controls=panel_id,
                aria_selected="true" if selected else "false",
                tabindex=None if selected else "-1",
            )
        )
        heading = tag("h3", text(tab["title"]), cls="tab-title")
        panels.append(
            tag(
                "section",
                heading + paragraphs(tab["content"]),
                id=panel_id,
                role="tabpanel",
                aria_labelledby=tab_id,
                data_default="1" if selected else None,
            )
        )
    bar = tag("div", "".join(buttons), role="tablist", cls="tablist")
    return tag("div", bar + "".join(panels), cls="tabs", data_tabs=True)


def progress_bar(settings: dict[str, Any], context: RenderContext) -> str:
    percent = int(settings["percent"])
    context.style(" .fill", width=f"{percent}%", background=settings.get("color"))
    label = settings.get("label") or "Progress"
    shown = text(label) + (f" <strong>{percent}%</strong>" if settings.get("showPercentage", True) else "")
    fill = '<div class="fill anim"></div>' if settings.get("animated", True) else '<div class="fill"></div>'
    meter = attrs(
        cls="track", role="progressbar", aria_label=label, aria_valuenow=percent, aria_valuemin=0, aria_valuemax=100
    )
    bar = f"<div{meter}>{fill}</div>"
    return tag("p", shown, cls="progress-label") + bar


def quiz_survey(settings: dict[str, Any], context: RenderContext) -> str:
    title = tag("h2", text(settings["title"])) if settings.get("title") else ""
    questions = []
    for question in settings["questions"]:
        name = question["name"]
        context.form.rendered.add(name)
        kind = "checkbox" if question.get("type") == "multiple_choice" else "radio"
        required = question.get("required", True) and kind == "radio"
        chosen = context.form.values.get(name)
        choices = []
        for number, option in enumerate(question["options"]):
            choice_id = f"f-{name}-{number}"
            box = void(
                "input",
                id=choice_id,
                type=kind,
                name=name,
                value=option["value"],
                required=required,
                checked=chosen == option["value"],
            )
            choices.append(tag("div", box + tag("label", text(option["label"]), for_=choice_id), cls="choice"))
        questions.append(
            tag("fieldset", tag("legend", text(question["question"])) + "".join(choices), cls="field radios")
        )
    button = submit_button({"text": settings.get("submitText", "See my results")}, context)
    return tag("div", title + "".join(questions) + button, cls="quiz")


def calendar_booking(settings: dict[str, Any], context: RenderContext) -> str:
    url = safe_url(settings["url"])
    if url is None:
        return ""
    context.use("video")  # the same swap-in of a frame on request
    context.frame_origins.add(f"https://{urlsplit(url).hostname}")
    height = int(settings.get("height", 700))
    context.style(" iframe", height=f"{height}px")
    return tag(
        "a",
        "Pick a time for your call",
        href=url,
        rel="noopener",
        cls="btn booking",
        data_embed=url,
        data_title="Booking calendar",
    )


def live_chat_widget(settings: dict[str, Any], context: RenderContext) -> str:
    provider, widget_id = settings["provider"], settings["widgetId"]
    if provider not in CHAT_SCRIPTS or not _WIDGET_ID.match(widget_id) or ".." in widget_id:
        return ""  # checked at publish; a script URL is never made of anything else
    script = CHAT_SCRIPTS[provider].format(id=widget_id)
    context.use("chat")
    context.script_origins.add(f"https://{urlsplit(script).hostname}")
    position = "left" if settings.get("position") == "bottom_left" else "right"
    label = settings.get("greeting") or "Chat with us"
    return tag(
        "button",
        text(label),
        type="button",
        cls=f"btn chat c-{position}",
        data_chat=script,
        data_provider=provider,
        data_widget=widget_id,
    )


RENDERERS = {
    "faq_accordion": faq_accordion,
    "tabs": tabs,
    "progress_bar": progress_bar,
    "quiz_survey": quiz_survey,
    "calendar_booking": calendar_booking,
    "live_chat_widget": live_chat_widget,
}
