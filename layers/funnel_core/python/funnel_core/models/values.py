"""Value types and field-located validation errors shared by the builder's models: elements,
steps, funnels and templates."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, Url


def _https_url(value: str) -> str:
    try:
        host = Url(value).host if value.startswith("https://") else None
    except ValidationError:
        host = None
    if not host or any(char.isspace() for char in value):
        raise ValueError("must be an https:// URL")
    return value


def _https_url_or_path(value: str) -> str:
    # "//host" and "/\host" are read by browsers as another site: an open redirect.
    if value.startswith("/") and not value.startswith("//") and not any(c.isspace() or c == "\\" for c in value):
        return value
    try:
        return _https_url(value)
    except ValueError:
        raise ValueError("must be an https:// URL or a path starting with /") from None


HttpsUrl = Annotated[str, StringConstraints(max_length=2048), AfterValidator(_https_url)]
# Where a visitor is sent next: another site over https, or a path on the funnel's own domain.
RedirectTarget = Annotated[str, StringConstraints(max_length=2048), AfterValidator(_https_url_or_path)]
HexColor = Annotated[str, StringConstraints(pattern=r"^#(?:[0-9A-Fa-f]{3}){1,2}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# Exact in, and a plain JSON number out (a 12-digit, 2-decimal amount survives the float).
Price = Annotated[
    Decimal,
    Field(ge=0, max_digits=12, decimal_places=2),
    PlainSerializer(float, return_type=float, when_used="json"),
]
FieldName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]
Label = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ButtonText = Annotated[str, StringConstraints(min_length=1, max_length=60)]
AltText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Pixels = Annotated[int, Field(ge=0, le=500)]


# --- Errors at the field they concern --------------------------------------------------------


def problem(loc: tuple[str | int, ...], message: str, value: Any = None, kind: str = "value_error") -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError(kind, message), loc=loc, input=value)


def raise_problems(model: BaseModel, problems: list[InitErrorDetails]) -> None:
    """Fail a model validator with errors located at fields, not at the model as a whole."""
    if problems:
        raise ValidationError.from_exception_data(type(model).__name__, problems)


def duplicate_problems(field: str, values: Sequence[Hashable], attribute: str | None = None) -> list[InitErrorDetails]:
    """One error at each value that repeats an earlier one, at ``field.<index>[.attribute]``."""
    seen: set[Hashable] = set()
    problems = []
    for index, value in enumerate(values):
        if value in seen:
            loc: tuple[str | int, ...] = (field, index) if attribute is None else (field, index, attribute)
            problems.append(problem(loc, "must be unique", value))
        seen.add(value)
    return problems


# --- Properties validated by a sibling type field ---------------------------------------------


def typed_by(type_field: str, validate: Callable[[Any, dict[str, Any]], dict[str, Any]]) -> AfterValidator:
    """Validate a free-form object by the model's ``type_field`` (a step's properties by its
    ``stepType``, an element's settings by its ``elementType``). Declare it after the type field;
    when that field is already invalid, there is nothing to validate against."""

    def check(value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        kind = info.data.get(type_field)
        return value if kind is None else validate(kind, value)

    return AfterValidator(check)
