"""Where the live pages are: one item per public URL, keyed by the URL's own slugs, so serving
a page is one GetItem with nothing to look up first. Each URL is its own partition, so a hot
funnel's reads spread over its steps (and a CDN takes most of them, docs/pages.md). A funnel's
list of the URLs it has pages at (its page manifest) lives in its group's partition."""

from __future__ import annotations

from typing import Final

from funnel_core.store.keyspace import Prefixes, register
from funnel_core.store.tenancy import PK, SK, group_pk

PAGE: Final = "PAGE#"
PAGE_META: Final = "PAGE"
MANIFEST: Final = "PAGES#"

register(Prefixes(area="pages", partitions=(PAGE,), sorts=(MANIFEST,)))


def page_path(group_slug: str, funnel_slug: str, step_slug: str | None = None) -> str:
    """The URL path under /p/ a page answers: the funnel's own (its first step) or a step's."""
    return f"{group_slug}/{funnel_slug}" if step_slug is None else f"{group_slug}/{funnel_slug}/{step_slug}"


def page_key(path: str) -> dict[str, str]:
    return {PK: f"{PAGE}{path}", SK: PAGE_META}


def manifest_key(group_id: str, funnel_id: str) -> dict[str, str]:
    return {PK: group_pk(group_id), SK: f"{MANIFEST}{funnel_id}"}
