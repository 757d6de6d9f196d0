"""Rendering a published step: every element type becomes accessible HTML, nothing a builder types
can inject markup or script, and the page's CSP allows exactly its own inline script and style."""

from __future__ import annotations

import base64
import copy
import hashlib
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from funnel_core.builder.catalog import system_funnel_templates
from funnel_core.builder.models.aggregate import ElementView, FunnelView
from funnel_core.pages.render import FORM_TOKEN_PLACEHOLDER, render_step
from funnel_core.pages.render.colors import MIN_CONTRAST, contrast
from funnel_core.pages.render.elements import RENDERERS
from local.samples.elements import ELEMENT_EXAMPLES
from local.samples.published import AT, view_of

VOID = {"meta", "img", "input", "br", "link", "source", "hr"}
HOSTILE_TEXT = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
HOSTILE_URLS = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example", "/\\evil.example"]


class Page(HTMLParser):
    """The tags of a page, checked to be balanced as they are read."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open[-1] == tag, f"</{tag}> closes <{self.open[-1]}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open:
            self.text.setdefault(self.open[-1], []).append(data)

    def all(self, name: str) -> list[dict[str, str | None]]:
        return [attributes for tag, attributes in self.tags if tag == name]


def _every_element_view(settings_of=lambda element_type: ELEMENT_EXAMPLES[element_type]) -> FunnelView:
    """The lead magnet funnel with a step holding one element of every type."""
    view = view_of(system_funnel_templates()[1])
    step = view.steps[0]
    elements = [
        ElementView(
            elementId=f"elm_all_{n:02d}",
            stepId=step.stepId,
            funnelId=view.funnelId,
            groupId=view.groupId,
            elementType=element_type,
            settings=settings_of(element_type),
            styling={"textColor": "#777777", "backgroundColor": "#888888"} if n == 0 else {},
            visibility={"mobile": n % 2 == 0, "tablet": True, "desktop": True},
            position=n + 1,
            createdAt=AT,
            updatedAt=AT,
        )
        for n, element_type in enumerate(ELEMENT_EXAMPLES)
    ]
    steps = [step.model_copy(update={"elements": elements}), *view.steps[1:]]
    return view.model_copy(update={"steps": steps})


def _render(view: FunnelView) -> tuple[str, str, Page]:
    page = render_step(view, view.steps[0], "acme")
    return page.html, page.content_security_policy, Page(page.html)


def test_there_is_a_renderer_and_an_example_for_every_element_type():
    assert set(RENDERERS) == set(ELEMENT_EXAMPLES)
    assert len(RENDERERS) == 38


def test_every_element_type_renders_accessible_balanced_html():
    html, _, page = _render(_every_element_view())
    assert page.open == ["html", "body"] or page.open == []
    assert page.all("html")[0]["lang"] == "en"
    # Landmarks, one h1, a skip link
    assert len(page.all("main")) == 1
    assert len(page.all("h1")) == 1
    assert page.all("a")[0]["href"] == "#main"
    # Every control a visitor fills has a label, by for= or aria-label
    labelled = {attributes["for"] for attributes in page.all("label")}
    for name in ("input", "select", "textarea"):
        for control in page.all(name):
            if control.get("type") == "hidden":
                continue
            assert control.get("id") in labelled or control.get("aria-label"), control
    # Every image has alt text and a size; only the first few load at once
    images = page.all("img")
    assert images
    assert all("alt" in image and image.get("width") and image.get("height") for image in images)
    assert images[-1]["loading"] == "lazy"
    # Visibility per device is a class the stylesheet hides
    assert 'class="el el-subheadline hide-m"' in html
    assert "@media (max-width:599px){.hide-m{display:none}}" in html


def test_an_elements_colours_are_kept_readable():
    html, _, _ = _render(_every_element_view())
    rule = re.search(r"#e-elm_all_00\{[^}]*background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})", html)
    assert rule is not None
    assert contrast(rule.group(1), rule.group(2)) >= MIN_CONTRAST


def _poison(value: Any, payload: str, urls_only: bool, is_url: bool = False) -> Any:
    """Every text of ``value`` with ``payload`` added, or with ``urls_only`` every URL replaced by it."""
    if isinstance(value, dict):
        return {
            key: _poison(item, payload, urls_only, key.lower().endswith("url") or key == "src")
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_poison(item, payload, urls_only, is_url) for item in value]
    if isinstance(value, str):
        if urls_only:
            return payload if is_url else value
        return value + payload
    return value


def _only_our_markup(page: Page) -> None:
    scripts = page.all("script")
    assert scripts == [{"type": "module"}]
    for tag, attributes in page.tags:
        assert tag not in ("iframe", "object", "embed", "base"), tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "action", "poster", "data-embed", "data-chat", "data-redirect", "content"):
                assert not (value or "").lower().startswith(("javascript:", "data:", "//", "/\\")), (tag, name, value)


def test_text_from_settings_is_escaped_everywhere():
    view = _every_element_view(
        lambda element_type: _poison(copy.deepcopy(ELEMENT_EXAMPLES[element_type]), HOSTILE_TEXT, False)
    )
    html, _, page = _render(view)
    assert "<script>alert" not in html
    assert "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    _only_our_markup(page)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_urls_are_checked_again_at_render(url):
    view = _every_element_view(lambda element_type: _poison(copy.deepcopy(ELEMENT_EXAMPLES[element_type]), url, True))
    html, _, page = _render(view)
    _only_our_markup(page)
    assert url not in html


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("template", system_funnel_templates(), ids=lambda template: template.templateId)
def test_the_csp_allows_exactly_the_pages_inline_script_and_style(template):
    view = view_of(template)
    for step in view.steps:
        page = render_step(view, step, "acme")
        script = re.search(r'<script type="module">(.*?)</script>', page.html, re.S)
        style = re.search(r"<style>(.*?)</style>", page.html, re.S)
        assert script is not None
        assert style is not None
        assert f"script-src {_hash(script.group(1))}" in page.content_security_policy
        assert f"style-src {_hash(style.group(1))}" in page.content_security_policy
        assert "unsafe-inline" not in page.content_security_policy
        # The token goes into the HTML, never inside the hashed script or style
        assert FORM_TOKEN_PLACEHOLDER not in script.group(1) + style.group(1)
        assert len(page.html.encode()) <= 30_000


def test_a_step_whose_elements_have_no_h1_gets_its_headline_as_one():
    view = view_of(system_funnel_templates()[1])
    step = view.steps[0]
    headings_demoted = [
        element.model_copy(update={"settings": {**element.settings, "level": 2}})
        if element.elementType == "headline"
        else element
        for element in step.elements
    ]
    view = view.model_copy(update={"steps": [step.model_copy(update={"elements": headings_demoted}), *view.steps[1:]]})
    page = Page(render_step(view, view.steps[0], "acme").html)
    assert len(page.all("h1")) == 1
    assert page.text["h1"] == [step.properties["headline"]]


def test_an_opt_in_step_posts_its_form_with_a_token_and_a_honeypot():
    view = view_of(system_funnel_templates()[1])
    html, _, page = _render(view)
    form = page.all("form")[0]
    assert form["action"] == "/p/acme/funnel/opt-in/submit"
    assert form["method"] == "post"
    names = [control.get("name") for control in page.all("input")]
    assert {"_token", "website", "email", "firstName", "consent"} <= set(names)
    assert FORM_TOKEN_PLACEHOLDER in html
