"""Funnel and page templates, and the catalog of system templates.

A template holds its steps and elements in the very shapes the funnel routes take, validated
by the same models (``validate_step_properties``, ``validate_element_settings``), so a funnel
made from a template is one the API would have accepted step by step.

System templates are data: one JSON file per funnel template in ``system/``, named after its
id (``tpl_sys_<slug>`` is ``<slug>.json``). Each step of a system funnel template is also
offered on its own as a page template, ``tpl_sys_<slug>__<step-slug>``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated, Literal, Self

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from funnel_core.models.common import Id, JsonObject, Name, Slug, StrictModel
from funnel_core.models.elements import ElementCreate
from funnel_core.models.funnels import FunnelCategory, FunnelProperties, StepType, Tag, validate_step_properties
from funnel_core.models.values import HttpsUrl, duplicate_problems, problem, raise_problems

SYSTEM_ID_PREFIX = "tpl_sys_"
PAGE_ID_SEPARATOR = "__"
_EN_DASH = "\u2013"

TemplateKind = Literal["funnel", "page"]
TemplateScope = Literal["system", "group"]

# Said once, by the template, and carried into the properties of the funnel made from it.
_CATALOG_FIELDS = ("category", "tags", "description")


class TemplateElement(ElementCreate):
    """An element as a template holds it: what adding it to a step takes."""


class TemplateStep(StrictModel):
    name: Name
    slug: Slug
    stepType: StepType
    # After stepType, which the validator reads.
    properties: JsonObject = Field(default_factory=dict, validate_default=True)
    previewImageUrl: HttpsUrl | None = None
    elements: list[TemplateElement] = Field(default_factory=list, max_length=100)

    @field_validator("properties")
    @classmethod
    def _properties_of_the_type(cls, properties: JsonObject, info: ValidationInfo) -> JsonObject:
        step_type = info.data.get("stepType")
        if step_type is None:  # already reported as invalid
            return properties
        return validate_step_properties(step_type, properties)


class _TemplateBase(StrictModel):
    templateId: Id
    name: Name
    category: FunnelCategory = FunnelCategory.CUSTOM
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    description: str | None = Field(default=None, max_length=2000)
    previewImageUrl: HttpsUrl | None = None
    usageCount: int = Field(default=0, ge=0)
    scope: TemplateScope = "system"
    groupId: Id | None = None

    @model_validator(mode="after")
    def _group_templates_have_a_group(self) -> Self:
        if self.scope == "group" and self.groupId is None:
            raise_problems(self, [problem(("groupId",), "required for a group template", kind="missing")])
        if self.scope == "system" and self.groupId is not None:
            raise_problems(self, [problem(("groupId",), "a system template belongs to no group", self.groupId)])
        return self


class FunnelTemplate(_TemplateBase):
    kind: Literal["funnel"] = "funnel"
    properties: FunnelProperties = Field(default_factory=FunnelProperties)
    steps: list[TemplateStep] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _steps_and_properties_agree(self) -> Self:
        problems = duplicate_problems("steps", [step.slug for step in self.steps], "slug")
        for name in _CATALOG_FIELDS:
            ours, theirs = getattr(self, name), getattr(self.properties, name)
            if name not in self.properties.model_fields_set or theirs == ours:
                continue
            if name in self.model_fields_set:
                problems.append(problem(("properties", name), f"must be the template's {name} when given", theirs))
            else:  # a funnel saved as a template brings them in its properties
                setattr(self, name, theirs)
        raise_problems(self, problems)
        carried = {name: getattr(self, name) for name in _CATALOG_FIELDS}
        self.properties = FunnelProperties.model_validate({**self.properties.model_dump(), **carried})
        self.tags = self.properties.tags  # repeats dropped, as in the funnel
        return self


class PageTemplate(_TemplateBase):
    kind: Literal["page"] = "page"
    step: TemplateStep


Template = Annotated[FunnelTemplate | PageTemplate, Field(discriminator="kind")]


# --- The system catalog ----------------------------------------------------------------------


def system_funnel_templates() -> list[FunnelTemplate]:
    """Every system funnel template, in file name order. The templates are shared by the
    whole process: copy one (``model_copy(deep=True)``) before changing it."""
    return list(_funnel_templates())


def system_page_templates() -> list[PageTemplate]:
    """One page template per step of each system funnel template, in funnel and step order."""
    return list(_page_templates())


def find_system_template(template_id: str) -> FunnelTemplate | PageTemplate | None:
    return _templates_by_id().get(template_id)


def list_system_templates(
    kind: TemplateKind | None = None, category: str | None = None
) -> list[FunnelTemplate | PageTemplate]:
    """The system templates of a kind and a category (all when not given), funnels first."""
    return [
        template
        for template in _templates_by_id().values()
        if (kind is None or template.kind == kind) and (category is None or template.category == category)
    ]


def load_funnel_templates(folder: Traversable) -> tuple[FunnelTemplate, ...]:
    """The funnel templates of a folder's JSON files, in file name order: ``<slug>.json`` holds
    the system template ``tpl_sys_<slug>``. Raises ValidationError or ValueError naming the file."""
    files = sorted((entry for entry in folder.iterdir() if entry.name.endswith(".json")), key=lambda e: e.name)
    return tuple(_load(entry) for entry in files)


@cache
def _funnel_templates() -> tuple[FunnelTemplate, ...]:
    return load_funnel_templates(resources.files("funnel_core.templates").joinpath("system"))


@cache
def _page_templates() -> tuple[PageTemplate, ...]:
    return tuple(page for funnel in _funnel_templates() for page in _pages_of(funnel))


@cache
def _templates_by_id() -> dict[str, FunnelTemplate | PageTemplate]:
    templates: tuple[FunnelTemplate | PageTemplate, ...] = (*_funnel_templates(), *_page_templates())
    return {template.templateId: template for template in templates}


def _load(entry: Traversable) -> FunnelTemplate:
    try:
        template = FunnelTemplate.model_validate_json(entry.read_text(encoding="utf-8"))
    except ValidationError as error:
        error.add_note(f"in the system template file {entry.name}")
        raise
    # Funnels made from a template point at its id, so the id must never drift from the file.
    expected_id = SYSTEM_ID_PREFIX + entry.name.removesuffix(".json")
    if template.templateId != expected_id or template.scope != "system":
        raise ValueError(f"{entry.name} must hold the system template {expected_id}, not {template.templateId}")
    return template


def _pages_of(funnel: FunnelTemplate) -> list[PageTemplate]:
    return [
        PageTemplate(
            templateId=f"{funnel.templateId}{PAGE_ID_SEPARATOR}{step.slug}",
            name=f"{funnel.name} {_EN_DASH} {step.name}",
            category=funnel.category,
            tags=funnel.tags,
            description=f"The {step.name} step of the {funnel.name} funnel template.",
            previewImageUrl=step.previewImageUrl or funnel.previewImageUrl,
            step=step,
        )
        for step in funnel.steps
    ]
