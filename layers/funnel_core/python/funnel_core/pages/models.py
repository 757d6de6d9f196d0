"""A live page as stored: its HTML made at publish time, the headers that go with it, and what
a form post to it needs to know without reading anything else."""

from __future__ import annotations

import base64
from typing import Any

from pydantic import Base64Bytes, Field

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


class PageArm(Record):
    """One arm of a split page: the variant step's page made at the control's place."""

    stepId: str
    # zlib-compressed, and base64 in the item (a nested binary would not survive the JSON form
    # items are written in): give it base64 (``of``), read it raw.
    html: Base64Bytes
    contentSecurityPolicy: str
    etag: str
    form: PageForm | None = None

    @classmethod
    def of(cls, page: LivePage) -> PageArm:
        return cls(
            stepId=page.served_step(),
            html=base64.b64encode(page.html),
            contentSecurityPolicy=page.contentSecurityPolicy,
            etag=page.etag,
            form=page.form,
        )


class PageSplit(Record):
    """A running A/B test at this URL: its arms' pages and which bucket each serves."""

    testId: str
    buckets: str  # 100 digits: bucket n is served arm int(buckets[n]) (``pages.splits``)
    arms: list[PageArm]


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
    # Served in the control step's place: a test's winner, or (chosen per visitor from
    # ``split``) the arm of a running test.
    variantStepId: str | None = None
    abTestId: str | None = None
    split: PageSplit | None = None
    # The steps of the funnel its tests hold out of the flow (re-rendering needs the flow).
    heldOut: list[str] = Field(default_factory=list)

    def ref(self) -> PageRef:
        return PageRef(
            self.groupId,
            self.funnelId,
            self.stepId,
            self.version,
            self.sequence,
            variantStepId=self.variantStepId or "",
            abTestId=self.abTestId or "",
        )

    def served_step(self) -> str:
        """The step whose content this page shows: a variant in the control's place, or its own."""
        return self.variantStepId or self.stepId

    def arm(self, index: int) -> LivePage:
        """The page as a running test's arm ``index`` serves it."""
        if self.split is None:
            return self
        arm = self.split.arms[index]
        return self.model_copy(
            update={
                "html": arm.html,
                "contentSecurityPolicy": arm.contentSecurityPolicy,
                "etag": arm.etag,
                "form": arm.form,
                "variantStepId": arm.stepId,  # the control's own arm too: counted as one
                "abTestId": self.split.testId,
                "split": None,
            }
        )

    def arm_of_step(self, step_id: str) -> LivePage:
        """The arm that shows ``step_id`` (a form post names it in its token); the page itself
        when no arm does."""
        if self.split is None:
            return self
        index = next((n for n, arm in enumerate(self.split.arms) if arm.stepId == step_id), None)
        return self if index is None else self.arm(index)


class PageManifest(Record):
    groupId: str
    funnelId: str
    paths: list[str] = Field(default_factory=list)
    revision: int = 0
