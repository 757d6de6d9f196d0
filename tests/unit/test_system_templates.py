"""The system template catalog: real funnels shipped as data, validated by the models of live funnels."""

import copy
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from funnel_core.builder.catalog import (
    find_system_template,
    list_system_templates,
    load_funnel_templates,
    system_funnel_templates,
    system_page_templates,
)
from funnel_core.builder.models.elements import ElementCreate
from funnel_core.builder.models.steps import OPT_IN_STEP_TYPES, SALES_STEP_TYPES, StepCreate
from funnel_core.builder.models.templates import FunnelTemplate, PageTemplate, Template, TemplateStep

SYSTEM_FOLDER = resources.files("funnel_core.builder.catalog").joinpath("system")
SYSTEM_FILES = sorted(entry.name for entry in SYSTEM_FOLDER.iterdir() if entry.name.endswith(".json"))

# The templates SPEC requires, with the category and goal each one is for.
REQUIRED_TEMPLATES = {
    "tpl_sys_lead-magnet-opt-in": ("lead-gen", "email_capture"),
    "tpl_sys_webinar-registration": ("webinar", "registration"),
    "tpl_sys_tripwire-sales": ("ecommerce", "purchase"),
    "tpl_sys_product-launch": ("ecommerce", "purchase"),
    "tpl_sys_free-book-shipping": ("ecommerce", "purchase"),
}
FORM_ELEMENT_TYPES = {"input_field", "textarea", "select_dropdown", "checkbox", "radio_buttons"}


def raw(file_name: str) -> dict[str, Any]:
    return json.loads(SYSTEM_FOLDER.joinpath(file_name).read_text(encoding="utf-8"))


# Test ids come from the raw files, so that one broken template fails its tests, not the collection.
TEMPLATE_IDS = ["tpl_sys_" + name.removesuffix(".json") for name in SYSTEM_FILES]
STEP_TYPES = {
    f"{data['templateId']}/{step['slug']}": step["stepType"]
    for data in map(raw, SYSTEM_FILES)
    for step in data["steps"]
}


def steps_of_types(step_types: Iterable[str]) -> list[str]:
    return [step_id for step_id, step_type in STEP_TYPES.items() if step_type in step_types]


def funnel_template(template_id: str) -> FunnelTemplate:
    template = find_system_template(template_id)
    assert isinstance(template, FunnelTemplate)
    return template


def step_of(step_id: str) -> TemplateStep:
    template_id, slug = step_id.split("/")
    return next(step for step in funnel_template(template_id).steps if step.slug == slug)


