"""The filter patterns of stream event source mappings."""

from __future__ import annotations

import pytest

from local.event_patterns import EventPattern

AUDIT_PATTERN = {"eventName": ["INSERT"], "dynamodb": {"Keys": {"PK": {"S": [{"prefix": "EVENTS#"}]}}}}


def _record(event_name: str, pk: str) -> dict[str, object]:
    return {"eventName": event_name, "dynamodb": {"Keys": {"PK": {"S": pk}, "SK": {"S": "x"}}}}


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (_record("INSERT", "EVENTS#g1"), True),
        (_record("MODIFY", "EVENTS#g1"), False),
        (_record("INSERT", "GROUP#g1"), False),
        ({"eventName": "INSERT"}, False),
        ({"eventName": "INSERT", "dynamodb": "not an object"}, False),
    ],
)
def test_the_audit_archive_pattern(record: dict[str, object], expected: bool) -> None:
    assert EventPattern(AUDIT_PATTERN).matches(record) is expected


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        (["a", "b"], "b", True),
        ([1, 2], 2, True),
        (["a"], ["x", "a"], True),  # a list field matches when any element does
        ([{"suffix": ".json"}], "e.json", True),
        ([{"equals-ignore-case": "insert"}], "INSERT", True),
        ([{"anything-but": ["REMOVE"]}], "INSERT", True),
        ([{"anything-but": "REMOVE"}], "REMOVE", False),
        ([{"exists": True}], "anything", True),
        ([None], None, True),
    ],
)
def test_operators(rule: list[object], value: object, expected: bool) -> None:
    assert EventPattern({"field": rule}).matches({"field": value}) is expected


def test_exists_false_matches_an_absent_field() -> None:
    pattern = EventPattern({"field": [{"exists": False}]})

    assert pattern.matches({"other": 1})
    assert not pattern.matches({"field": 1})


@pytest.mark.parametrize(
    "pattern",
    [
        {},
        {"field": []},
        {"field": "not a list"},
        {"field": [{"numeric": [">", 1]}]},
        {"field": [{"prefix": "a", "suffix": "b"}]},
    ],
)
def test_patterns_that_cannot_be_honoured_are_refused_up_front(pattern: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="pattern"):
        EventPattern(pattern)
