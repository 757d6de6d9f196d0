"""Funnel and page templates: the shapes a template holds its steps and elements in (those the
funnel routes take, validated by the same models), what the routes answer about templates, and a
group template as stored."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from funnel_core.builder.models.elements import ElementCreate
from funnel_core.builder.models.funnels import FunnelCategory, FunnelProperties, Tag
from funnel_core.builder.models.steps import StepPropertiesOfType, StepType
from funnel_core.models.common import Body, Id, Name, Record, Slug, StrictModel
from funnel_core.models.values import HttpsUrl, duplicate_problems, problem, raise_problems

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
    properties: StepPropertiesOfType = Field(default_factory=dict, validate_default=True)
    previewImageUrl: HttpsUrl | None = None
    elements: list[TemplateElement] = Field(default_factory=list, max_length=100)


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


class TemplateSummary(Record):
    templateId: str
    kind: TemplateKind
    scope: Literal["system", "group"]
    name: str
    category: str
    tags: list[str] = Field(default_factory=list)
    description: str | None = None
    previewImageUrl: str | None = None
    usageCount: int = 0
    stepCount: int


class TemplateSave(Body):
    name: Name
    fromFunnelId: Id | None = None
    fromStepId: Id | None = None
    # A step is found through its funnel.
    funnelId: Id | None = None
    category: FunnelCategory | None = None
    description: str | None = Field(default=None, max_length=2000)


class StoredTemplate(Record):
    """A group's own template: its summary as attributes, the whole template as compressed JSON."""

    templateId: str
    groupId: str
    kind: str
    name: str
    category: str
    tags: list[str] = Field(default_factory=list)
    description: str | None = None
    previewImageUrl: str | None = None
    usageCount: int = 0
    stepCount: int
    body: bytes
    createdAt: str
    createdBy: str