def error_locs(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as caught:
        FunnelTemplate.model_validate(data)
    return [tuple(error["loc"]) for error in caught.value.errors()]


# --- The shipped files -----------------------------------------------------------------------


@pytest.mark.parametrize("file_name", SYSTEM_FILES)
def test_every_file_holds_a_valid_system_funnel_template_named_after_it(file_name):
    template = FunnelTemplate.model_validate(raw(file_name))

    assert template.templateId == "tpl_sys_" + file_name.removesuffix(".json")
    assert (template.kind, template.scope, template.groupId, template.usageCount) == ("funnel", "system", None, 0)
    assert template.previewImageUrl is not None
    assert template.description


def test_the_templates_spec_requires_ship_with_their_category_and_goal():
    shipped = {
        template.templateId: (template.category, template.properties.conversionGoal)
        for template in system_funnel_templates()
    }

    assert {template_id: shipped.get(template_id) for template_id in REQUIRED_TEMPLATES} == REQUIRED_TEMPLATES
    assert len(shipped) >= 5


def test_a_template_carries_its_category_tags_and_description_into_the_funnel_properties():
    for template in system_funnel_templates():
        properties = template.properties

        assert (properties.category, properties.tags, properties.description) == (
            template.category,
            template.tags,
            template.description,
        )


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_template_has_several_steps_each_with_several_elements(template_id):
    template = funnel_template(template_id)

    assert len(template.steps) >= 2
    assert all(3 <= len(step.elements) <= 12 for step in template.steps), template.templateId


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_template_has_a_step_that_reaches_its_conversion_goal(template_id):
    template = funnel_template(template_id)
    step_types = {step.stepType for step in template.steps}
    element_types = {element.elementType for step in template.steps for element in step.elements}
    reaches_goal = {
        "email_capture": bool(step_types & OPT_IN_STEP_TYPES),
        "registration": bool(step_types & OPT_IN_STEP_TYPES),
        "purchase": bool(step_types & SALES_STEP_TYPES),
        "booking": "calendar_booking" in element_types,
    }

    assert reaches_goal[str(template.properties.conversionGoal)]


@pytest.mark.parametrize("step_id", steps_of_types(OPT_IN_STEP_TYPES))
def test_every_opt_in_step_asks_for_the_email_and_has_a_submit_button(step_id):
    step = step_of(step_id)
    inputs = {
        element.settings["name"]: element for element in step.elements if element.elementType in FORM_ELEMENT_TYPES
    }
    form_fields = {form_field["name"]: form_field for form_field in step.properties["formFields"]}

    assert inputs["email"].elementType == "input_field"
    assert inputs["email"].settings["inputType"] == "email"
    assert inputs["email"].settings["required"] is True
    assert any(
        element.elementType == "submit_button" and element.settings["action"] == "submit" for element in step.elements
    )
    # The page shows exactly the fields the submission is checked against.
    assert set(inputs) == set(form_fields)
    assert all(inputs[name].settings["required"] == form_fields[name]["required"] for name in form_fields)


@pytest.mark.parametrize("step_id", steps_of_types(SALES_STEP_TYPES))
def test_every_sales_and_order_step_has_a_price_in_dollars_and_a_way_to_buy(step_id):
    step = step_of(step_id)

    assert step.properties["price"] > 0
    assert step.properties["currency"] == "USD"
    assert {"buy_button", "pricing_table"} & {element.elementType for element in step.elements}


@pytest.mark.parametrize("step_id", steps_of_types({"order_form", "checkout_page"}))
def test_every_order_step_takes_the_buyers_email_and_offers_an_order_bump(step_id):
    elements = step_of(step_id).elements
    element_types = [element.elementType for element in elements]
    field_names = {element.settings.get("name") for element in elements}

    assert "email" in field_names
    assert "order_bump_checkbox" in element_types
    assert "trust_badges" in element_types


def test_the_free_book_order_form_asks_for_a_shipping_address():
    field_names = {element.settings.get("name") for element in step_of("tpl_sys_free-book-shipping/order").elements}

    assert {"fullName", "shippingAddress", "shippingCity", "shippingPostalCode", "shippingCountry"} <= field_names


@pytest.mark.parametrize("step_id", list(STEP_TYPES))
def test_every_step_and_element_is_accepted_by_the_routes_that_build_funnels(step_id):
    step = step_of(step_id)
    body = {"name": step.name, "slug": step.slug, "stepType": step.stepType, "properties": step.properties}

    assert StepCreate.model_validate(body).properties == step.properties
    for element in step.elements:
        element_body = element.model_dump(mode="json")
        assert ElementCreate.model_validate(element_body).model_dump(mode="json") == element_body


@pytest.mark.parametrize("file_name", SYSTEM_FILES)
def test_every_price_in_the_files_is_written_with_two_decimals(file_name):
    def prices(node: Any) -> Iterator[Decimal]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"price", "compareAtPrice"}:
                    yield value
                yield from prices(value)
        elif isinstance(node, list):
            for item in node:
                yield from prices(item)

    text = SYSTEM_FOLDER.joinpath(file_name).read_text(encoding="utf-8")
    found = list(prices(json.loads(text, parse_float=Decimal)))

    assert all(isinstance(price, Decimal) and price.as_tuple().exponent == -2 for price in found), found


@pytest.mark.parametrize("file_name", SYSTEM_FILES)
def test_the_copy_is_real_copy(file_name):
    text = SYSTEM_FOLDER.joinpath(file_name).read_text(encoding="utf-8").lower()

    assert not {"lorem", "ipsum", "todo", "placeholder text"} & set(text.replace('"', " ").split())
    assert "http://" not in text


# --- Page templates, ids, lookups ------------------------------------------------------------


def test_every_step_of_a_system_funnel_is_also_a_page_template():
    pages = {page.templateId: page for page in system_page_templates()}

    for template in system_funnel_templates():
        for step in template.steps:
            page = pages[f"{template.templateId}__{step.slug}"]
            assert page.kind == "page"
            assert page.name == f"{template.name} \u2013 {step.name}"
            assert (page.category, page.scope, page.groupId) == (template.category, "system", None)
            assert page.step is step
            assert page.previewImageUrl == step.previewImageUrl
    assert len(pages) == sum(len(template.steps) for template in system_funnel_templates())


def test_template_ids_are_unique_and_stable_across_loads():
    ids = [template.templateId for template in list_system_templates()]
    pages = [page.templateId for page in system_page_templates()]

    assert len(ids) == len(set(ids))
    assert "tpl_sys_lead-magnet-opt-in__opt-in" in pages
    assert "tpl_sys_tripwire-sales__checkout" in pages
    assert [template.templateId for template in system_funnel_templates()] == [
        "tpl_sys_" + name.removesuffix(".json") for name in SYSTEM_FILES
    ]
    assert [template.templateId for template in load_funnel_templates(SYSTEM_FOLDER)] == ids[: len(SYSTEM_FILES)]


def test_the_catalog_is_loaded_once_and_handed_out_in_fresh_lists():
    first, second = system_funnel_templates(), system_funnel_templates()

    assert first is not second
    assert all(a is b for a, b in zip(first, second, strict=True))


def test_a_system_template_is_found_by_its_id():
    funnel = find_system_template("tpl_sys_webinar-registration")
    page = find_system_template("tpl_sys_webinar-registration__replay")

    assert isinstance(funnel, FunnelTemplate)
    assert isinstance(page, PageTemplate)
    assert page.step is funnel.steps[-1]
    assert find_system_template("tpl_sys_no-such-template") is None
    assert find_system_template("tpl_sys_webinar-registration__no-such-step") is None


