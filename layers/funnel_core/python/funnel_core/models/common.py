"""Shapes shared by every resource."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from funnel_core.models.json import JsonObject

T = TypeVar("T")

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
SnakeName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
# Every id that reaches a key: server-made ids, and person ids from the identity provider
# (Cognito's are UUIDs, others look like "auth0|abc"). Never "#", which separates key parts, and
# short enough that every key built from ids stays under DynamoDB's key sizes.
ID_PATTERN = r"^[A-Za-z0-9_\-:.|@]{1,128}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]

__all__ = ["ID_PATTERN", "Body", "ErrorBody", "Id", "JsonObject", "Name", "Page", "Record", "Slug", "SnakeName"]


class StrictModel(BaseModel):
    """What a client sends, or a part of it: unknown fields are an error, so typos never pass
    silently, and text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Body(StrictModel):
    """A request body."""


class Record(BaseModel):
    """Something the API returns and the store keeps."""

    model_config = ConfigDict(extra="ignore", defer_build=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    nextCursor: str | None = None


class ErrorField(BaseModel):
    field: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[ErrorField] = Field(default_factory=list)


class ErrorBody(BaseModel):
    error: ErrorDetail
