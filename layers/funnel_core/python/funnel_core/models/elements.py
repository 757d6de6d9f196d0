"""Page elements: the 37 element types of the builder and the ``settings`` each one takes.

An element's ``properties`` are its ``elementType``, its ``settings`` (validated per type by
``validate_element_settings``), ``styling`` and ``visibility``. The value types they share with
the rest of the builder (``HttpsUrl``, ``HexColor``, ``Price`` ...) are in ``values``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, Url

from funnel_core.models.common import Body, Id, JsonObject, StrictModel
from funnel_core.models.values import (
    AltText,
    ButtonText,
    Currency,
    FieldName,
    HexColor,
    HttpsUrl,
    Label,
    Pixels,
    Price,
    RedirectTarget,
    duplicate_problems,
    problem,
    raise_problems,
)

CANVAS_WIDTH = 1920


# Embeds from a named provider must point at that provider.
_PROVIDER_HOSTS: dict[str, tuple[str, ...]] = {
    "youtube": ("youtube.com", "youtu.be", "youtube-nocookie.com"),
    "vimeo": ("vimeo.com",),
    "wistia": ("wistia.com", "wistia.net", "wi.st"),
    "calendly": ("calendly.com",),
    "google": ("calendar.google.com", "calendar.app.google"),
    "instagram": ("instagram.com",),
    "facebook": ("facebook.com", "fb.com"),
    "x": ("x.com", "twitter.com"),
    "tiktok": ("tiktok.com",),
    "linkedin": ("linkedin.com",),
}


def _provider_host_problems(provider: str, url: str, field: str = "url") -> list[InitErrorDetails]:
    hosts = _PROVIDER_HOSTS.get(provider)
    host = Url(url).host or ""
    if hosts is None or any(host == allowed or host.endswith("." + allowed) for allowed in hosts):
        return []
    return [problem((field,), f"must be a {provider} URL ({', '.join(hosts)})", url)]


# --- Element types ---------------------------------------------------------------------------


class ElementType(StrEnum):
    HEADLINE = "headline"
    SUBHEADLINE = "subheadline"
    PARAGRAPH = "paragraph"
    BULLET_LIST = "bullet_list"
    TESTIMONIAL_TEXT = "testimonial_text"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO_PLAYER = "audio_player"
    IMAGE_GALLERY = "image_gallery"
    BACKGROUND_VIDEO = "background_video"
    INPUT_FIELD = "input_field"
    TEXTAREA = "textarea"
    SELECT_DROPDOWN = "select_dropdown"
    CHECKBOX = "checkbox"
    RADIO_BUTTONS = "radio_buttons"
    SUBMIT_BUTTON = "submit_button"
    MULTI_STEP_FORM = "multi_step_form"
    PRICING_TABLE = "pricing_table"
    BUY_BUTTON = "buy_button"
    PRODUCT_CARD = "product_card"
    CART_SUMMARY = "cart_summary"
    ORDER_BUMP_CHECKBOX = "order_bump_checkbox"
    COUPON_CODE_INPUT = "coupon_code_input"
    TESTIMONIAL_CARD = "testimonial_card"
    REVIEW_STARS = "review_stars"
    TRUST_BADGES = "trust_badges"
    SOCIAL_MEDIA_FEED = "social_media_feed"
    CUSTOMER_COUNT_TICKER = "customer_count_ticker"
    COUNTDOWN_TIMER = "countdown_timer"
    STOCK_COUNTER = "stock_counter"
    LIMITED_OFFER_BANNER = "limited_offer_banner"
    EXIT_INTENT_POPUP = "exit_intent_popup"
    FAQ_ACCORDION = "faq_accordion"
    TABS = "tabs"
    PROGRESS_BAR = "progress_bar"
    QUIZ_SURVEY = "quiz_survey"
    CALENDAR_BOOKING = "calendar_booking"
    LIVE_CHAT_WIDGET = "live_chat_widget"


class ElementCategory(StrEnum):
    TEXT = "text"
    MEDIA = "media"
    FORMS = "forms"
    COMMERCE = "commerce"
    SOCIAL_PROOF = "social_proof"
    URGENCY = "urgency"
    INTERACTIVE = "interactive"


_TYPES_BY_CATEGORY = {
    "text": "headline subheadline paragraph bullet_list testimonial_text",
    "media": "image video audio_player image_gallery background_video",
    "forms": "input_field textarea select_dropdown checkbox radio_buttons submit_button multi_step_form",
    "commerce": "pricing_table buy_button product_card cart_summary order_bump_checkbox coupon_code_input",
    "social_proof": "testimonial_card review_stars trust_badges social_media_feed customer_count_ticker",
    "urgency": "countdown_timer stock_counter limited_offer_banner exit_intent_popup",
    "interactive": "faq_accordion tabs progress_bar quiz_survey calendar_booking live_chat_widget",
}
ELEMENT_CATEGORY: dict[ElementType, ElementCategory] = {
    ElementType(name): ElementCategory(category)
    for category, names in _TYPES_BY_CATEGORY.items()
    for name in names.split()
}


# --- Text ------------------------------------------------------------------------------------


class Alignment(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


class HeadlineSettings(StrictModel):
    text: str = Field(min_length=1, max_length=255)
    level: int = Field(default=1, ge=1, le=6)
    alignment: Alignment = Alignment.CENTER


class SubheadlineSettings(StrictModel):
    text: str = Field(min_length=1, max_length=500)
    level: int = Field(default=2, ge=1, le=6)
    alignment: Alignment = Alignment.CENTER


class ParagraphSettings(StrictModel):
    text: str = Field(min_length=1, max_length=10_000)
    alignment: Alignment = Alignment.LEFT


class BulletIcon(StrEnum):
    CHECK = "check"
    DOT = "dot"
    ARROW = "arrow"
    STAR = "star"
    NUMBER = "number"


class BulletListSettings(StrictModel):
    items: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = Field(min_length=1, max_length=50)
    icon: BulletIcon = BulletIcon.CHECK
    iconColor: HexColor | None = None
    alignment: Alignment = Alignment.LEFT


class TestimonialTextSettings(StrictModel):
    quote: str = Field(min_length=1, max_length=2000)
    author: Label
    authorTitle: str | None = Field(default=None, max_length=200)
    alignment: Alignment = Alignment.CENTER


# --- Media -----------------------------------------------------------------------------------


class ImageRef(StrictModel):
    src: HttpsUrl
    alt: AltText


class ImageSettings(ImageRef):
    width: int | None = Field(default=None, ge=1, le=4000)
    height: int | None = Field(default=None, ge=1, le=4000)
    linkUrl: HttpsUrl | None = None


class VideoProvider(StrEnum):
    YOUTUBE = "youtube"
    VIMEO = "vimeo"
    WISTIA = "wistia"
    CUSTOM = "custom"


class VideoSettings(StrictModel):
    url: HttpsUrl
    provider: VideoProvider
    autoplay: bool = False
    muted: bool = False
    controls: bool = True
    thumbnailUrl: HttpsUrl | None = None

    @model_validator(mode="after")
    def _playable(self) -> Self:
        problems = _provider_host_problems(self.provider, self.url)
        if self.autoplay and not self.muted:
            problems.append(problem(("muted",), "must be true when autoplay is on: browsers block autoplay with sound"))
        raise_problems(self, problems)
        return self


class AudioPlayerSettings(StrictModel):
    url: HttpsUrl
    title: str | None = Field(default=None, max_length=200)
    autoplay: bool = False
    loop: bool = False
    showDownload: bool = False


class GalleryImage(ImageRef):
    caption: str | None = Field(default=None, max_length=300)


class GalleryLayout(StrEnum):
    GRID = "grid"
    CAROUSEL = "carousel"
    MASONRY = "masonry"


class ImageGallerySettings(StrictModel):
    images: list[GalleryImage] = Field(min_length=1, max_length=50)
    layout: GalleryLayout = GalleryLayout.GRID
    columns: int = Field(default=3, ge=1, le=6)
    lightbox: bool = True


class BackgroundVideoSettings(StrictModel):
    """Always muted and autoplaying, as a background must be."""

    url: HttpsUrl
    posterUrl: HttpsUrl | None = None
    overlayColor: HexColor | None = None
    overlayOpacity: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    loop: bool = True


# --- Forms -----------------------------------------------------------------------------------


class InputType(StrEnum):
    TEXT = "text"
    EMAIL = "email"
    TEL = "tel"
    NUMBER = "number"
    URL = "url"
    DATE = "date"


class InputFieldSettings(StrictModel):
    name: FieldName
    inputType: InputType = InputType.TEXT
    label: Label | None = None
    placeholder: str | None = Field(default=None, max_length=200)
    required: bool = False


class TextareaSettings(StrictModel):
    name: FieldName
    label: Label | None = None
    placeholder: str | None = Field(default=None, max_length=200)
    required: bool = False
    rows: int = Field(default=4, ge=2, le=20)
    maxLength: int | None = Field(default=None, ge=1, le=10_000)


class ChoiceOption(StrictModel):
    label: Label
    value: str = Field(min_length=1, max_length=200)


Options = Annotated[list[ChoiceOption], Field(min_length=1, max_length=50)]


class _ChoiceSettings(StrictModel):
    name: FieldName
    label: Label | None = None
    options: Options
    required: bool = False
    defaultValue: str | None = None

    @model_validator(mode="after")
    def _default_is_an_option(self) -> Self:
        values = [option.value for option in self.options]
        problems = duplicate_problems("options", values, "value")
        if self.defaultValue is not None and self.defaultValue not in values:
            problems.append(problem(("defaultValue",), "must be the value of one of the options", self.defaultValue))
        raise_problems(self, problems)
        return self


class SelectDropdownSettings(_ChoiceSettings):
    placeholder: str | None = Field(default=None, max_length=200)


class OptionsLayout(StrEnum):
    VERTICAL = "vertical"
    HORIZONTAL = "horizontal"


class RadioButtonsSettings(_ChoiceSettings):
    layout: OptionsLayout = OptionsLayout.VERTICAL


class CheckboxSettings(StrictModel):
    name: FieldName
    # The text beside the box, often a consent statement, so longer than a label.
    label: str = Field(min_length=1, max_length=500)
    required: bool = False
    checkedByDefault: bool = False


class ButtonAction(StrEnum):
    SUBMIT = "submit"
    RESET = "reset"
    BUTTON = "button"


class SubmitButtonSettings(StrictModel):
    text: ButtonText
    action: ButtonAction = ButtonAction.SUBMIT
    fullWidth: bool = False


class FormFieldType(StrEnum):
    TEXT = "text"
    EMAIL = "email"
    TEL = "tel"
    NUMBER = "number"
    SELECT = "select"
    CHECKBOX = "checkbox"
    TEXTAREA = "textarea"


class FormField(StrictModel):
    """A field of a step's form or of a multi-step form; ``options`` belong to selects only."""

    name: FieldName
    type: FormFieldType = FormFieldType.TEXT
    required: bool = False
    label: Label | None = None
    placeholder: str | None = Field(default=None, max_length=200)
    options: Options | None = None

    @model_validator(mode="after")
    def _options_only_for_select(self) -> Self:
        problems = []
        if self.type is FormFieldType.SELECT:
            if self.options is None:
                problems.append(problem(("options",), "required for a select field", kind="missing"))
            else:
                problems += duplicate_problems("options", [option.value for option in self.options], "value")
        elif self.options is not None:
            problems.append(problem(("options",), "only a select field has options"))
        raise_problems(self, problems)
        return self