def test_listing_filters_by_kind_and_category():
    everything = list_system_templates()
    funnels = list_system_templates(kind="funnel")
    pages = list_system_templates(kind="page")
    webinar = list_system_templates(category="webinar")
    webinar_pages = list_system_templates(kind="page", category="webinar")

    assert everything == funnels + pages
    assert funnels == system_funnel_templates()
    assert pages == system_page_templates()
    assert {template.category for template in webinar} == {"webinar"}
    assert [template.templateId for template in webinar_pages] == [
        "tpl_sys_webinar-registration__register",
        "tpl_sys_webinar-registration__confirmation",
        "tpl_sys_webinar-registration__replay",
    ]
    assert {template.category for template in list_system_templates(category="ecommerce")} == {"ecommerce"}
    assert list_system_templates(category="no-such-category") == []


# --- Invalid templates -----------------------------------------------------------------------


@pytest.fixture
def lead_magnet() -> dict[str, Any]:
    return copy.deepcopy(raw("lead-magnet-opt-in.json"))


def test_bad_element_settings_are_reported_at_the_exact_element_and_field(lead_magnet):
    lead_magnet["steps"][0]["elements"][2]["settings"]["src"] = "http://images.example.com/cover.png"
    lead_magnet["steps"][1]["elements"][0]["settings"]["level"] = 7

    assert error_locs(lead_magnet) == [
        ("steps", 0, "elements", 2, "settings", "src"),
        ("steps", 1, "elements", 0, "settings", "level"),
    ]


def test_an_unknown_element_type_is_reported_at_the_element(lead_magnet):
    lead_magnet["steps"][0]["elements"][0]["elementType"] = "marquee"

    assert error_locs(lead_magnet) == [("steps", 0, "elements", 0, "elementType")]


def test_step_properties_must_fit_the_step_type(lead_magnet):
    lead_magnet["steps"][1]["properties"]["price"] = "9.00"
    lead_magnet["steps"][1]["properties"]["currency"] = "USD"
    lead_magnet["steps"][0]["properties"]["stepType"] = "sales_page"

    assert error_locs(lead_magnet) == [
        ("steps", 0, "properties", "stepType"),
        ("steps", 1, "properties", "price"),
        ("steps", 1, "properties", "currency"),
    ]


def test_step_slugs_are_unique_within_a_template(lead_magnet):
    lead_magnet["steps"][1]["slug"] = "opt-in"

    assert error_locs(lead_magnet) == [("steps", 1, "slug")]


def test_the_properties_may_not_contradict_the_template_category(lead_magnet):
    lead_magnet["properties"]["category"] = "webinar"

    assert error_locs(lead_magnet) == [("properties", "category")]


def test_a_funnel_saved_as_a_template_brings_its_category_tags_and_description(lead_magnet):
    for name in ("category", "tags", "description"):
        lead_magnet["properties"][name] = lead_magnet.pop(name)
    lead_magnet["properties"]["tags"].append("Lead Magnet")

    template = FunnelTemplate.model_validate(lead_magnet)

    assert template.category == "lead-gen"
    assert template.tags == template.properties.tags == ["lead magnet", "free download", "email list", "opt-in"]
    assert template.description == template.properties.description


def test_a_template_reads_back_as_itself_by_its_kind():
    read: TypeAdapter[FunnelTemplate | PageTemplate] = TypeAdapter(Template)

    for template in list_system_templates():
        assert read.validate_json(template.model_dump_json()) == template


def test_a_template_needs_a_step(lead_magnet):
    lead_magnet["steps"] = []

    assert error_locs(lead_magnet) == [("steps",)]


def test_a_group_template_belongs_to_a_group_and_a_system_template_to_none(lead_magnet):
    group = {**lead_magnet, "scope": "group"}
    system = {**lead_magnet, "groupId": "grp_01HZX3K9Q7ABCDEF"}

    assert error_locs(group) == [("groupId",)]
    assert error_locs(system) == [("groupId",)]
    assert FunnelTemplate.model_validate({**group, "groupId": "grp_01HZX3K9Q7ABCDEF"}).scope == "group"


def test_loading_names_the_file_of_an_invalid_template(tmp_path: Path, lead_magnet):
    lead_magnet["steps"][0]["elements"][0]["settings"]["text"] = ""
    (tmp_path / "lead-magnet-opt-in.json").write_text(json.dumps(lead_magnet), encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        load_funnel_templates(tmp_path)

    assert [error["loc"] for error in caught.value.errors()] == [("steps", 0, "elements", 0, "settings", "text")]
    assert "in the system template file lead-magnet-opt-in.json" in caught.value.__notes__


def test_loading_refuses_a_file_whose_template_id_is_not_its_name(tmp_path: Path, lead_magnet):
    (tmp_path / "renamed.json").write_text(json.dumps(lead_magnet), encoding="utf-8")

    with pytest.raises(ValueError, match=r"renamed\.json must hold the system template tpl_sys_renamed"):
        load_funnel_templates(tmp_path)
