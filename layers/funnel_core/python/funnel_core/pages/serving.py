"""Serving a live page: one GetItem by the URL's slugs, the form token filled in, and the
headers a public page needs (its CSP, caching fit for a CDN, no sniffing, no framing)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from funnel_core.container import once
from funnel_core.pages import keys, not_found, tokens
from funnel_core.pages.form_markup import FORM_TOKEN_PLACEHOLDER, HONEYPOT_FIELD, TOKEN_FIELD
from funnel_core.pages.models import LivePage
from funnel_core.store.default import table
from funnel_core.store.items import to_model
from funnel_core.store.table import Table

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
HTML = "text/html; charset=utf-8"
# A CDN may keep a page for a few seconds (so a viral funnel is served from the edge) and must
# check back after; browsers always check back, and the weak ETag makes that a 304.
CACHE_CONTROL = "public, max-age=0, s-maxage=10, stale-while-revalidate=30"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(self)",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@dataclass(frozen=True)
class PageAnswer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


def not_found_answer() -> PageAnswer:
    headers = {
        **SECURITY_HEADERS,
        "Content-Type": HTML,
        "Content-Security-Policy": not_found.CONTENT_SECURITY_POLICY,
        "Cache-Control": "public, max-age=0, s-maxage=10",
    }
    return PageAnswer(404, not_found.HTML, headers)


def page_headers(page: LivePage) -> dict[str, str]:
    return {
        **SECURITY_HEADERS,
        "Content-Type": HTML,
        "Content-Security-Policy": page.contentSecurityPolicy,
        "Cache-Control": CACHE_CONTROL,
        "ETag": page.etag,
    }


def valid_slugs(*slugs: str | None) -> bool:
    return all(slug is None or _SLUG.match(slug) for slug in slugs)


class PublicPages:
    def __init__(self, table: Table) -> None:
        self.table = table

    def find(self, group_slug: str, funnel_slug: str, step_slug: str | None = None) -> LivePage | None:
        """The live page at this URL: one GetItem. Slugs that no funnel could have (``..``, an
        encoded slash, upper case) are not looked up at all."""
        if not valid_slugs(group_slug, funnel_slug, step_slug):
            return None
        record = self.table.get(keys.page_key(keys.page_path(group_slug, funnel_slug, step_slug)))
        return to_model(LivePage, record) if record and record.get("entity") == "live_page" else None

    def answer(
        self, group_slug: str, funnel_slug: str, step_slug: str | None, if_none_match: str | None = None
    ) -> PageAnswer:
        page = self.find(group_slug, funnel_slug, step_slug)
        if page is None:
            return not_found_answer()
        headers = page_headers(page)
        if if_none_match and page.etag in {tag.strip() for tag in if_none_match.split(",")}:
            return PageAnswer(304, "", headers)
        return PageAnswer(200, fill_in(page), headers)

    def with_form_errors(
        self, page: LivePage, group_slug: str, funnel_slug: str, values: dict[str, str], errors: dict[str, str]
    ) -> PageAnswer:
        """The page a form post with errors comes back to (422): each message beside its field,
        what the visitor typed kept. Made from the live version, as the page itself was."""
        # Rare, so the renderer is imported here rather than on every page view's cold start.
        from funnel_core.builder.publishing import service as versions_service
        from funnel_core.pages.render import render_step
        from funnel_core.pages.render.context import FormState

        view = versions_service().published_view(page.groupId, page.funnelId, page.version)
        view = view.model_copy(update={"slug": funnel_slug})
        step = next(step for step in view.steps if step.stepId == page.stepId)
        kept = {name: value for name, value in values.items() if name not in (HONEYPOT_FIELD, TOKEN_FIELD)}
        form = FormState(values=kept, errors=errors)
        rendered = render_step(view, step, group_slug, form=form, lang=page.language)
        headers = {
            **page_headers(page),
            "Content-Security-Policy": rendered.content_security_policy,
            "Cache-Control": "no-store",
        }
        headers.pop("ETag")
        return PageAnswer(422, fill_in(page, rendered.html), headers)


def fill_in(page: LivePage, html: str | None = None) -> str:
    """The page's HTML with a fresh form token."""
    source = html if html is not None else zlib.decompress(page.html).decode()
    return source.replace(FORM_TOKEN_PLACEHOLDER, tokens.issue(page.stepId))


@once
def service() -> PublicPages:
    return PublicPages(table())
