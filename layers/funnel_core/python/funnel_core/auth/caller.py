"""The signed-in caller, from the JWT claims API Gateway's authorizer verified."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from funnel_core.errors import Unauthenticated

PLATFORM_OWNER_GROUP = "platform_owner"


@dataclass(frozen=True)
class Caller:
    person_id: str
    email: str | None
    name: str | None
    identity_groups: frozenset[str]

    @property
    def is_platform_owner(self) -> bool:
        return PLATFORM_OWNER_GROUP in self.identity_groups


def parse_list_claim(value: Any) -> list[str]:
    """A list claim arrives as a JSON list from a direct invoke, and as the string ``[a b]``
    from an HTTP API JWT authorizer, which flattens every claim to a string."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    text = str(value).strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return [part for part in text[1:-1].replace(",", " ").split() if part]
        return [str(item) for item in parsed] if isinstance(parsed, list) else [str(parsed)]
    return [part for part in text.replace(",", " ").split() if part]


def caller_from_claims(claims: dict[str, Any] | None) -> Caller:
    if not claims or not claims.get("sub"):
        raise Unauthenticated("a signed-in user is required")
    return Caller(
        person_id=str(claims["sub"]),
        email=claims.get("email"),
        name=claims.get("name"),
        identity_groups=frozenset(parse_list_claim(claims.get("cognito:groups"))),
    )