class FormPage(StrictModel):
    title: str = Field(min_length=1, max_length=100)
    fields: list[FormField] = Field(min_length=1, max_length=20)


class MultiStepFormSettings(StrictModel):
    steps: list[FormPage] = Field(min_length=2, max_length=10)
    nextText: ButtonText = "Next"
    backText: ButtonText = "Back"
    submitText: ButtonText = "Submit"
    showProgress: bool = True

    @model_validator(mode="after")
    def _field_names_unique_across_steps(self) -> Self:
        seen: set[str] = set()
        problems = []
        for step_index, step in enumerate(self.steps):
            for field_index, form_field in enumerate(step.fields):
                if form_field.name in seen:
                    loc = ("steps", step_index, "fields", field_index, "name")
                    problems.append(problem(loc, "must be unique in the form", form_field.name))
                seen.add(form_field.name)
        raise_problems(self, problems)
        return self


# --- Commerce --------------------------------------------------------------------------------


class BillingPeriod(StrEnum):
    ONE_TIME = "one_time"
    MONTH = "month"
    YEAR = "year"


class PricingFeature(StrictModel):
    text: str = Field(min_length=1, max_length=200)
    included: bool = True


class PricingColumn(StrictModel):
    name: str = Field(min_length=1, max_length=100)
    price: Price
    currency: Currency
    billingPeriod: BillingPeriod = BillingPeriod.ONE_TIME
    features: list[PricingFeature] = Field(default_factory=list, max_length=30)
    buttonText: ButtonText = "Get started"
    highlighted: bool = False
    productId: Id | None = None


