"""Interactive elements: FAQ accordion, tabs, progress bar, quiz, calendar booking, live chat."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import (
    BaseModel,
    Field,
    model_validator,
)

from funnel_core.builder.models.elements.base import ElementModel, ElementType, provider_host_problems
from funnel_core.builder.models.elements.forms import ChoiceOption
from funnel_core.models.values import (
    ButtonText,
    FieldName,
    HexColor,
    HttpsUrl,
    duplicate_problems,
    problem,
    raise_problems,
)

# --- Interactive -----------------------------------------------------------------------------


class FaqItem(ElementModel):
    question: str = Field(min_length=1, max_length=300)
    answer: str = Field(min_length=1, max_length=5000)


class FaqAccordionSettings(ElementModel):
    items: list[FaqItem] = Field(min_length=1, max_length=50)
    allowMultipleOpen: bool = False
    expandFirst: bool = False


class Tab(ElementModel):
    title: str = Field(min_length=1, max_length=60)
    content: str = Field(min_length=1, max_length=10_000)


class TabsSettings(ElementModel):
    tabs: list[Tab] = Field(min_length=2, max_length=10)
    defaultTab: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _default_tab_exists(self) -> Self:
        if self.defaultTab >= len(self.tabs):
            message = f"must be the index of a tab, 0 to {len(self.tabs) - 1}"
            raise_problems(self, [problem(("defaultTab",), message, self.defaultTab)])
        return self


class ProgressBarSettings(ElementModel):
    percent: int = Field(ge=0, le=100)
    label: str | None = Field(default=None, max_length=100)
    color: HexColor | None = None
    showPercentage: bool = True
    animated: bool = True


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"


class QuizQuestion(ElementModel):
    name: FieldName
    question: str = Field(min_length=1, max_length=300)
    type: QuestionType = QuestionType.SINGLE_CHOICE
    options: list[ChoiceOption] = Field(min_length=2, max_length=20)
    required: bool = True

    @model_validator(mode="after")
    def _option_values_unique(self) -> Self:
        raise_problems(self, duplicate_problems("options", [option.value for option in self.options], "value"))
        return self


class QuizSurveySettings(ElementModel):
    title: str | None = Field(default=None, max_length=200)
    questions: list[QuizQuestion] = Field(min_length=1, max_length=50)
    submitText: ButtonText = "See my results"
    resultMessage: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _question_names_unique(self) -> Self:
        raise_problems(self, duplicate_problems("questions", [question.name for question in self.questions], "name"))
        return self


class BookingProvider(StrEnum):
    CALENDLY = "calendly"
    GOOGLE = "google"
    CUSTOM = "custom"


class CalendarBookingSettings(ElementModel):
    provider: BookingProvider
    url: HttpsUrl
    height: int = Field(default=700, ge=300, le=2000)

    @model_validator(mode="after")
    def _url_of_provider(self) -> Self:
        raise_problems(self, provider_host_problems(self.provider, self.url))
        return self


class ChatProvider(StrEnum):
    INTERCOM = "intercom"
    DRIFT = "drift"
    CRISP = "crisp"
    TAWK_TO = "tawk_to"
    HUBSPOT = "hubspot"
    ZENDESK = "zendesk"
    TIDIO = "tidio"


class ChatPosition(StrEnum):
    BOTTOM_RIGHT = "bottom_right"
    BOTTOM_LEFT = "bottom_left"


class LiveChatWidgetSettings(ElementModel):
    provider: ChatProvider
    widgetId: str = Field(pattern=r"^[A-Za-z0-9_\-:./]{1,128}$")
    position: ChatPosition = ChatPosition.BOTTOM_RIGHT
    greeting: str | None = Field(default=None, max_length=200)


SETTINGS: dict[ElementType, type[BaseModel]] = {
    ElementType.FAQ_ACCORDION: FaqAccordionSettings,
    ElementType.TABS: TabsSettings,
    ElementType.PROGRESS_BAR: ProgressBarSettings,
    ElementType.QUIZ_SURVEY: QuizSurveySettings,
    ElementType.CALENDAR_BOOKING: CalendarBookingSettings,
    ElementType.LIVE_CHAT_WIDGET: LiveChatWidgetSettings,
}
