"""A live page as stored: its HTML made at publish time, the headers that go with it, and what
a form post to it needs to know without reading anything else."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from funnel_core.builder.models.products import PageSale
from funnel_core.models.common import Record
from funnel_core.pages.tickets import PageRef


class PageForm(Record):
    """The step's form as published: its fields, where a visitor goes after it, its consent."""

    fields: list[dict[str, Any]] = Field(default_factory=list)
    nextPath: str | None = None
    redirectAfterSubmit: str | None = None
    # On an upsell or downsell: where "yes" leads (past the downsells that follow) and "no thanks"
    # (the next step, often the downsell).
    acceptPath: str | None = None
    declinePath: str | None = None


class LivePage(Record):
    path: str
    groupId: str
    funnelId: str
    stepId: str
    stepSlug: str
    stepType: str
    sequence: int
    version: int
    # The funnel item's version the page was made from: an older projection never overwrites a newer one.
    revision: int
    html: bytes  # zlib-compressed
    contentSecurityPolicy: str
    etag: str
    form: PageForm | None = None
    # What a checkout or an upsell of this page charges for, frozen with the version.
    sale: PageSale | None = None
    publishedAt: str
    language: str = "en"

    def ref(self) -> PageRef:
        return PageRef(self.groupId, self.funnelId, self.stepId, self.version, self.sequence)


class PageManifest(Record):
    groupId: str
    funnelId: str
    paths: list[str] = Field(default_factory=list)
    revision: int = 0
