"""Helpers every domain module uses: audit events, page requests, slugs, size limits."""

from __future__ import annotations

import json
import re
import secrets
import unicodedata
from typing import Any

from pydantic import ValidationError

from funnel_core.auth.caller import Caller
from funnel_core.errors import FieldProblem, PayloadTooLarge, ValidationFailed
from funnel_core.ids import new_id, now_iso
from funnel_core.models.connections import Connection
from funnel_core.models.events import Event, EventType
from funnel_core.store.ontology import PageRequest

MAX_PROPERTIES_BYTES = 100_000


def audit_event(
    event_type: EventType,
    caller: Caller,
    group_id: str,
    target_id: str,
    metadata: dict[str, Any] | None = None,
    timestamp: str | None = None,
) -> Event:
    return Event(
        eventId=new_id("evt"),
        groupId=group_id,
        type=event_type,
        actorId=caller.person_id,
        targetId=target_id,
        timestamp=timestamp or now_iso(),
        metadata=metadata or {},
    )


def ownership(caller: Caller, group_id: str, thing_id: str, at: str) -> Connection:
    """The ``owns`` connection from the person who made a thing to the thing."""
    return Connection(
        connectionId=new_id("con"),
        groupId=group_id,
        fromThingId=caller.person_id,
        toThingId=thing_id,
        relationshipType="owns",
        validFrom=at,
        createdAt=at,
        updatedAt=at,
        createdBy=caller.person_id,
    )


def page_request(caller: Caller, route: str, limit: int, cursor: str | None, **shape: Any) -> PageRequest:
    """A cursor is valid only for the caller and the exact query (route, group, filters) it came from."""
    query = json.dumps({"route": route, **shape}, sort_keys=True, default=str)
    return PageRequest(limit=limit, cursor=cursor, binding=f"{caller.person_id}|{query}")


def slugify(text: str, fallback: str) -> str:
    """A URL slug from a name; ``fallback`` when the name has nothing to make one from."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:63].strip("-")
    return slug or fallback


def with_suffix(slug: str) -> str:
    """A derived slug made unique: the client chose none, so a taken one is no reason to refuse."""
    suffix = f"-{secrets.token_hex(3)}"
    return f"{slug[: 63 - len(suffix)]}{suffix}"


def require_size(field: str, value: Any, limit: int = MAX_PROPERTIES_BYTES) -> None:
    size = len(json.dumps(value, separators=(",", ":"), default=str).encode())
    if size > limit:
        raise PayloadTooLarge(
            f"{field} is {size} bytes; the limit is {limit}", [FieldProblem(field, f"at most {limit} bytes")]
        )


def validation_failed(error: ValidationError, prefix: str) -> ValidationFailed:
    """A pydantic error on a nested value, reported with the field path the client sent."""
    problems = [
        FieldProblem(".".join([prefix, *(str(part) for part in e["loc"])]), e["msg"].removeprefix("Value error, "))
        for e in error.errors()
    ]
    return ValidationFailed("; ".join(f"{p.field}: {p.message}" for p in problems), problems)
