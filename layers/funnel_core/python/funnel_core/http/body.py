"""Request bodies read strictly: JSON as RFC 8259 has it, and only what DynamoDB can keep.

Python's ``json`` accepts ``NaN``, ``Infinity`` and ``1e999`` (which becomes infinity), and
recurses until the interpreter gives up. Here each of those, lone surrogates (which no UTF-8 can
encode) and nesting past ``MAX_DEPTH`` are a ``JSONDecodeError``, which the resolver answers
with the API's 400 ``invalid_json``; nothing reaches a model, let alone DynamoDB.
"""

from __future__ import annotations

import json
import math
from typing import Any

from funnel_core.models.json import encodable

MAX_DEPTH = 64


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large for a number")
    return number


def loads(text: str | bytes) -> Any:
    """``text`` as JSON, strictly; raises ``json.JSONDecodeError`` naming what is wrong."""
    document = text.decode("utf-8") if isinstance(text, bytes) else text
    try:
        value = json.loads(document, parse_constant=_refuse_constant, parse_float=_finite)
    except RecursionError:
        raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", document, 0) from None
    except ValueError as error:
        if isinstance(error, json.JSONDecodeError):
            raise
        raise json.JSONDecodeError(str(error), document, 0) from None
    problem = _problem(value, 1)
    if problem:
        raise json.JSONDecodeError(problem, document, 0)
    return value


def _problem(value: Any, depth: int) -> str | None:
    if depth > MAX_DEPTH:
        return f"nested deeper than {MAX_DEPTH} levels"
    if isinstance(value, str):
        return None if encodable(value) else "a string holds a lone surrogate, which is not Unicode text"
    if isinstance(value, dict):
        for key, item in value.items():
            if not encodable(key):
                return "a key holds a lone surrogate, which is not Unicode text"
            if problem := _problem(item, depth + 1):
                return problem
    elif isinstance(value, list):
        for item in value:
            if problem := _problem(item, depth + 1):
                return problem
    return None
