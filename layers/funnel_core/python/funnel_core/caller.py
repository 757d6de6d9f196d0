"""The signed-in caller, from the JWT claims API Gateway's authorizer verified."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from funnel_core.errors import Unauthenticated
from funnel_core.models.common import ID_PATTERN

PLATFORM_OWNER_GROUP = "platform_owner"
_PERSON_ID = re.compile(ID_PATTERN)


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
    person_id = str(claims["sub"])
    if not _PERSON_ID.fullmatch(person_id):
        # It becomes part of keys: refused here rather than by DynamoDB's key size.
        raise Unauthenticated("the token's sub is not a person id this API accepts (1-128 of A-Z a-z 0-9 _ - : . | @)")
    return Caller(
        person_id=person_id,
        email=claims.get("email"),
        name=claims.get("name"),
        identity_groups=frozenset(parse_list_claim(claims.get("cognito:groups"))),
    )
