"""The part of EventBridge-style patterns that Lambda event filtering uses, for stream records.

A pattern is an object whose keys must all match: an object value descends into the record, a
list value lists what the field may be (any one will do). List items are literals or one of
the operators ``prefix``, ``suffix``, ``equals-ignore-case``, ``anything-but`` and ``exists``.
A pattern with anything else is refused when it is read, rather than silently never matching.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

_MISSING = object()
_Matcher = Callable[[Any], bool]


class EventPattern:
    def __init__(self, pattern: Mapping[str, Any]):
        self._match = _compile_object(pattern, "")

    def matches(self, record: Mapping[str, Any]) -> bool:
        return self._match(record)


def _compile_object(pattern: Mapping[str, Any], where: str) -> _Matcher:
    if not isinstance(pattern, Mapping) or not pattern:
        raise ValueError(f"pattern{where} must be a non-empty object")
    fields = {key: _compile_field(rule, f"{where}.{key}") for key, rule in pattern.items()}

    def match(value: Any) -> bool:
        return isinstance(value, Mapping) and all(rule(value.get(key, _MISSING)) for key, rule in fields.items())

    return match


def _compile_field(rule: Any, where: str) -> _Matcher:
    if isinstance(rule, Mapping):
        return _compile_object(rule, where)
    if not isinstance(rule, list) or not rule:
        raise ValueError(f"pattern{where} must be an object or a non-empty list")
    alternatives = [_compile_alternative(item, where) for item in rule]

    def match(value: Any) -> bool:
        # A list in the record matches when any of its elements does.
        candidates = value if isinstance(value, list) else [value]
        return any(alternative(candidate) for alternative in alternatives for candidate in candidates)

    return match


def _compile_alternative(item: Any, where: str) -> _Matcher:
    if not isinstance(item, Mapping):
        return lambda value: value is not _MISSING and value == item
    if len(item) != 1:
        raise ValueError(f"pattern{where}: one operator per object, got {sorted(item)}")
    ((operator, operand),) = item.items()
    if operator == "exists":
        return lambda value: (value is not _MISSING) == bool(operand)
    if operator == "prefix":
        return lambda value: isinstance(value, str) and value.startswith(operand)
    if operator == "suffix":
        return lambda value: isinstance(value, str) and value.endswith(operand)
    if operator == "equals-ignore-case":
        return lambda value: isinstance(value, str) and value.casefold() == str(operand).casefold()
    if operator == "anything-but":
        excluded = operand if isinstance(operand, list) else [operand]
        return lambda value: value is not _MISSING and value not in excluded
    raise ValueError(f"pattern{where}: the operator {operator!r} is not supported locally")
