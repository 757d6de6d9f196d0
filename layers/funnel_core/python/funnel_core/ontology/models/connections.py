"""Connections: typed, directed relationships between two things of a group."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, Field

from funnel_core.models.common import Body, Id, JsonObject, Record, SnakeName


class Direction(StrEnum):
    OUT = "out"
    IN = "in"


class ConnectionCreate(Body):
    fromThingId: Id
    toThingId: Id
    relationshipType: SnakeName
    metadata: JsonObject = Field(default_factory=dict)
    strength: float = Field(default=1.0, ge=0.0, le=1.0)
    validFrom: AwareDatetime | None = None
    validTo: AwareDatetime | None = None


class Connection(Record):
    connectionId: str
    groupId: str
    fromThingId: str
    toThingId: str
    relationshipType: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    strength: float = 1.0
    validFrom: str
    validTo: str | None = None
    version: int = 1
    createdAt: str
    updatedAt: str
    createdBy: str
