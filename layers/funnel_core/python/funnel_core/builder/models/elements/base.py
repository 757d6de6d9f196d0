"""What every element family shares: the element types, their families, embed providers."""

from __future__ import annotations

from enum import StrEnum

from pydantic import ConfigDict
from pydantic_core import InitErrorDetails, Url

from funnel_core.models.common import StrictModel
from funnel_core.models.values import problem

CANVAS_WIDTH = 1920


class ElementModel(StrictModel):
    """An element's settings, or a part of them. Built on first use, not on import: a route
    meets a few element types, and the 38 models together take long to build."""

    model_config = ConfigDict(defer_build=True)


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


def provider_host_problems(provider: str, url: str, field: str = "url") -> list[InitErrorDetails]:
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
