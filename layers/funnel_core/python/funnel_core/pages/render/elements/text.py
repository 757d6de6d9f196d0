"""Text elements: headline, subheadline, paragraph, bullet list, testimonial text."""

from __future__ import annotations

from typing import Any

from funnel_core.pages.render.context import RenderContext
from funnel_core.pages.render.html import attrs, paragraphs, tag, text


def _align(settings: dict[str, Any], default: str) -> str:
    return f"a-{settings.get('alignment', default)}"


def headline(settings: dict[str, Any], context: RenderContext) -> str:
    level = context.heading_level(int(settings.get("level", 1)))
    return tag(f"h{level}", text(settings["text"]), cls=_align(settings, "center"))


def subheadline(settings: dict[str, Any], context: RenderContext) -> str:
    level = context.heading_level(int(settings.get("level", 2)))
    return tag(f"h{level}", text(settings["text"]), cls=f"sub {_align(settings, 'center')}")


def paragraph(settings: dict[str, Any], context: RenderContext) -> str:
    return f"<div{attrs(cls=_align(settings, 'left'))}>{paragraphs(settings['text'])}</div>"


def bullet_list(settings: dict[str, Any], context: RenderContext) -> str:
    icon = settings.get("icon", "check")
    items = "".join(tag("li", text(item)) for item in settings["items"])
    name = "ol" if icon == "number" else "ul"
    context.style(" li::before", color=settings.get("iconColor"))
    return tag(name, items, cls=f"bullets i-{icon} {_align(settings, 'left')}")


def testimonial_text(settings: dict[str, Any], context: RenderContext) -> str:
    author = text(settings["author"])
    if settings.get("authorTitle"):
        author += f", <span>{text(settings['authorTitle'])}</span>"
    quote = tag("blockquote", paragraphs(settings["quote"]))
    return tag("figure", quote + tag("figcaption", author), cls=f"quote {_align(settings, 'center')}")


RENDERERS = {
    "headline": headline,
    "subheadline": subheadline,
    "paragraph": paragraph,
    "bullet_list": bullet_list,
    "testimonial_text": testimonial_text,
}
