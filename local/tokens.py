"""JWTs for the local stack: HS256, signed with ``LOCAL_JWT_SECRET``, shaped like Cognito ID tokens.

The local authorizer checks them as API Gateway's JWT authorizer checks Cognito's: signature,
``exp``, issuer and audience. On AWS the same claims come from the user pool.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import Any

import jwt

DEFAULT_SECRET = "local-dev-secret"  # noqa: S105 - the documented local default
SECRET_ENV = "LOCAL_JWT_SECRET"  # noqa: S105 - the variable's name
LOCAL_ISSUER = "local"
LOCAL_AUDIENCE = "funnel-builder"
ALGORITHM = "HS256"


def local_jwt_secret() -> str:
    return os.environ.get(SECRET_ENV) or DEFAULT_SECRET


def mint_token(
    sub: str,
    email: str | None = None,
    name: str | None = None,
    groups: Iterable[str] = (),
    ttl_seconds: int = 3600,
    secret: str | None = None,
) -> str:
    """A token for ``sub``; a negative ``ttl_seconds`` gives one that has already expired.

    ``cognito:groups`` is left out when empty, as Cognito leaves it out for users in no group.
    """
    now = int(time.time())
    claims: dict[str, Any] = {"sub": sub, "iss": LOCAL_ISSUER, "aud": LOCAL_AUDIENCE}
    claims.update(iat=now, exp=now + ttl_seconds)
    if email is not None:
        claims["email"] = email
    if name is not None:
        claims["name"] = name
    if group_list := list(groups):
        claims["cognito:groups"] = group_list
    return jwt.encode(claims, secret or local_jwt_secret(), algorithm=ALGORITHM)
