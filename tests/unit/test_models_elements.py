"""Page elements: every element type has settings, validated per type with errors at the exact field."""

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from funnel_core.builder.models.elements import (
    ELEMENT_CATEGORY,
    SETTINGS_MODELS,
    ElementCategory,
    ElementCreate,
    ElementLayout,
    ElementStyling,
    ElementType,
    ElementUpdate,
    ElementVisibility,
    validate_element_settings,
)
from local.samples.elements import ELEMENT_EXAMPLES

# The element types as SPEC section 2 lists them, by category. SPEC calls them "the 37 element
# types" but lists 38; the list is what is built.
SPEC_ELEMENT_TYPES = {
    "text": ["headline", "subheadline", "paragraph", "bullet_list", "testimonial_text"],
    "media": ["image", "video", "audio_player", "image_gallery", "background_video"],
    "forms": [
        "input_field",
        "textarea",
        "select_dropdown",
        "checkbox",
        "radio_buttons",
        "submit_button",
        "multi_step_form",
    ],
    "commerce": [
        "pricing_table",
        "buy_button",
        "product_card",
        "cart_summary",
        "order_bump_checkbox",
        "coupon_code_input",
    ],
    "social_proof": [
        "testimonial_card",
        "review_stars",
        "trust_badges",
        "social_media_feed",
        "customer_count_ticker",
    ],
    "urgency": ["countdown_timer", "stock_counter", "limited_offer_banner", "exit_intent_popup"],
    "interactive": ["faq_accordion", "tabs", "progress_bar", "quiz_survey", "calendar_booking", "live_chat_widget"],
}