class PricingTableSettings(StrictModel):
    columns: list[PricingColumn] = Field(min_length=1, max_length=6)


class BuyButtonSettings(StrictModel):
    text: ButtonText
    # Without one, the button buys the product of the step it is on.
    productId: Id | None = None
    quantity: int = Field(default=1, ge=1, le=100)
    subtext: str | None = Field(default=None, max_length=200)


class ProductCardSettings(StrictModel):
    name: Label
    description: str | None = Field(default=None, max_length=2000)
    imageUrl: HttpsUrl | None = None
    price: Price
    compareAtPrice: Price | None = None
    currency: Currency
    buttonText: ButtonText = "Buy now"
    productId: Id | None = None

    @model_validator(mode="after")
    def _compare_at_price_is_higher(self) -> Self:
        if self.compareAtPrice is not None and self.compareAtPrice <= self.price:
            raise_problems(self, [problem(("compareAtPrice",), "must be higher than price", self.compareAtPrice)])
        return self


class CartSummarySettings(StrictModel):
    title: str = Field(default="Order summary", min_length=1, max_length=100)
    showTax: bool = True
    showShipping: bool = True
    showDiscounts: bool = True


class OrderBumpCheckboxSettings(StrictModel):
    headline: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=1000)
    price: Price
    currency: Currency
    productId: Id | None = None
    checkedByDefault: bool = False


