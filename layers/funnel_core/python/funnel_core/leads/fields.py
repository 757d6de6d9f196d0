"""A post's values checked against the published form: the email always (valid, normalized),
every other field by its type and ``required``; each problem named at its field, in words a
visitor understands."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError

from funnel_core.ontology.models.properties import normalized_email

MAX_TEXT = 1000
MAX_TEXTAREA = 10_000
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{5,32}$")
_TRUE = frozenset({"yes", "on", "true", "1"})
CONSENT_PREFIX = "consent"


@dataclass
class Checked:
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _label(spec: dict[str, Any]) -> str:
    return spec.get("label") or spec["name"]


def _one(spec: dict[str, Any], raw: str) -> Any:
    """One field's value, or ValueError with what is wrong with it."""
    kind = spec.get("type", "text")
    if kind == "email":
        try:
            return normalized_email(raw)
        except EmailNotValidError:
            raise ValueError("Enter a valid email address, like name@example.com") from None
    if kind == "tel":
        if not _PHONE.match(raw):
            raise ValueError("Enter a phone number: digits, spaces, + ( ) - only")
        return raw
    if kind == "number":
        try:
            number = float(raw)
        except ValueError:
            raise ValueError("Enter a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("Enter a number")
        return int(number) if number.is_integer() else number
    if kind == "select":
        allowed = [option["value"] for option in spec.get("options") or []]
        if raw not in allowed:
            raise ValueError("Choose one of the options")
        return raw
    if kind == "checkbox":
        return raw.lower() in _TRUE
    limit = MAX_TEXTAREA if kind == "textarea" else MAX_TEXT
    if len(raw) > limit:
        raise ValueError(f"Use at most {limit} characters")
    return raw


def check(fields: list[dict[str, Any]], values: dict[str, str]) -> Checked:
    result = Checked()
    for spec in fields:
        name = spec["name"]
        raw = (values.get(name) or "").strip()
        kind = spec.get("type", "text")
        required = spec.get("required", False) or name == "email"
        empty = raw == "" or (kind == "checkbox" and raw.lower() not in _TRUE)
        if empty:
            if required:
                result.errors[name] = (
                    f"Tick this box to continue: {_label(spec)}"
                    if kind == "checkbox"
                    else f"Enter your {_label(spec).lower()}"
                )
            elif kind == "checkbox":
                result.data[name] = False
            continue
        try:
            result.data[name] = _one(spec, raw)
        except ValueError as error:
            result.errors[name] = str(error)
    return result


def consent_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checkboxes that ask for consent: named ``consent`` or ``consent...``."""
    return [spec for spec in fields if spec.get("type") == "checkbox" and spec["name"].startswith(CONSENT_PREFIX)]
