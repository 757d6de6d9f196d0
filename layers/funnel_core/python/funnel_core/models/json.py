"""Free-form JSON (``properties``, ``settings``, ``metadata``) that DynamoDB can hold.

DynamoDB refuses what JSON allows: an empty map key, a number beyond its 38 digits or outside
1E-130..9.99E+125, nesting deeper than 32 levels. Checked at the edge, each is the client's 422
naming the exact place, instead of a 500 from the write (or, for NaN and infinities that Python
would let through, a value silently stored as null).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

# DynamoDB nests documents 32 levels deep; the value sits one level under its item.
MAX_DEPTH = 31
MAX_DIGITS = 38
_SMALLEST = Decimal("1E-130")
_LARGEST = Decimal("1E+126")

Location = tuple[str | int, ...]


def storable_problems(value: Any, loc: Location = (), depth: int = 1) -> list[InitErrorDetails]:
    """Everything in ``value`` DynamoDB could not store, each at its location."""
    if depth > MAX_DEPTH:
        return [_problem(loc, f"nests deeper than {MAX_DEPTH} levels", value)]
    if isinstance(value, dict):
        problems = []
        for key, item in value.items():
            if not isinstance(key, str) or key == "":
                problems.append(_problem((*loc, str(key)), "a key must be a non-empty string", key))
            else:
                problems += storable_problems(item, (*loc, key), depth + 1)
        return problems
    if isinstance(value, list):
        return [problem for n, item in enumerate(value) for problem in storable_problems(item, (*loc, n), depth + 1)]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        message = _number_problem(value)
        return [_problem(loc, message, value)] if message else []
    if isinstance(value, str):
        return [] if encodable(value) else [_problem(loc, "must be valid Unicode (no lone surrogates)", value)]
    return [_problem(loc, f"{type(value).__name__} is not a JSON value", repr(value))]


def _number_problem(number: int | float) -> str | None:
    if isinstance(number, float) and not math.isfinite(number):
        return "must be a finite number"
    exact = Decimal(number) if isinstance(number, int) else Decimal(repr(number))
    if exact == 0:
        return None
    if isinstance(number, int) and len(str(abs(number)).rstrip("0")) > MAX_DIGITS:
        return f"has more than {MAX_DIGITS} significant digits"
    if not _SMALLEST <= abs(exact) < _LARGEST:
        return "must be between 1E-130 and 9.99E+125 in magnitude"
    return None


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _problem(loc: Location, message: str, value: Any) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError("not_storable", message), loc=loc, input=value)


def _storable(value: dict[str, Any]) -> dict[str, Any]:
    problems = storable_problems(value)
    if problems:
        raise ValidationError.from_exception_data("JsonObject", problems)
    return value


JsonObject = Annotated[dict[str, Any], AfterValidator(_storable)]