class CouponCodeInputSettings(StrictModel):
    placeholder: str = Field(default="Coupon code", min_length=1, max_length=100)
    buttonText: ButtonText = "Apply"
    successMessage: str | None = Field(default=None, max_length=200)
    errorMessage: str | None = Field(default=None, max_length=200)


# --- Social proof ----------------------------------------------------------------------------


class TestimonialCardSettings(StrictModel):
    quote: str = Field(min_length=1, max_length=2000)
    authorName: Label
    authorTitle: str | None = Field(default=None, max_length=200)
    avatarUrl: HttpsUrl | None = None
    rating: int | None = Field(default=None, ge=1, le=5)


class ReviewStarsSettings(StrictModel):
    rating: float = Field(ge=0, le=5, allow_inf_nan=False)
    reviewCount: int | None = Field(default=None, ge=0, le=1_000_000_000)
    showCount: bool = True
    starColor: HexColor | None = None


class TrustBadgesSettings(StrictModel):
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


class SocialMediaFeedSettings(StrictModel):
    platform: SocialPlatform
    profileUrl: HttpsUrl
    postCount: int = Field(default=6, ge=1, le=24)
    layout: GalleryLayout = GalleryLayout.GRID

    @model_validator(mode="after")
    def _profile_on_platform(self) -> Self:
        raise_problems(self, _provider_host_problems(self.platform, self.profileUrl, "profileUrl"))
        return self


class CustomerCountTickerSettings(StrictModel):
    count: int = Field(ge=0, le=1_000_000_000_000)
    label: str = Field(min_length=1, max_length=100)
    prefix: str | None = Field(default=None, max_length=10)
    suffix: str | None = Field(default=None, max_length=10)
    animate: bool = True


# --- Urgency ---------------------------------------------------------------------------------


class TimerFormat(StrEnum):
    DAYS = "dd:hh:mm:ss"
    HOURS = "hh:mm:ss"
    MINUTES = "mm:ss"


class OnExpire(StrEnum):
    HIDE = "hide"
    SHOW_MESSAGE = "show-message"
    REDIRECT = "redirect"


class CountdownTimerSettings(StrictModel):
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


class StockCounterSettings(StrictModel):
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


class LimitedOfferBannerSettings(StrictModel):
    text: str = Field(min_length=1, max_length=255)
    position: BannerPosition = BannerPosition.TOP
    sticky: bool = True
    dismissible: bool = False
    backgroundColor: HexColor | None = None
    textColor: HexColor | None = None
    # The banner hides itself once the offer ends.
    endTime: AwareDatetime | None = None


