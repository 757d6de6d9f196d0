"""Path and query parameters shared by the routes. Every id in a path reaches a DynamoDB key, so
it is checked against the one id pattern before any handler sees it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from funnel_core.models.common import ID_PATTERN

Limit = Annotated[int, Query(ge=1, le=100, description="Items per page (1-100).")]
Cursor = Annotated[str | None, Query(max_length=2048, description="The nextCursor of the previous page.")]


def _id(what: str) -> object:
    return Path(pattern=ID_PATTERN, description=f"The {what}'s id.", max_length=128)


GroupId = Annotated[str, _id("group")]
ThingId = Annotated[str, _id("thing")]
ConnectionId = Annotated[str, _id("connection")]
KnowledgeId = Annotated[str, _id("knowledge item")]
PersonId = Annotated[str, _id("person")]
FunnelId = Annotated[str, _id("funnel")]
StepId = Annotated[str, _id("step")]
ElementId = Annotated[str, _id("element")]
CustomCodeId = Annotated[str, _id("custom code")]
AbTestId = Annotated[str, _id("A/B test")]
ProductId = Annotated[str, _id("product")]
TemplateId = Annotated[str, _id("template")]
VersionNumber = Annotated[int, Path(ge=1, le=999_999, description="The published version's number.")]
# A report's range of days, both included, where the group is (``from`` is a Python keyword).
FromDay = Annotated[date | None, Query(alias="from", description="The first day (YYYY-MM-DD, the group's time zone).")]
ToDay = Annotated[date | None, Query(description="The last day, included (default: today).")]
