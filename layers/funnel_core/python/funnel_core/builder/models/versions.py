"""Published versions: frozen, numbered snapshots of a funnel, one of them live."""

from __future__ import annotations

from funnel_core.models.common import Record


class PublishedVersion(Record):
    """A frozen, numbered version of a funnel: what visitors are served while it is live."""

    funnelId: str
    groupId: str
    version: int
    publishedAt: str
    publishedBy: str
    stepCount: int
    elementCount: int
    bytes: int
    parts: int
    sha256: str


class VersionSummary(PublishedVersion):
    live: bool


class PublishResult(Record):
    version: int
    publishedAt: str