def error_locs(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [tuple(error["loc"]) for error in caught.value.errors()]


def element(element_type: str, **changes: Any) -> dict[str, Any]:
    return {"elementType": element_type, "settings": {**ELEMENT_EXAMPLES[element_type], **changes}}


def test_the_element_types_are_those_of_the_spec_in_their_categories():
    listed = {name: category for category, names in SPEC_ELEMENT_TYPES.items() for name in names}

    assert {str(t) for t in ElementType} == set(listed)
    assert {str(t): str(c) for t, c in ELEMENT_CATEGORY.items()} == listed
    assert {str(c) for c in ElementCategory} == set(SPEC_ELEMENT_TYPES)


def test_every_element_type_has_a_settings_model_and_an_example():
    assert set(SETTINGS_MODELS) == set(ElementType)
    assert set(ELEMENT_EXAMPLES) == {str(t) for t in ElementType}


@pytest.mark.parametrize("element_type", sorted(ELEMENT_EXAMPLES))
def test_the_example_of_each_type_is_valid_and_normalizes_to_stable_json(element_type):
    settings = validate_element_settings(element_type, ELEMENT_EXAMPLES[element_type])

    assert json.loads(json.dumps(settings)) == settings
    assert validate_element_settings(element_type, settings) == settings


@pytest.mark.parametrize("element_type", sorted(ELEMENT_EXAMPLES))
def test_an_element_create_body_carries_the_normalized_settings(element_type):
    body = ElementCreate.model_validate(element(element_type))

    assert body.settings == validate_element_settings(element_type, ELEMENT_EXAMPLES[element_type])
    assert body.visibility == ElementVisibility(mobile=True, tablet=True, desktop=True)


def test_normalizing_fills_defaults_and_keeps_prices_as_json_numbers():
    headline = validate_element_settings("headline", {"text": "Free Masterclass"})
    card = validate_element_settings("product_card", ELEMENT_EXAMPLES["product_card"])

    assert headline == {"text": "Free Masterclass", "level": 1, "alignment": "center"}
    assert card["price"] == 7.95
    assert card["compareAtPrice"] == 29.95


def test_a_countdown_may_redirect_to_a_path_or_show_a_message():
    redirect = validate_element_settings(
        "countdown_timer",
        {"endTime": "2030-01-01T00:00:00+01:00", "onExpire": "redirect", "expireRedirectUrl": "/next"},
    )
    message = validate_element_settings(
        "countdown_timer",
        {"endTime": "2030-01-01T00:00:00Z", "onExpire": "show-message", "expireMessage": "This offer has ended."},
    )

    assert redirect["expireRedirectUrl"] == "/next"
    assert message["expireMessage"] == "This offer has ended."


INVALID_SETTINGS = [
    # text lengths and levels
    pytest.param("headline", {"text": "x" * 256}, ("text",), id="headline-too-long"),
    pytest.param("headline", {"text": "   "}, ("text",), id="headline-blank"),
    pytest.param("headline", {"level": 7}, ("level",), id="headline-level-7"),
    pytest.param("headline", {"level": 0}, ("level",), id="headline-level-0"),
    pytest.param("headline", {"alignment": "middle"}, ("alignment",), id="headline-bad-alignment"),
    pytest.param("headline", {"fontSize": 48}, ("fontSize",), id="unknown-field"),
    pytest.param("bullet_list", {"items": []}, ("items",), id="bullet-list-empty"),
    pytest.param("bullet_list", {"items": ["ok", "y" * 501]}, ("items", 1), id="bullet-too-long"),
    # URLs
    pytest.param("image", {"src": "http://cdn.example.com/a.png"}, ("src",), id="image-http"),
    pytest.param("image", {"src": "https://"}, ("src",), id="image-no-host"),
    pytest.param("image", {"src": "/images/a.png"}, ("src",), id="image-relative"),
    pytest.param("image", {"alt": "a" * 301}, ("alt",), id="image-alt-too-long"),
    pytest.param("image", {"linkUrl": "javascript:alert(1)"}, ("linkUrl",), id="image-link-javascript"),
    pytest.param("image", {"width": 0}, ("width",), id="image-width-0"),
    pytest.param("video", {"provider": "vimeo"}, ("url",), id="video-url-of-another-provider"),
    pytest.param("video", {"provider": "netflix"}, ("provider",), id="video-bad-provider"),
    pytest.param("video", {"muted": False}, ("muted",), id="video-autoplay-with-sound"),
    pytest.param("calendar_booking", {"url": "https://evil.example.com/book"}, ("url",), id="calendly-elsewhere"),
    pytest.param("social_media_feed", {"platform": "tiktok"}, ("profileUrl",), id="feed-on-another-platform"),
    pytest.param("exit_intent_popup", {"ctaUrl": "//evil.example.com"}, ("ctaUrl",), id="protocol-relative"),
    pytest.param("exit_intent_popup", {"ctaUrl": "/\\evil.example.com"}, ("ctaUrl",), id="backslash-path"),
    pytest.param("exit_intent_popup", {"ctaUrl": "http://example.com"}, ("ctaUrl",), id="redirect-http"),
    # colours
    pytest.param("bullet_list", {"iconColor": "green"}, ("iconColor",), id="colour-name"),
    pytest.param("bullet_list", {"iconColor": "#12345"}, ("iconColor",), id="colour-5-digits"),
    pytest.param("bullet_list", {"iconColor": "#GGGGGG"}, ("iconColor",), id="colour-not-hex"),
    # dates and expiry
    pytest.param("countdown_timer", {"endTime": "2030-11-29T23:59:59"}, ("endTime",), id="naive-datetime"),
    pytest.param("countdown_timer", {"endTime": "next friday"}, ("endTime",), id="not-a-datetime"),
    pytest.param("countdown_timer", {"format": "hh:mm"}, ("format",), id="bad-timer-format"),
    pytest.param(
        "countdown_timer",
        {"onExpire": "redirect", "expireRedirectUrl": None},
        ("expireRedirectUrl",),
        id="redirect-without-url",
    ),
    pytest.param("countdown_timer", {"onExpire": "show-message"}, ("expireMessage",), id="message-without-text"),
    pytest.param("countdown_timer", {"onExpire": "explode"}, ("onExpire",), id="bad-on-expire"),
    # prices and currencies
    pytest.param("order_bump_checkbox", {"price": "-1.00"}, ("price",), id="negative-price"),
    pytest.param("order_bump_checkbox", {"price": "9.999"}, ("price",), id="price-3-decimals"),
    pytest.param("order_bump_checkbox", {"price": "NaN"}, ("price",), id="price-nan"),
    pytest.param("order_bump_checkbox", {"currency": "usd"}, ("currency",), id="currency-lowercase"),
    pytest.param("order_bump_checkbox", {"currency": "US"}, ("currency",), id="currency-2-letters"),
    pytest.param("product_card", {"compareAtPrice": "5.00"}, ("compareAtPrice",), id="compare-at-below-price"),
    pytest.param("pricing_table", {"columns": []}, ("columns",), id="pricing-no-columns"),
    pytest.param(
        "pricing_table",
        {"columns": [{"name": "Pro", "price": "97.001", "currency": "USD"}]},
        ("columns", 0, "price"),
        id="pricing-column-3-decimals",
    ),
    pytest.param(
        "pricing_table",
        {"columns": [{"name": "Pro", "price": 97, "currency": "EURO"}]},
        ("columns", 0, "currency"),
        id="pricing-column-bad-currency",
    ),
    pytest.param(
        "pricing_table",
        {"columns": [{"name": "Pro", "price": 97, "currency": "USD", "billingPeriod": "week"}]},
        ("columns", 0, "billingPeriod"),
        id="pricing-column-bad-period",
    ),
    pytest.param(
        "pricing_table",
        {"columns": [{"name": f"Plan {n}", "price": n, "currency": "USD"} for n in range(7)]},
        ("columns",),
        id="pricing-7-columns",
    ),
    # forms
    pytest.param("input_field", {"name": "first name"}, ("name",), id="field-name-with-space"),
    pytest.param("input_field", {"inputType": "password"}, ("inputType",), id="bad-input-type"),
    pytest.param("submit_button", {"action": "go"}, ("action",), id="bad-button-action"),
    pytest.param("submit_button", {"text": "x" * 61}, ("text",), id="button-text-too-long"),
    pytest.param(
        "select_dropdown",
        {"options": [{"label": "A", "value": "a"}, {"label": "Also A", "value": "a"}]},
        ("options", 1, "value"),
        id="duplicate-options",
    ),
    pytest.param("select_dropdown", {"options": []}, ("options",), id="no-options"),
    pytest.param(
        "select_dropdown",
        {"options": [{"label": str(n), "value": str(n)} for n in range(51)]},
        ("options",),
        id="51-options",
    ),
    pytest.param("radio_buttons", {"defaultValue": "expert"}, ("defaultValue",), id="default-not-an-option"),
    pytest.param(
        "multi_step_form",
        {
            "steps": [
                {"title": "One", "fields": [{"name": "email", "type": "email"}]},
                {"title": "Two", "fields": [{"name": "phone", "type": "tel"}, {"name": "email", "type": "email"}]},
            ]
        },
        ("steps", 1, "fields", 1, "name"),
        id="form-name-twice-across-steps",
    ),
    pytest.param(
        "multi_step_form",
        {
            "steps": [
                {"title": "One", "fields": [{"name": "plan", "type": "select"}]},
                {"title": "Two", "fields": [{"name": "email", "type": "email"}]},
            ]
        },
        ("steps", 0, "fields", 0, "options"),
        id="select-without-options",
    ),
    pytest.param(
        "multi_step_form",
        {"steps": [{"title": "Only", "fields": [{"name": "email", "type": "email"}]}]},
        ("steps",),
        id="multi-step-form-of-one-step",
    ),
    # numbers and indexes
    pytest.param("review_stars", {"rating": 5.5}, ("rating",), id="rating-above-5"),
    pytest.param("stock_counter", {"remaining": 101}, ("remaining",), id="remaining-above-total"),
    pytest.param("progress_bar", {"percent": 101}, ("percent",), id="percent-above-100"),
    pytest.param("tabs", {"defaultTab": 3}, ("defaultTab",), id="default-tab-missing"),
    pytest.param("faq_accordion", {"items": []}, ("items",), id="faq-empty"),
    pytest.param("faq_accordion", {"items": [{"question": "Why?"}]}, ("items", 0, "answer"), id="faq-no-answer"),
    pytest.param(
        "quiz_survey",
        {
            "questions": [
                {
                    "name": "q1",
                    "question": "A?",
                    "options": [{"label": "y", "value": "y"}, {"label": "n", "value": "n"}],
                },
                {
                    "name": "q1",
                    "question": "B?",
                    "options": [{"label": "y", "value": "y"}, {"label": "n", "value": "n"}],
                },
            ]
        },
        ("questions", 1, "name"),
        id="quiz-question-names-twice",
    ),
    pytest.param(
        "quiz_survey",
        {"questions": [{"name": "q1", "question": "A?", "options": [{"label": "y", "value": "y"}]}]},
        ("questions", 0, "options"),
        id="quiz-one-option",
    ),
    pytest.param("live_chat_widget", {"widgetId": "<script>"}, ("widgetId",), id="widget-id-markup"),
    pytest.param("live_chat_widget", {"provider": "skype"}, ("provider",), id="unknown-chat-provider"),
]


@pytest.mark.parametrize(("element_type", "changes", "loc"), INVALID_SETTINGS)
def test_invalid_settings_are_reported_at_the_field(element_type, changes, loc):
    assert error_locs(ElementCreate, element(element_type, **changes)) == [("settings", *loc)]


def test_validate_element_settings_reports_locations_relative_to_the_settings():
    with pytest.raises(ValidationError) as caught:
        validate_element_settings("headline", {"text": "x" * 300, "level": 9})

    assert [error["loc"] for error in caught.value.errors()] == [("text",), ("level",)]


def test_an_unknown_element_type_is_reported_once_without_settings_errors():
    assert error_locs(ElementCreate, {"elementType": "carousel", "settings": {"nope": 1}}) == [("elementType",)]


def test_an_element_create_body_refuses_unknown_fields():
    assert error_locs(ElementCreate, {**element("headline"), "colour": "#fff"}) == [("colour",)]


def test_styling_visibility_and_position_are_optional_and_typed():
    body = ElementCreate.model_validate(
        {
            **element("headline"),
            "styling": {
                "margin": {"top": 24, "bottom": 24},
                "padding": {"left": 16, "right": 16},
                "textColor": "#1F2937",
                "backgroundColor": "#fff",
                "fontSize": 48,
                "fontWeight": 700,
                "borderRadius": 8,
                "customClass": "hero-title",
            },
            "visibility": {"mobile": False},
            "position": {"x": 0, "y": 120, "width": 1920, "height": 200, "zIndex": 10},
        }
    )

    assert body.styling.model_dump(exclude_none=True)["margin"] == {"top": 24, "right": 0, "bottom": 24, "left": 0}
    assert body.visibility == ElementVisibility(mobile=False, tablet=True, desktop=True)
    assert body.position == ElementLayout(x=0, y=120, width=1920, height=200, zIndex=10)


@pytest.mark.parametrize(
    ("styling", "loc"),
    [
        ({"margin": {"top": 501}}, ("margin", "top")),
        ({"padding": {"left": -1}}, ("padding", "left")),
        ({"textColor": "blue"}, ("textColor",)),
        ({"backgroundColor": "#ff00ff80"}, ("backgroundColor",)),
        ({"fontSize": 7}, ("fontSize",)),
        ({"fontSize": 145}, ("fontSize",)),
        ({"fontWeight": 450}, ("fontWeight",)),
        ({"customClass": "1st-title"}, ("customClass",)),
        ({"customClass": "a b"}, ("customClass",)),
        ({"shadow": "0 1px 2px"}, ("shadow",)),
    ],
)
def test_invalid_styling_is_reported_at_the_field(styling, loc):
    assert error_locs(ElementStyling, styling) == [loc]


@pytest.mark.parametrize(
    ("position", "loc"),
    [
        ({"x": 1000, "width": 921}, ("width",)),
        ({"x": 1921}, ("x",)),
        ({"x": -1}, ("x",)),
        ({"y": -5}, ("y",)),
        ({"width": 0}, ("width",)),
        ({"height": 0}, ("height",)),
        ({"zIndex": 1000}, ("zIndex",)),
        ({"order": 3}, ("order",)),
    ],
)
def test_the_layout_box_stays_on_the_canvas(position, loc):
    assert error_locs(ElementLayout, position) == [loc]


def test_a_box_reaching_the_canvas_edge_exactly_is_valid():
    assert ElementLayout(x=1000, width=920).width == 920


def test_an_element_update_needs_a_version_and_takes_partial_changes():
    update = ElementUpdate.model_validate({"version": 3, "visibility": {"desktop": False}})

    assert update.settings is None
    assert update.visibility == ElementVisibility(mobile=True, tablet=True, desktop=False)
    assert error_locs(ElementUpdate, {"settings": {}}) == [("version",)]
    assert error_locs(ElementUpdate, {"version": 0}) == [("version",)]
    assert error_locs(ElementUpdate, {"version": 1, "elementType": "video"}) == [("elementType",)]
