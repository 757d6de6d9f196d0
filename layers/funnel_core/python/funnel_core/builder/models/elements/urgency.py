"""Urgency elements: countdown timer, stock counter, limited-offer banner, exit-intent popup."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    Field,
    model_validator,
)

from funnel_core.builder.models.elements.base import ElementModel, ElementType
from funnel_core.models.values import (
    ButtonText,
    HexColor,
    HttpsUrl,
    RedirectTarget,
    problem,
    raise_problems,
)

# --- Urgency ---------------------------------------------------------------------------------


class TimerFormat(StrEnum):
    DAYS = "dd:hh:mm:ss"
    HOURS = "hh:mm:ss"
    MINUTES = "mm:ss"


class OnExpire(StrEnum):
    HIDE = "hide"
    SHOW_MESSAGE = "show-message"
    REDIRECT = "redirect"


class CountdownTimerSettings(ElementModel):
    endTime: AwareDatetime
    format: TimerFormat = TimerFormat.DAYS
    onExpire: OnExpire = OnExpire.HIDE
    expireMessage: str | None = Field(default=None, min_length=1, max_length=500)
    expireRedirectUrl: RedirectTarget | None = None

    @model_validator(mode="after")
    def _expiry_has_what_it_needs(self) -> Self:
        problems = []
        if self.onExpire is OnExpire.SHOW_MESSAGE and self.expireMessage is None:
            problems.append(problem(("expireMessage",), "required when onExpire is show-message", kind="missing"))
        if self.onExpire is OnExpire.REDIRECT and self.expireRedirectUrl is None:
            problems.append(problem(("expireRedirectUrl",), "required when onExpire is redirect", kind="missing"))
        raise_problems(self, problems)
        return self


class StockCounterSettings(ElementModel):
    remaining: int = Field(ge=0, le=1_000_000)
    total: int | None = Field(default=None, ge=1, le=1_000_000)
    label: str = Field(default="left in stock", min_length=1, max_length=100)
    showBar: bool = True
    barColor: HexColor | None = None

    @model_validator(mode="after")
    def _remaining_within_total(self) -> Self:
        if self.total is not None and self.remaining > self.total:
            raise_problems(self, [problem(("remaining",), "must be at most total", self.remaining)])
        return self


class BannerPosition(StrEnum):
    TOP = "top"
    BOTTOM = "bottom"


class LimitedOfferBannerSettings(ElementModel):
    text: str = Field(min_length=1, max_length=255)
    position: BannerPosition = BannerPosition.TOP
    sticky: bool = True
    dismissible: bool = False
    backgroundColor: HexColor | None = None
    textColor: HexColor | None = None
    # The banner hides itself once the offer ends.
    endTime: AwareDatetime | None = None


class ExitIntentPopupSettings(ElementModel):
    headline: str = Field(min_length=1, max_length=255)
    body: str | None = Field(default=None, max_length=2000)
    imageUrl: HttpsUrl | None = None
    ctaText: ButtonText
    # Without one, the call to action closes the popup.
    ctaUrl: RedirectTarget | None = None
    dismissText: ButtonText = "No thanks"
    delaySeconds: int = Field(default=0, ge=0, le=600)
    showOncePerVisitor: bool = True


SETTINGS: dict[ElementType, type[BaseModel]] = {
    ElementType.COUNTDOWN_TIMER: CountdownTimerSettings,
    ElementType.STOCK_COUNTER: StockCounterSettings,
    ElementType.LIMITED_OFFER_BANNER: LimitedOfferBannerSettings,
    ElementType.EXIT_INTENT_POPUP: ExitIntentPopupSettings,
}
