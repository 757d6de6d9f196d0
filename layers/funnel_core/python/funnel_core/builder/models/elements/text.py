"""Text elements: headline, subheadline, paragraph, bullet list, testimonial text."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
)

from funnel_core.builder.models.elements.base import ElementModel, ElementType
from funnel_core.models.values import (
    HexColor,
    Label,
)

# --- Text ------------------------------------------------------------------------------------


class Alignment(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


class HeadlineSettings(ElementModel):
    text: str = Field(min_length=1, max_length=255)
    level: int = Field(default=1, ge=1, le=6)
    alignment: Alignment = Alignment.CENTER


class SubheadlineSettings(ElementModel):
    text: str = Field(min_length=1, max_length=500)
    level: int = Field(default=2, ge=1, le=6)
    alignment: Alignment = Alignment.CENTER


class ParagraphSettings(ElementModel):
    text: str = Field(min_length=1, max_length=10_000)
    alignment: Alignment = Alignment.LEFT


class BulletIcon(StrEnum):
    CHECK = "check"
    DOT = "dot"
    ARROW = "arrow"
    STAR = "star"
    NUMBER = "number"


class BulletListSettings(ElementModel):
    items: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = Field(min_length=1, max_length=50)
    icon: BulletIcon = BulletIcon.CHECK
    iconColor: HexColor | None = None
    alignment: Alignment = Alignment.LEFT


class TestimonialTextSettings(ElementModel):
    quote: str = Field(min_length=1, max_length=2000)
    author: Label
    authorTitle: str | None = Field(default=None, max_length=200)
    alignment: Alignment = Alignment.CENTER


SETTINGS: dict[ElementType, type[BaseModel]] = {
    ElementType.HEADLINE: HeadlineSettings,
    ElementType.SUBHEADLINE: SubheadlineSettings,
    ElementType.PARAGRAPH: ParagraphSettings,
    ElementType.BULLET_LIST: BulletListSettings,
    ElementType.TESTIMONIAL_TEXT: TestimonialTextSettings,
}
