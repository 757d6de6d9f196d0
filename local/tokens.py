"""JWTs for the local stack: HS256, signed with ``LOCAL_JWT_SECRET``, shaped like Cognito ID tokens.

The local authorizer checks them as API Gateway's JWT authorizer checks Cognito's: signature,
``exp``, issuer and audience. On AWS the same claims come from the user pool.
"""

from __future__ import annotations

import argparse
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


def main(arguments: list[str] | None = None) -> int:
    """``python -m local.tokens --sub <sub> [--groups a,b] [--hours 12]``: print a token the local
    API accepts (``make token USER=<sub> GROUPS=<group,...>``)."""
    parser = argparse.ArgumentParser(prog="python -m local.tokens", description=main.__doc__)
    parser.add_argument("--sub", default="dev-user", help="the person id (default dev-user)")
    parser.add_argument("--groups", default="", help="comma-separated cognito:groups, e.g. platform_owner")
    parser.add_argument("--email", default=None)
    parser.add_argument("--name", default=None)
    parser.add_argument("--hours", type=float, default=12.0, help="how long it is valid (default 12)")
    options = parser.parse_args(arguments)
    groups = [group.strip() for group in options.groups.split(",") if group.strip()]
    email = options.email or f"{options.sub}@example.com"
    print(mint_token(options.sub, email=email, name=options.name, groups=groups, ttl_seconds=int(options.hours * 3600)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
