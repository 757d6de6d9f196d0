"""Funnels: their request bodies and the ``properties`` of a ``funnel``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import (
    Field,
    StringConstraints,
    field_validator,
)

from funnel_core.models.common import Body, Id, Name, Slug, StrictModel
from funnel_core.models.values import (
    HexColor,
    HttpsUrl,
)

# --- Funnel ----------------------------------------------------------------------------------


class FunnelCategory(StrEnum):
    LEAD_GEN = "lead-gen"
    ECOMMERCE = "ecommerce"
    WEBINAR = "webinar"
    MEMBERSHIP = "membership"
    CUSTOM = "custom"


class ConversionGoal(StrEnum):
    EMAIL_CAPTURE = "email_capture"
    PURCHASE = "purchase"
    BOOKING = "booking"
    REGISTRATION = "registration"


class Tracking(StrictModel):
    enableUtm: bool = True
    facebookPixelId: str | None = Field(default=None, pattern=r"^[0-9]{5,20}$")
    googleAnalyticsId: str | None = Field(default=None, pattern=r"^(?:G-[A-Z0-9]{4,12}|UA-[0-9]{4,10}-[0-9]{1,4})$")


class Seo(StrictModel):
    metaTitle: str | None = Field(default=None, max_length=70)
    metaDescription: str | None = Field(default=None, max_length=160)
    ogImage: HttpsUrl | None = None


# Written into the page's CSS, so no quotes-breaking or rule-ending characters.
FontFamily = Annotated[str, StringConstraints(max_length=100, pattern=r"^[A-Za-z0-9 ,\-]+$")]


class Branding(StrictModel):
    logoUrl: HttpsUrl | None = None
    primaryColor: HexColor | None = None
    secondaryColor: HexColor | None = None
    fontFamily: FontFamily | None = None


Tag = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class FunnelProperties(StrictModel):
    description: str | None = Field(default=None, max_length=2000)
    category: FunnelCategory = FunnelCategory.CUSTOM
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    conversionGoal: ConversionGoal | None = None
    tracking: Tracking = Field(default_factory=Tracking)
    seo: Seo = Field(default_factory=Seo)
    branding: Branding = Field(default_factory=Branding)

    @field_validator("tags")
    @classmethod
    def _tags_once(cls, tags: list[str]) -> list[str]:
        """Repeats, in any letter case, are dropped; the first spelling stays."""
        first: dict[str, str] = {}
        for tag in tags:
            first.setdefault(tag.casefold(), tag)
        return list(first.values())


class FunnelCreate(Body):
    name: Name
    slug: Slug | None = None
    properties: FunnelProperties = Field(default_factory=FunnelProperties)
    templateId: Id | None = None


class FunnelUpdate(Body):
    version: int = Field(ge=1)
    name: Name | None = None
    slug: Slug | None = None
    properties: FunnelProperties | None = None
