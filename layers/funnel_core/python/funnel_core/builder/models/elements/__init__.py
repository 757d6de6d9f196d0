"""Page elements: the 38 element types of the builder and the ``settings`` each one takes, one
module per family (text, media, forms, commerce, social proof, urgency, interactive).

An element's ``properties`` are its ``elementType``, its ``settings`` (validated per type by
``validate_element_settings``), ``styling`` and ``visibility``. The value types they share with
the rest of the builder (``HttpsUrl``, ``HexColor``, ``Price`` ...) are in ``models.values``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import Annotated, Literal, Self

from pydantic import AliasChoices, BaseModel, Field, model_validator

from funnel_core.builder.models.elements.base import CANVAS_WIDTH, ELEMENT_CATEGORY, ElementCategory, ElementType
from funnel_core.models.common import Body, Id, JsonObject, StrictModel
from funnel_core.models.values import HexColor, Pixels, duplicate_problems, problem, raise_problems, typed_by

__all__ = [
    "CANVAS_WIDTH",
    "ELEMENT_CATEGORY",
    "SETTINGS_MODELS",
    "ElementCategory",
    "ElementCreate",
    "ElementLayout",
    "ElementOrder",
    "ElementStyling",
    "ElementType",
    "ElementUpdate",
    "ElementVisibility",
    "validate_element_settings",
]


class _SettingsModels(Mapping[ElementType, type[BaseModel]]):
    """Each element type's settings model, its family's module imported on first use: a route
    meets a few element types, and all 38 families' models take long to define."""

    def __getitem__(self, element_type: ElementType) -> type[BaseModel]:
        family = import_module(f"{__name__}.{ELEMENT_CATEGORY[element_type]}")
        return family.SETTINGS[element_type]

    def __iter__(self) -> Iterator[ElementType]:
        return iter(ELEMENT_CATEGORY)

    def __len__(self) -> int:
        return len(ELEMENT_CATEGORY)


SETTINGS_MODELS: Mapping[ElementType, type[BaseModel]] = _SettingsModels()


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


class ElementLayout(StrictModel):
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


# Accepted under its old name: ``position`` in a request body is the layout box; in answers
# ``position`` is the element's place in its step (docs/api-changes.md).
_LAYOUT = AliasChoices("layout", "position")


class ElementCreate(Body):
    elementType: ElementType
    settings: Annotated[JsonObject, typed_by("elementType", validate_element_settings)]
    styling: ElementStyling = Field(default_factory=ElementStyling)
    visibility: ElementVisibility = Field(default_factory=ElementVisibility)
    layout: ElementLayout | None = Field(default=None, validation_alias=_LAYOUT)

    @property
    def position(self) -> ElementLayout | None:
        """The layout box, by its old name."""
        return self.layout


class ElementUpdate(Body):
    """``settings`` are validated against the element's stored type by the caller."""

    version: int = Field(ge=1)
    settings: JsonObject | None = None
    styling: ElementStyling | None = None
    visibility: ElementVisibility | None = None
    layout: ElementLayout | None = Field(default=None, validation_alias=_LAYOUT)

    @property
    def position(self) -> ElementLayout | None:
        return self.layout


class ElementOrder(Body):
    elementIds: list[Id] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        raise_problems(self, duplicate_problems("elementIds", self.elementIds))
        return self
