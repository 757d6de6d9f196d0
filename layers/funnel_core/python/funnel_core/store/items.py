"""Models <-> items: a stored item is its model's fields plus its keys, its index entries and the
``entity`` that says what it is."""

from __future__ import annotations

from typing import Any, Final, TypeVar

from pydantic import BaseModel

from funnel_core.store.tenancy import PK, SK

M = TypeVar("M", bound=BaseModel)

KEY_ATTRIBUTES: Final = frozenset({PK, SK, "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK", "entity"})


def as_item(record: BaseModel, entity: str, key: dict[str, str], index: dict[str, str] | None = None) -> dict[str, Any]:
    # Bytes stay bytes (DynamoDB's binary type); everything else as its JSON form.
    binary = {name for name, info in type(record).model_fields.items() if info.annotation is bytes}
    fields = {**record.model_dump(mode="json", exclude=binary), **{name: getattr(record, name) for name in binary}}
    return {**fields, **key, **(index or {}), "entity": entity}


def fields_of(record: dict[str, Any]) -> dict[str, Any]:
    """A read item without its keys, index entries and entity: the model's fields."""
    return {name: value for name, value in record.items() if name not in KEY_ATTRIBUTES}


def to_model(model: type[M], record: dict[str, Any]) -> M:
    return model.model_validate(fields_of(record))


def key_of(key_or_record: dict[str, Any]) -> tuple[str, str]:
    """An item's or a key's (PK, SK), to match items read back with the keys asked for."""
    return key_or_record[PK], key_or_record[SK]
