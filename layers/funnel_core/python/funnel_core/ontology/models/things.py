"""Things: every entity of a group, with ``properties`` validated per type."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from funnel_core.models.common import Body, JsonObject, Name, Record, SnakeName


class ThingStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class SubmissionStatus(StrEnum):
    """A form submission's own states (SPEC): accepted, caught as spam, its email confirmed."""

    SUBMITTED = "submitted"
    SPAM = "spam"
    VERIFIED = "verified"


class ThingCreate(Body):
    type: SnakeName
    name: Name
    # Archiving is DELETE, so a thing is never born archived.
    status: ThingStatus = Field(default=ThingStatus.DRAFT, json_schema_extra={"not": {"const": "archived"}})
    properties: JsonObject = Field(default_factory=dict)


class ThingUpdate(Body):
    version: int = Field(ge=1)
    name: Name | None = None
    status: ThingStatus | None = None
    properties: JsonObject | None = None


class Thing(Record):
    thingId: str
    groupId: str
    type: str
    name: str
    status: ThingStatus | SubmissionStatus
    properties: dict[str, Any] = Field(default_factory=dict)
    version: int = 1
    createdAt: str
    updatedAt: str
    createdBy: str
    updatedBy: str
    # How many connections were made to or from the thing and not ended since: archiving it
    # looks for connections to end only when there are some. Kept by the store, never answered.
    connectionCount: int = Field(default=0, exclude=True)
