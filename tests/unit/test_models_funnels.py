"""Funnels and steps: request bodies and properties, with errors at the exact field."""

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from funnel_core.builder.models.elements import ElementOrder
from funnel_core.builder.models.funnels import (
    ConversionGoal,
    FunnelCategory,
    FunnelCreate,
    FunnelProperties,
    FunnelUpdate,
)
from funnel_core.builder.models.steps import (
    OPT_IN_STEP_TYPES,
    SALES_STEP_TYPES,
    StepCreate,
    StepOrder,
    StepType,
    StepUpdate,
    validate_step_properties,
)

FUNNEL_PROPERTIES = {
    "description": "Free e-book opt-in that leads into a $7 tripwire and a coaching upsell.",
    "category": "lead-gen",
    "tags": ["ebook", "tripwire", "coaching"],
    "conversionGoal": "email_capture",
    "tracking": {"enableUtm": True, "facebookPixelId": "123456789012345", "googleAnalyticsId": "G-8XK2Q4ZP7M"},
    "seo": {
        "metaTitle": "Free Funnel Playbook: Double Your Leads",
        "metaDescription": "Download the 27-page playbook 2,400+ coaches use to fill their calendars.",
        "ogImage": "https://cdn.example.com/og/playbook.png",
    },
    "branding": {
        "logoUrl": "https://cdn.example.com/brand/logo.svg",
        "primaryColor": "#2563EB",
        "secondaryColor": "#F59E0B",
        "fontFamily": "Inter, Helvetica, sans-serif",
    },
}

SALES_PROPERTIES = {
    "headline": "Get the Complete Funnel Toolkit for Just $7",
    "subheadline": "Templates, swipe files and the checklist: everything from the training, done for you.",
    "layout": "two_column",
    "background": {"type": "gradient", "value": "linear-gradient(135deg, #1E3A8A 0%, rgba(37, 99, 235, 0.8) 100%)"},
    "colorScheme": {"primary": "#2563EB", "secondary": "#F59E0B", "text": "#111827", "background": "#FFFFFF"},
    "seo": {"metaTitle": "Funnel Toolkit: $7 Today Only"},
    "settings": {"showHeader": False, "showFooter": True, "customCss": ".hero h1 { letter-spacing: -0.02em; }"},
    "ctaText": "Yes, I Want the Toolkit",
    "redirectAfterSubmit": "/upsell",
    "productId": "thg_01HZX3K9Q7TOOLKIT",
    "price": "7.00",
    "currency": "USD",
}


