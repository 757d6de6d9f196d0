"""The owners' custom code on a page, and what the page's CSP must allow for it: the hash of each
of its inline scripts and styles, and the origins of the scripts and frames it loads. Inline
event handler attributes (``onclick=``) do not run under the CSP; a snippet that needs one puts
it in a script."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from funnel_core.pages.csp import source_hash


@dataclass
class CodeAllowances:
    scripts: set[str] = field(default_factory=set)  # hashes of inline scripts
    styles: set[str] = field(default_factory=set)  # hashes of inline styles
    script_origins: set[str] = field(default_factory=set)
    frame_origins: set[str] = field(default_factory=set)


class _Reader(HTMLParser):
    def __init__(self, allowances: CodeAllowances) -> None:
        super().__init__(convert_charrefs=False)
        self.allowances = allowances
        self._inline: str | None = None  # "script" or "style" while inside one
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        origin = _https_origin(values.get("src"))
        if tag == "script" and values.get("src"):
            if origin:
                self.allowances.script_origins.add(origin)
        elif tag in ("script", "style"):
            self._inline, self._text = tag, []
        elif tag == "iframe" and origin:
            self.allowances.frame_origins.add(origin)

    def handle_data(self, data: str) -> None:
        if self._inline:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._inline == tag:
            source = "".join(self._text)
            (self.allowances.scripts if tag == "script" else self.allowances.styles).add(source_hash(source))
            self._inline = None


def _https_origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"https://{parts.hostname}" if parts.scheme == "https" and parts.hostname else None


def code_for(custom_code: list[Any], step_id: str) -> tuple[str, str, CodeAllowances]:
    """The head and body-end HTML of the funnel's live custom code on ``step_id``, and its CSP
    allowances. Owner-authored, so written as it is: the CSP still names every script it runs."""
    head: list[str] = []
    body: list[str] = []
    allowances = CodeAllowances()
    for code in custom_code:
        if code.stepId not in (None, step_id):
            continue
        (head if code.placement == "head" else body).append(code.html)
        reader = _Reader(allowances)
        reader.feed(code.html)
        reader.close()
    return "".join(head), "".join(body), allowances
