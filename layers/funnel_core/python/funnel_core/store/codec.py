"""Python values <-> DynamoDB attribute values (numbers travel as Decimal)."""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
_decimal_context = Context(prec=38)


def _to_dynamo_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return _decimal_context.create_decimal_from_float(value).normalize()
    if isinstance(value, dict):
        return {key: _to_dynamo_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_to_dynamo_value(item) for item in value]
    return value


def _from_dynamo_value(value: Any) -> Any:
    if isinstance(value, Binary):
        return value.value  # type: ignore[attr-defined]  # set in __init__, missing from the stubs
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _from_dynamo_value(item) for key, item in value.items()}
    if isinstance(value, list | set):
        return [_from_dynamo_value(item) for item in value]
    return value


def serialize(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(_to_dynamo_value(value)) for key, value in item.items() if value is not None}


def serialize_value(value: Any) -> Any:
    return _serializer.serialize(_to_dynamo_value(value))


def deserialize(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _from_dynamo_value(_deserializer.deserialize(value)) for key, value in item.items()}