def error_locs(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [tuple(error["loc"]) for error in caught.value.errors()]


def property_error_locs(step_type: str, properties: dict[str, Any]) -> list[tuple[str | int, ...]]:
    return error_locs(StepCreate, {"name": "Step", "stepType": step_type, "properties": properties})


# --- Funnels ---------------------------------------------------------------------------------


def test_a_funnel_needs_only_a_name_and_gets_sane_default_properties():
    body = FunnelCreate.model_validate({"name": "  Lead Magnet Funnel  "})

    assert body.name == "Lead Magnet Funnel"
    assert body.slug is None
    assert body.properties.model_dump(mode="json", exclude_none=True) == {
        "category": "custom",
        "tags": [],
        "tracking": {"enableUtm": True},
        "seo": {},
        "branding": {},
    }


def test_full_funnel_properties_are_accepted_as_sent():
    body = FunnelCreate.model_validate(
        {"name": "Playbook", "slug": "free-playbook", "properties": FUNNEL_PROPERTIES, "templateId": "thg_tpl_1"}
    )

    assert body.properties.category is FunnelCategory.LEAD_GEN
    assert body.properties.conversionGoal is ConversionGoal.EMAIL_CAPTURE
    assert body.properties.model_dump(mode="json", exclude_none=True) == FUNNEL_PROPERTIES


def test_tags_are_deduplicated_ignoring_case_keeping_the_first_spelling():
    properties = FunnelProperties.model_validate({"tags": ["Webinar", "evergreen", "webinar", " Evergreen ", "b2b"]})

    assert properties.tags == ["Webinar", "evergreen", "b2b"]


@pytest.mark.parametrize("analytics_id", ["G-8XK2Q4ZP7M", "UA-12345678-1", "G-ABCD"])
def test_google_analytics_ids_of_both_generations_are_accepted(analytics_id):
    assert FunnelProperties.model_validate({"tracking": {"googleAnalyticsId": analytics_id}}).tracking.googleAnalyticsId


@pytest.mark.parametrize(
    ("properties", "loc"),
    [
        ({"description": "x" * 2001}, ("description",)),
        ({"category": "lead_gen"}, ("category",)),
        ({"conversionGoal": "clicks"}, ("conversionGoal",)),
        ({"tags": [f"tag{n}" for n in range(21)]}, ("tags",)),
        ({"tags": ["ok", "x" * 41]}, ("tags", 1)),
        ({"tags": ["ok", "  "]}, ("tags", 1)),
        ({"tracking": {"facebookPixelId": "1234"}}, ("tracking", "facebookPixelId")),
        ({"tracking": {"facebookPixelId": "12345abc"}}, ("tracking", "facebookPixelId")),
        ({"tracking": {"googleAnalyticsId": "GA-12345"}}, ("tracking", "googleAnalyticsId")),
        ({"tracking": {"googleAnalyticsId": "UA-12345"}}, ("tracking", "googleAnalyticsId")),
        ({"tracking": {"hotjarId": "1"}}, ("tracking", "hotjarId")),
        ({"seo": {"metaTitle": "x" * 71}}, ("seo", "metaTitle")),
        ({"seo": {"metaDescription": "x" * 161}}, ("seo", "metaDescription")),
        ({"seo": {"ogImage": "http://cdn.example.com/og.png"}}, ("seo", "ogImage")),
        ({"branding": {"logoUrl": "ftp://example.com/logo.png"}}, ("branding", "logoUrl")),
        ({"branding": {"primaryColor": "#12"}}, ("branding", "primaryColor")),
        ({"branding": {"secondaryColor": "rgb(0,0,0)"}}, ("branding", "secondaryColor")),
        ({"branding": {"fontFamily": "Inter; } body { display: none"}}, ("branding", "fontFamily")),
        ({"branding": {"fontFamily": "F" * 101}}, ("branding", "fontFamily")),
        ({"theme": "dark"}, ("theme",)),
    ],
)
def test_invalid_funnel_properties_are_reported_at_the_field(properties, loc):
    assert error_locs(FunnelCreate, {"name": "Funnel", "properties": properties}) == [("properties", *loc)]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"name": ""}, ("name",)),
        ({"name": "x" * 201}, ("name",)),
        ({"name": "Funnel", "slug": "Free_Book"}, ("slug",)),
        ({"name": "Funnel", "slug": "-free-book"}, ("slug",)),
        ({"name": "Funnel", "slug": "a" * 64}, ("slug",)),
        ({"name": "Funnel", "templateId": "tpl 1"}, ("templateId",)),
        ({"name": "Funnel", "status": "published"}, ("status",)),
    ],
)
def test_invalid_funnel_bodies_are_reported_at_the_field(body, loc):
    assert error_locs(FunnelCreate, body) == [loc]


def test_a_funnel_update_needs_a_version_and_keeps_track_of_what_was_sent():
    update = FunnelUpdate.model_validate({"version": 2, "properties": {"tags": ["launch"]}})

    assert update.properties is not None
    assert update.properties.model_dump(exclude_unset=True) == {"tags": ["launch"]}
    assert error_locs(FunnelUpdate, {"name": "New name"}) == [("version",)]
    assert error_locs(FunnelUpdate, {"version": 0}) == [("version",)]


# --- Steps -----------------------------------------------------------------------------------


def test_there_are_fifteen_step_types_with_opt_in_and_sales_subsets():
    assert len(StepType) == 15
    assert {str(t) for t in OPT_IN_STEP_TYPES} == {
        "opt_in_page",
        "two_step_optin",
        "webinar_registration",
        "survey_page",
    }
    assert {str(t) for t in SALES_STEP_TYPES} == {
        "sales_page",
        "order_form",
        "checkout_page",
        "upsell_page",
        "downsell_page",
    }
    assert not OPT_IN_STEP_TYPES & SALES_STEP_TYPES


