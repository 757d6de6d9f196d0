"""Serving a live page: one GetItem by the URL's slugs, the form token filled in, and the
headers a public page needs (its CSP, caching fit for a CDN, no sniffing, no framing)."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from aws_lambda_powertools.shared.cookies import Cookie

from funnel_core.container import once
from funnel_core.pages import keys, not_found, splits, tokens
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


# A page under a running A/B test differs by visitor. The edge works out the visitor's bucket
# and keys its cache by it; a request that comes without one is answered for this visitor only.
BUCKET_HEADER = "x-visitor-bucket"
PER_VISITOR = "private, no-store"


@dataclass(frozen=True)
class PageAnswer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[Cookie] = field(default_factory=list)


@dataclass(frozen=True)
class Bucketed:
    """The visitor's bucket, and the cookie that keeps their id when it is new."""

    bucket: int
    cookie: Cookie | None = None


# Asked only of a page under a running test: the visitors area knows who is visiting.
BucketOf = Callable[[], Bucketed]


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
        self,
        group_slug: str,
        funnel_slug: str,
        step_slug: str | None,
        if_none_match: str | None = None,
        *,
        edge_bucket: str | None = None,
        bucket_of: BucketOf | None = None,
    ) -> PageAnswer:
        page = self.find(group_slug, funnel_slug, step_slug)
        if page is None:
            return not_found_answer()
        cookies: list[Cookie] = []
        per_visitor = False
        if page.split is not None:
            bucket = splits.parse_bucket(edge_bucket)
            if bucket is None:
                visited = bucket_of() if bucket_of is not None else Bucketed(0)
                bucket, per_visitor = visited.bucket, True
                cookies = [visited.cookie] if visited.cookie else []
            page = page.arm(int(page.split.buckets[bucket]))
        headers = page_headers(page)
        if per_visitor:
            headers["Cache-Control"] = PER_VISITOR
        if if_none_match and page.etag in {tag.strip() for tag in if_none_match.split(",")}:
            return PageAnswer(304, "", headers, cookies)
        return PageAnswer(200, fill_in(page), headers, cookies)

    def with_form_errors(
        self, page: LivePage, group_slug: str, funnel_slug: str, values: dict[str, str], errors: dict[str, str]
    ) -> PageAnswer:
        """The page a form post with errors comes back to (422): each message beside its field,
        what the visitor typed kept. Made from the live version, as the page itself was."""
        # Rare, so the renderer is imported here rather than on every page view's cold start.
        from funnel_core.builder.publishing import service as versions_service
        from funnel_core.pages.render import render_step
        from funnel_core.pages.render.context import FormState

        published = versions_service().published_view(page.groupId, page.funnelId, page.version)
        shown = next(step for step in published.steps if step.stepId == page.served_step())
        # The flow the page was made in: the steps its funnel's tests do not hold out.
        flow = [step for step in published.steps if step.stepId not in page.heldOut]
        view = published.model_copy(update={"slug": funnel_slug, "steps": flow})
        place = next(step for step in view.steps if step.stepId == page.stepId)
        kept = {name: value for name, value in values.items() if name not in (HONEYPOT_FIELD, TOKEN_FIELD)}
        form = FormState(values=kept, errors=errors)
        rendered = render_step(view, shown, group_slug, form=form, lang=page.language, place=place)
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
    return source.replace(FORM_TOKEN_PLACEHOLDER, tokens.issue(page.served_step()))


@once
def service() -> PublicPages:
    return PublicPages(table())
