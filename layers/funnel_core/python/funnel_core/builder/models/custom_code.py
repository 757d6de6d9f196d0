"""Custom code: HTML a group's owner adds to a funnel's pages (a tracking pixel, a chat snippet),
in the head or at the end of the body, on every step or on one. It goes live with the next
publish, frozen in the version like everything else."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from funnel_core.models.common import Body, Id, Name, Record

# A snippet, not a page: DynamoDB's 400 KB item holds it many times over.
MAX_HTML = 50_000
CodeHtml = Annotated[str, StringConstraints(min_length=1, max_length=MAX_HTML)]


class CodePlacement(StrEnum):
    HEAD = "head"
    BODY_END = "body_end"


class CustomCodeCreate(Body):
    name: Name
    placement: CodePlacement
    html: CodeHtml
    # Only on this step of the funnel; every step without one.
    stepId: Id | None = None


class CustomCodeUpdate(Body):
    version: int = Field(ge=1)
    name: Name | None = None
    placement: CodePlacement | None = None
    html: CodeHtml | None = None
    stepId: Id | None = Field(default=None, description="A step of the funnel; null for every step")


class CustomCode(Record):
    customCodeId: str
    thingId: str
    groupId: str
    funnelId: str
    type: str = "custom_code"
    name: str
    placement: CodePlacement
    html: str
    stepId: str | None = None
    status: str = "active"
    version: int = 1
    createdAt: str
    updatedAt: str
    createdBy: str
    updatedBy: str