def test_a_sales_step_keeps_its_properties_and_the_price_is_a_json_number():
    properties = validate_step_properties("sales_page", SALES_PROPERTIES)

    assert json.loads(json.dumps(properties)) == properties
    assert properties == {**SALES_PROPERTIES, "stepType": "sales_page", "price": 7.0}
    assert validate_step_properties("sales_page", properties) == properties


def test_a_step_create_body_carries_the_normalized_properties():
    body = StepCreate.model_validate({"name": "Thank you", "stepType": "thank_you_page"})

    assert body.properties == {
        "stepType": "thank_you_page",
        "layout": "single_column",
        "colorScheme": {},
        "seo": {},
        "settings": {"showHeader": True, "showFooter": True},
    }


EMAIL_FIELD = {"name": "email", "type": "email", "required": True, "label": "Email"}


@pytest.mark.parametrize("step_type", sorted(OPT_IN_STEP_TYPES))
def test_an_opt_in_step_without_form_fields_asks_for_the_email(step_type):
    properties = validate_step_properties(step_type, {"headline": "Get the Free Guide"})

    assert properties["formFields"] == [EMAIL_FIELD]


def test_the_email_field_is_added_first_when_missing():
    properties = validate_step_properties(
        "opt_in_page",
        {"formFields": [{"name": "firstName", "label": "First name"}, {"name": "phone", "type": "tel"}]},
    )

    assert [field["name"] for field in properties["formFields"]] == ["email", "firstName", "phone"]
    assert properties["formFields"][0] == EMAIL_FIELD


def test_a_given_email_field_stays_where_it_is_with_custom_fields():
    form_fields = [
        {"name": "firstName", "type": "text", "required": True, "label": "First name"},
        {"name": "email", "type": "email", "required": True, "label": "Work email"},
        {
            "name": "role",
            "type": "select",
            "label": "Your role",
            "options": [{"label": "Founder", "value": "founder"}, {"label": "Marketer", "value": "marketer"}],
        },
        {"name": "gdprConsent", "type": "checkbox", "required": True, "label": "I agree to the privacy policy"},
    ]

    properties = validate_step_properties("webinar_registration", {"formFields": form_fields})

    assert [field["name"] for field in properties["formFields"]] == ["firstName", "email", "role", "gdprConsent"]
    assert properties["formFields"][1]["label"] == "Work email"


@pytest.mark.parametrize(
    ("form_fields", "loc"),
    [
        ([{"name": "email", "type": "email", "required": False}], ("formFields", 0, "required")),
        ([{"name": "email", "type": "email"}], ("formFields", 0, "required")),
        ([{"name": "email", "type": "text", "required": True}], ("formFields", 0, "type")),
        ([{"name": "phone", "type": "number"}], ("formFields", 0, "type")),
        ([{"name": "firstName"}, {"name": "firstName"}], ("formFields", 1, "name")),
        ([{"name": "plan", "type": "select"}], ("formFields", 0, "options")),
        (
            [{"name": "plan", "type": "text", "options": [{"label": "A", "value": "a"}]}],
            ("formFields", 0, "options"),
        ),
        (
            [
                {
                    "name": "plan",
                    "type": "select",
                    "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "a"}],
                }
            ],
            ("formFields", 0, "options", 1, "value"),
        ),
        ([{"name": "first name"}], ("formFields", 0, "name")),
        ([{"name": "age", "type": "date"}], ("formFields", 0, "type")),
        ([{"name": "age", "validation": "^[0-9]+$"}], ("formFields", 0, "validation")),
        ([{"name": f"field{n}"} for n in range(31)], ("formFields",)),
    ],
)
def test_invalid_form_fields_are_reported_at_the_field(form_fields, loc):
    assert property_error_locs("opt_in_page", {"formFields": form_fields}) == [("properties", *loc)]


