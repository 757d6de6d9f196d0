"""Each element type's HTML, one module per family as in ``builder.models.elements``. A renderer
takes the element's validated settings and the page's context and returns the element's inner
HTML; ``render_element`` wraps it with the element's id and its visibility and styling classes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from funnel_core.pages.render.context import RenderContext
from funnel_core.pages.render.elements import commerce, forms, interactive, media, social_proof, text, urgency
from funnel_core.pages.render.html import attrs

Renderer = Callable[[dict[str, Any], RenderContext], str]

RENDERERS: dict[str, Renderer] = {
    **text.RENDERERS,
    **media.RENDERERS,
    **forms.RENDERERS,
    **commerce.RENDERERS,
    **social_proof.RENDERERS,
    **urgency.RENDERERS,
    **interactive.RENDERERS,
}

_HIDDEN_ON = {"mobile": "hide-m", "tablet": "hide-t", "desktop": "hide-d"}


def element_dom_id(element_id: str) -> str:
    return f"e-{element_id}"


def render_element(element: Any, context: RenderContext) -> str:
    """One element of a published step (an ``ElementView``), wrapped with its id, its visibility
    classes (hidden per device class by CSS) and its builder-chosen class."""
    context.current_id = element_dom_id(element.elementId)
    inner = RENDERERS[element.elementType](element.settings, context)
    context.element_index += 1
    hidden = [css for device, css in _HIDDEN_ON.items() if element.visibility.get(device) is False]
    classes = " ".join(
        ["el", f"el-{element.elementType.replace('_', '-')}", *hidden, element.styling.get("customClass") or ""]
    )
    return f"<div{attrs(id=context.current_id, cls=classes.strip())}>{inner}</div>"
