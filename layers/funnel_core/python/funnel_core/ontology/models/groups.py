"""Groups: the tenants. They nest without limit through ``parentGroupId``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from funnel_core.models.common import Body, Id, Name, Record, Slug
from funnel_core.models.json import storable_problems


class GroupType(StrEnum):
    ORGANIZATION = "organization"
    BUSINESS = "business"
    TEAM = "team"
    PROJECT = "project"
    COMMUNITY = "community"


class GroupStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


class GroupLimits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    maxFunnels: int = Field(default=100, ge=0, le=100_000)
    maxStepsPerFunnel: int = Field(default=50, ge=1, le=50)
    maxElementsPerStep: int = Field(default=100, ge=1, le=100)
    monthlyFormSubmissions: int = Field(default=10_000, ge=0, le=100_000_000)


def _known_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not an IANA time zone, like Europe/Paris or America/New_York") from None
    return name


# An IANA time zone name: the group's analytics days run midnight to midnight there.
TimeZone = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_known_time_zone)]


class GroupSettings(BaseModel):
    """Known settings are typed; other keys are kept as the client sent them."""

    model_config = ConfigDict(extra="allow")

    limits: GroupLimits = Field(default_factory=GroupLimits)
    timezone: TimeZone = "UTC"

    @model_validator(mode="after")
    def _others_storable(self) -> GroupSettings:
        problems = storable_problems(self.model_extra or {})
        if problems:
            raise ValidationError.from_exception_data(type(self).__name__, problems)
        return self


Description = Annotated[str, StringConstraints(max_length=2000)]


class GroupCreate(Body):
    name: Name
    slug: Slug | None = None
    type: GroupType
    parentGroupId: Id | None = None
    description: Description | None = None
    settings: GroupSettings = Field(default_factory=GroupSettings)


class GroupUpdate(Body):
    version: int = Field(ge=1)
    name: Name | None = None
    slug: Slug | None = None
    type: GroupType | None = None
    description: Description | None = None
    settings: GroupSettings | None = None
    # Archiving is DELETE; these are the states an owner moves a group between.
    status: GroupStatus | None = None


class Group(Record):
    groupId: str
    name: str
    slug: str
    type: GroupType
    parentGroupId: str | None = None
    # Ids from the root down to the parent. A group never moves, so this never changes.
    ancestorIds: list[str] = Field(default_factory=list)
    description: str | None = None
    settings: GroupSettings = Field(default_factory=GroupSettings)
    status: GroupStatus = GroupStatus.ACTIVE
    # Kept by the changes that move them (members, funnels), never by a group edit.
    ownerCount: int = 0
    funnelCount: int = 0
    version: int = 1
    createdAt: str
    updatedAt: str
    createdBy: str