class ExitIntentPopupSettings(StrictModel):
    headline: str = Field(min_length=1, max_length=255)
    body: str | None = Field(default=None, max_length=2000)
    imageUrl: HttpsUrl | None = None
    ctaText: ButtonText
    # Without one, the call to action closes the popup.
    ctaUrl: RedirectTarget | None = None
    dismissText: ButtonText = "No thanks"
    delaySeconds: int = Field(default=0, ge=0, le=600)
    showOncePerVisitor: bool = True


# --- Interactive -----------------------------------------------------------------------------


class FaqItem(StrictModel):
    question: str = Field(min_length=1, max_length=300)
    answer: str = Field(min_length=1, max_length=5000)


class FaqAccordionSettings(StrictModel):
    items: list[FaqItem] = Field(min_length=1, max_length=50)
    allowMultipleOpen: bool = False
    expandFirst: bool = False


class Tab(StrictModel):
    title: str = Field(min_length=1, max_length=60)
    content: str = Field(min_length=1, max_length=10_000)


class TabsSettings(StrictModel):
    tabs: list[Tab] = Field(min_length=2, max_length=10)
    defaultTab: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _default_tab_exists(self) -> Self:
        if self.defaultTab >= len(self.tabs):
            message = f"must be the index of a tab, 0 to {len(self.tabs) - 1}"
            raise_problems(self, [problem(("defaultTab",), message, self.defaultTab)])
        return self


class ProgressBarSettings(StrictModel):
    percent: int = Field(ge=0, le=100)
    label: str | None = Field(default=None, max_length=100)
    color: HexColor | None = None
    showPercentage: bool = True
    animated: bool = True


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"


class QuizQuestion(StrictModel):
    name: FieldName
    question: str = Field(min_length=1, max_length=300)
    type: QuestionType = QuestionType.SINGLE_CHOICE
    options: list[ChoiceOption] = Field(min_length=2, max_length=20)
    required: bool = True

    @model_validator(mode="after")
    def _option_values_unique(self) -> Self:
        raise_problems(self, duplicate_problems("options", [option.value for option in self.options], "value"))
        return self


class QuizSurveySettings(StrictModel):
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


class CalendarBookingSettings(StrictModel):
    provider: BookingProvider
    url: HttpsUrl
    height: int = Field(default=700, ge=300, le=2000)

    @model_validator(mode="after")
    def _url_of_provider(self) -> Self:
        raise_problems(self, _provider_host_problems(self.provider, self.url))
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


class LiveChatWidgetSettings(StrictModel):
    provider: ChatProvider
    widgetId: str = Field(pattern=r"^[A-Za-z0-9_\-:./]{1,128}$")
    position: ChatPosition = ChatPosition.BOTTOM_RIGHT
    greeting: str | None = Field(default=None, max_length=200)


SETTINGS_MODELS: dict[ElementType, type[BaseModel]] = {
    ElementType.HEADLINE: HeadlineSettings,
    ElementType.SUBHEADLINE: SubheadlineSettings,
    ElementType.PARAGRAPH: ParagraphSettings,
    ElementType.BULLET_LIST: BulletListSettings,
    ElementType.TESTIMONIAL_TEXT: TestimonialTextSettings,
    ElementType.IMAGE: ImageSettings,
    ElementType.VIDEO: VideoSettings,
    ElementType.AUDIO_PLAYER: AudioPlayerSettings,
    ElementType.IMAGE_GALLERY: ImageGallerySettings,
    ElementType.BACKGROUND_VIDEO: BackgroundVideoSettings,
    ElementType.INPUT_FIELD: InputFieldSettings,
    ElementType.TEXTAREA: TextareaSettings,
    ElementType.SELECT_DROPDOWN: SelectDropdownSettings,
    ElementType.CHECKBOX: CheckboxSettings,
    ElementType.RADIO_BUTTONS: RadioButtonsSettings,
    ElementType.SUBMIT_BUTTON: SubmitButtonSettings,
    ElementType.MULTI_STEP_FORM: MultiStepFormSettings,
    ElementType.PRICING_TABLE: PricingTableSettings,
    ElementType.BUY_BUTTON: BuyButtonSettings,
    ElementType.PRODUCT_CARD: ProductCardSettings,
    ElementType.CART_SUMMARY: CartSummarySettings,
    ElementType.ORDER_BUMP_CHECKBOX: OrderBumpCheckboxSettings,
    ElementType.COUPON_CODE_INPUT: CouponCodeInputSettings,
    ElementType.TESTIMONIAL_CARD: TestimonialCardSettings,
    ElementType.REVIEW_STARS: ReviewStarsSettings,
    ElementType.TRUST_BADGES: TrustBadgesSettings,
    ElementType.SOCIAL_MEDIA_FEED: SocialMediaFeedSettings,
    ElementType.CUSTOMER_COUNT_TICKER: CustomerCountTickerSettings,
    ElementType.COUNTDOWN_TIMER: CountdownTimerSettings,
    ElementType.STOCK_COUNTER: StockCounterSettings,
    ElementType.LIMITED_OFFER_BANNER: LimitedOfferBannerSettings,
    ElementType.EXIT_INTENT_POPUP: ExitIntentPopupSettings,
    ElementType.FAQ_ACCORDION: FaqAccordionSettings,
    ElementType.TABS: TabsSettings,
    ElementType.PROGRESS_BAR: ProgressBarSettings,
    ElementType.QUIZ_SURVEY: QuizSurveySettings,
    ElementType.CALENDAR_BOOKING: CalendarBookingSettings,
    ElementType.LIVE_CHAT_WIDGET: LiveChatWidgetSettings,
}