def test_errors_name_the_fields_as_sent_even_when_the_email_is_added():
    form_fields = [{"name": "firstName"}, {"name": "lastName"}, {"name": "firstName"}]

    assert property_error_locs("opt_in_page", {"formFields": form_fields}) == [("properties", "formFields", 2, "name")]


@pytest.mark.parametrize("step_type", ["landing_page", "sales_page", "thank_you_page"])
def test_only_opt_in_steps_have_form_fields(step_type):
    assert property_error_locs(step_type, {"formFields": [EMAIL_FIELD]}) == [("properties", "formFields")]


def test_product_and_price_on_a_landing_page_are_refused_each_at_its_field():
    locs = property_error_locs("landing_page", {"productId": "thg_1", "price": "7.00", "currency": "USD"})

    assert locs == [("properties", "productId"), ("properties", "price"), ("properties", "currency")]


@pytest.mark.parametrize("step_type", sorted(SALES_STEP_TYPES))
def test_every_sales_step_type_takes_a_product_and_price(step_type):
    properties = validate_step_properties(step_type, {"productId": "thg_1", "price": 19, "currency": "EUR"})

    assert (properties["price"], properties["currency"]) == (19.0, "EUR")


@pytest.mark.parametrize(
    ("properties", "loc"),
    [
        ({"price": "7.00"}, ("currency",)),
        ({"currency": "USD"}, ("price",)),
        ({"price": "-7.00", "currency": "USD"}, ("price",)),
        ({"price": "7.001", "currency": "USD"}, ("price",)),
        ({"price": "seven", "currency": "USD"}, ("price",)),
        ({"price": "7.00", "currency": "usd"}, ("currency",)),
        ({"price": "7.00", "currency": "DOLLARS"}, ("currency",)),
        ({"productId": "thg 1"}, ("productId",)),
    ],
)
def test_invalid_prices_on_a_sales_step_are_reported_at_the_field(properties, loc):
    assert property_error_locs("checkout_page", properties) == [("properties", *loc)]


@pytest.mark.parametrize(
    "background",
    [
        {"type": "color", "value": "#0F172A"},
        {"type": "color", "value": "#fff"},
        {"type": "image", "value": "https://cdn.example.com/bg/hero.jpg"},
        {"type": "video", "value": "https://cdn.example.com/bg/loop.mp4"},
        {"type": "gradient", "value": "linear-gradient(to right, #ff7e5f, #feb47b)"},
        {"type": "gradient", "value": "radial-gradient(circle, rgba(255,255,255,0.9) 0%, #E0E7FF 100%)"},
    ],
)
def test_a_background_value_matching_its_type_is_accepted(background):
    assert validate_step_properties("landing_page", {"background": background})["background"] == background


@pytest.mark.parametrize(
    "background",
    [
        {"type": "color", "value": "navy"},
        {"type": "color", "value": "https://cdn.example.com/bg.jpg"},
        {"type": "image", "value": "http://cdn.example.com/bg/hero.jpg"},
        {"type": "video", "value": "#000000"},
        {"type": "gradient", "value": "url(https://evil.example.com/x.png)"},
        {"type": "gradient", "value": "linear-gradient(red, blue); background: url(x)"},
    ],
)
def test_a_background_value_not_matching_its_type_is_reported_at_the_value(background):
    assert property_error_locs("landing_page", {"background": background}) == [("properties", "background", "value")]


