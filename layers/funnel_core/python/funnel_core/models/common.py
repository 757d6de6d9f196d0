"""Shapes shared by every resource."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

T = TypeVar("T")

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
SnakeName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-:.]{1,128}$")]
JsonObject = dict[str, Any]


class StrictModel(BaseModel):
    """What a client sends, or a part of it: unknown fields are an error, so typos never pass
    silently, and text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Body(StrictModel):
    """A request body."""


class Record(BaseModel):
    """Something the API returns and the store keeps."""

    model_config = ConfigDict(extra="ignore")


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