def validate_element_settings(element_type: str, settings: JsonObject) -> JsonObject:
    """The settings of an element type, normalized and JSON-ready.

    Raises pydantic's ValidationError with locations relative to ``settings``, and ValueError
    for a type that is not an ``ElementType``.
    """
    model = SETTINGS_MODELS[ElementType(element_type)]
    return model.model_validate(settings).model_dump(mode="json", exclude_none=True)


# --- Styling, visibility, layout box ---------------------------------------------------------


class BoxSpacing(StrictModel):
    top: Pixels = 0
    right: Pixels = 0
    bottom: Pixels = 0
    left: Pixels = 0


FontWeight = Literal[100, 200, 300, 400, 500, 600, 700, 800, 900]


class ElementStyling(StrictModel):
    margin: BoxSpacing | None = None
    padding: BoxSpacing | None = None
    textColor: HexColor | None = None
    backgroundColor: HexColor | None = None
    borderColor: HexColor | None = None
    borderWidth: int | None = Field(default=None, ge=0, le=50)
    borderRadius: Pixels | None = None
    fontSize: int | None = Field(default=None, ge=8, le=144)
    fontWeight: FontWeight | None = None
    customClass: str | None = Field(default=None, pattern=r"^-?[_A-Za-z][_A-Za-z0-9-]{0,63}$")


class ElementVisibility(StrictModel):
    mobile: bool = True
    tablet: bool = True
    desktop: bool = True


class ElementPosition(StrictModel):
    """The optional layout box on the canvas; the order within the step is kept elsewhere."""

    x: int | None = Field(default=None, ge=0, le=CANVAS_WIDTH)
    y: int | None = Field(default=None, ge=0, le=100_000)
    width: int | None = Field(default=None, ge=1, le=CANVAS_WIDTH)
    height: int | None = Field(default=None, ge=1, le=100_000)
    zIndex: int | None = Field(default=None, ge=0, le=999)

    @model_validator(mode="after")
    def _inside_the_canvas(self) -> Self:
        if self.x is not None and self.width is not None and self.x + self.width > CANVAS_WIDTH:
            message = f"x + width must be at most {CANVAS_WIDTH}, the canvas width"
            raise_problems(self, [problem(("width",), message, self.width)])
        return self


# --- Request bodies --------------------------------------------------------------------------


class ElementCreate(Body):
    elementType: ElementType
    settings: JsonObject
    styling: ElementStyling = Field(default_factory=ElementStyling)
    visibility: ElementVisibility = Field(default_factory=ElementVisibility)
    position: ElementPosition | None = None

    @field_validator("settings")
    @classmethod
    def _settings_of_the_type(cls, settings: JsonObject, info: ValidationInfo) -> JsonObject:
        element_type = info.data.get("elementType")
        if element_type is None:  # already reported as invalid
            return settings
        return validate_element_settings(element_type, settings)


class ElementUpdate(Body):
    """``settings`` are validated against the element's stored type by the caller."""

    version: int = Field(ge=1)
    settings: JsonObject | None = None
    styling: ElementStyling | None = None
    visibility: ElementVisibility | None = None
    position: ElementPosition | None = None