@pytest.mark.parametrize(
    ("properties", "loc"),
    [
        ({"headline": "x" * 256}, ("headline",)),
        ({"subheadline": "x" * 501}, ("subheadline",)),
        ({"ctaText": "x" * 61}, ("ctaText",)),
        ({"layout": "three_column"}, ("layout",)),
        ({"background": {"type": "pattern", "value": "dots"}}, ("background", "type")),
        ({"colorScheme": {"text": "black"}}, ("colorScheme", "text")),
        ({"seo": {"metaTitle": "x" * 71}}, ("seo", "metaTitle")),
        ({"settings": {"customCss": "x" * 20_001}}, ("settings", "customCss")),
        ({"settings": {"customCss": "a{}</STYLE><script>alert(1)</script>"}}, ("settings", "customCss")),
        ({"settings": {"showSidebar": True}}, ("settings", "showSidebar")),
        ({"redirectAfterSubmit": "http://example.com/thanks"}, ("redirectAfterSubmit",)),
        ({"redirectAfterSubmit": "//evil.example.com"}, ("redirectAfterSubmit",)),
        ({"redirectAfterSubmit": "thank-you"}, ("redirectAfterSubmit",)),
        ({"stepType": "sales_page"}, ("stepType",)),
        ({"sequence": 2}, ("sequence",)),
    ],
)
def test_invalid_step_properties_are_reported_at_the_field(properties, loc):
    assert property_error_locs("landing_page", properties) == [("properties", *loc)]


@pytest.mark.parametrize("target", ["/thank-you", "/thank-you?src=optin#top", "https://example.com/welcome"])
def test_redirect_after_submit_takes_a_path_or_an_https_url(target):
    assert validate_step_properties("opt_in_page", {"redirectAfterSubmit": target})["redirectAfterSubmit"] == target


def test_validate_step_properties_reports_locations_relative_to_the_properties():
    with pytest.raises(ValidationError) as caught:
        validate_step_properties("landing_page", {"headline": "x" * 256, "layout": "grid"})

    assert [error["loc"] for error in caught.value.errors()] == [("headline",), ("layout",)]


def test_a_step_with_an_unknown_type_reports_only_the_type():
    assert error_locs(StepCreate, {"name": "Step", "stepType": "popup", "properties": {"x": 1}}) == [("stepType",)]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"stepType": "landing_page"}, ("name",)),
        ({"name": "Step"}, ("stepType",)),
        ({"name": "Step", "stepType": "landing_page", "slug": "Step 1"}, ("slug",)),
        ({"name": "Step", "stepType": "landing_page", "pageTemplateId": "a/b"}, ("pageTemplateId",)),
        ({"name": "Step", "stepType": "landing_page", "sequence": 1}, ("sequence",)),
    ],
)
def test_invalid_step_bodies_are_reported_at_the_field(body, loc):
    assert error_locs(StepCreate, body) == [loc]


def test_a_step_update_needs_a_version_and_leaves_properties_to_the_stored_type():
    update = StepUpdate.model_validate({"version": 4, "properties": {"headline": "New headline"}})

    assert update.properties == {"headline": "New headline"}
    assert error_locs(StepUpdate, {"name": "Step"}) == [("version",)]
    assert error_locs(StepUpdate, {"version": 1, "stepType": "sales_page"}) == [("stepType",)]


# --- Ordering --------------------------------------------------------------------------------


def test_orders_are_lists_of_distinct_ids():
    assert StepOrder.model_validate({"stepIds": ["thg_b", "thg_a"]}).stepIds == ["thg_b", "thg_a"]
    assert ElementOrder.model_validate({"elementIds": ["thg_1"]}).elementIds == ["thg_1"]


@pytest.mark.parametrize(
    ("model", "body", "loc"),
    [
        (StepOrder, {"stepIds": []}, ("stepIds",)),
        (StepOrder, {"stepIds": [f"thg_{n}" for n in range(51)]}, ("stepIds",)),
        (StepOrder, {"stepIds": ["thg_a", "thg_b", "thg_a"]}, ("stepIds", 2)),
        (StepOrder, {"stepIds": ["thg_a", "not an id"]}, ("stepIds", 1)),
        (ElementOrder, {"elementIds": []}, ("elementIds",)),
        (ElementOrder, {"elementIds": [f"thg_{n}" for n in range(101)]}, ("elementIds",)),
        (ElementOrder, {"elementIds": ["thg_1", "thg_1"]}, ("elementIds", 1)),
        (ElementOrder, {"elementIds": ["thg_1"], "stepId": "thg_s"}, ("stepId",)),
    ],
)
def test_invalid_orders_are_reported_at_the_field(model, body, loc):
    assert error_locs(model, body) == [loc]
