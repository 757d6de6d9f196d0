"""A page of a list, and the binding that makes its cursor valid for one caller and query only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageRequest:
    """A page of a list: ``binding`` names the caller and query a cursor is valid for."""

    limit: int
    cursor: str | None
    binding: str


def page_request(person_id: str, route: str, limit: int, cursor: str | None, **shape: Any) -> PageRequest:
    """A cursor is valid only for the caller and the exact query (route, group, filters) it came from."""
    query = json.dumps({"route": route, **shape}, sort_keys=True, default=str)
    return PageRequest(limit=limit, cursor=cursor, binding=f"{person_id}|{query}")
