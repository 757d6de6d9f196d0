"""Checks every area makes of what a client sends, beyond its request model."""

from __future__ import annotations

import json
import re
import secrets
import unicodedata
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from funnel_core.errors import FieldProblem, PayloadTooLarge, ValidationFailed, VersionConflict

MAX_PROPERTIES_BYTES = 100_000


def stored_size(value: Any) -> int:
    """The bytes ``value`` takes as stored: UTF-8, as DynamoDB counts it (not ``\\u`` escapes)."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str).encode())


def require_size(field: str, value: Any, limit: int = MAX_PROPERTIES_BYTES) -> None:
    size = stored_size(value)
    if size > limit:
        raise PayloadTooLarge(
            f"{field} is {size} bytes; the limit is {limit}", [FieldProblem(field, f"at most {limit} bytes")]
        )


def validation_failed(error: ValidationError, prefix: str = "") -> ValidationFailed:
    """A pydantic error on a nested value (or, without ``prefix``, on a whole body), reported
    with the field path the client sent."""
    problems = [
        FieldProblem(
            ".".join([*([prefix] if prefix else []), *(str(part) for part in e["loc"])]),
            e["msg"].removeprefix("Value error, "),
        )
        for e in error.errors()
    ]
    return ValidationFailed("; ".join(f"{p.field}: {p.message}" for p in problems), problems)


def checked(
    field: str,
    value: dict[str, Any],
    validate: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    limit: int = MAX_PROPERTIES_BYTES,
) -> dict[str, Any]:
    """``value`` within ``limit`` bytes (else 413), as ``validate`` normalizes it (a thing's
    properties by its type, an element's settings by its type): its errors are the client's 422
    at ``field.<path>``."""
    require_size(field, value, limit)
    if validate is None:
        return value
    try:
        return validate(value)
    except ValidationError as error:
        raise validation_failed(error, field) from None


def given(body: Any, *names: str) -> dict[str, Any]:
    """The fields of an update ``body`` among ``names`` that it sets (None leaves a field as is)."""
    return {name: getattr(body, name) for name in names if getattr(body, name) is not None}


def require_version(what: str, current: int, sent: int) -> None:
    """An update is based on the ``version`` its client read: a stale one is 409."""
    if sent != current:
        raise VersionConflict(f"{what} is at version {current}, not {sent}")


def slugify(text: str, fallback: str) -> str:
    """A URL slug from a name; ``fallback`` when the name has nothing to make one from."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:63].strip("-")
    return slug or fallback


def with_suffix(slug: str) -> str:
    """A derived slug made unique: the client chose none, so a taken one is no reason to refuse."""
    suffix = f"-{secrets.token_hex(3)}"
    return f"{slug[: 63 - len(suffix)]}{suffix}"
