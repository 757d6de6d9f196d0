"""Social proof elements: testimonial card, review stars, trust badges, social feed, customer ticker."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import (
    BaseModel,
    Field,
    model_validator,
)

from funnel_core.builder.models.elements.base import ElementModel, ElementType, provider_host_problems
from funnel_core.builder.models.elements.media import GalleryLayout, ImageRef
from funnel_core.models.values import (
    HexColor,
    HttpsUrl,
    Label,
    raise_problems,
)

# --- Social proof ----------------------------------------------------------------------------


class TestimonialCardSettings(ElementModel):
    quote: str = Field(min_length=1, max_length=2000)
    authorName: Label
    authorTitle: str | None = Field(default=None, max_length=200)
    avatarUrl: HttpsUrl | None = None
    rating: int | None = Field(default=None, ge=1, le=5)


class ReviewStarsSettings(ElementModel):
    rating: float = Field(ge=0, le=5, allow_inf_nan=False)
    reviewCount: int | None = Field(default=None, ge=0, le=1_000_000_000)
    showCount: bool = True
    starColor: HexColor | None = None


class TrustBadgesSettings(ElementModel):
    badges: list[ImageRef] = Field(min_length=1, max_length=12)
    title: str | None = Field(default=None, max_length=100)
    grayscale: bool = False


class SocialPlatform(StrEnum):
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    X = "x"
    TIKTOK = "tiktok"
    LINKEDIN = "linkedin"
    YOUTUBE = "youtube"


class SocialMediaFeedSettings(ElementModel):
    platform: SocialPlatform
    profileUrl: HttpsUrl
    postCount: int = Field(default=6, ge=1, le=24)
    layout: GalleryLayout = GalleryLayout.GRID

    @model_validator(mode="after")
    def _profile_on_platform(self) -> Self:
        raise_problems(self, provider_host_problems(self.platform, self.profileUrl, "profileUrl"))
        return self


class CustomerCountTickerSettings(ElementModel):
    count: int = Field(ge=0, le=1_000_000_000_000)
    label: str = Field(min_length=1, max_length=100)
    prefix: str | None = Field(default=None, max_length=10)
    suffix: str | None = Field(default=None, max_length=10)
    animate: bool = True


SETTINGS: dict[ElementType, type[BaseModel]] = {
    ElementType.TESTIMONIAL_CARD: TestimonialCardSettings,
    ElementType.REVIEW_STARS: ReviewStarsSettings,
    ElementType.TRUST_BADGES: TrustBadgesSettings,
    ElementType.SOCIAL_MEDIA_FEED: SocialMediaFeedSettings,
    ElementType.CUSTOMER_COUNT_TICKER: CustomerCountTickerSettings,
}
