"""API Gateway's HTTP API JWT authorizer, with an HS256 secret in place of the issuer's JWKS.

It checks what the real one checks (signature, ``exp``, ``nbf``, ``iat``, issuer, audience or
``client_id``) and hands the claims on as the real one does: every value flattened to a
string, lists as ``[a b]``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import jwt

from local.tokens import ALGORITHM, LOCAL_AUDIENCE, LOCAL_ISSUER

_BEARER = "bearer "


class Unauthorized(Exception):
    """The request gets API Gateway's 401; ``reason`` goes in its ``www-authenticate`` header."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def www_authenticate(self) -> str:
        return f'Bearer scope="" error="invalid_token" error_description="{self.reason}"'


class JwtAuthorizer:
    def __init__(self, secret: str, *, issuer: str = LOCAL_ISSUER, audience: str = LOCAL_AUDIENCE):
        self.secret = secret
        self.issuer = issuer
        self.audience = audience

    def authorize(self, authorization: str | None) -> dict[str, str]:
        """The rendered claims of the token in an ``Authorization`` header value.

        Like API Gateway, it takes the token alone or prefixed with ``Bearer``.
        """
        token = (authorization or "").strip()
        if token[: len(_BEARER)].lower() == _BEARER:
            token = token[len(_BEARER) :].strip()
        if not token:
            raise Unauthorized("no token")
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                options={"require": ["exp", "iss"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthorized("the token has expired") from error
        except jwt.InvalidTokenError as error:
            raise Unauthorized(f"the token is not valid: {error}") from error
        if not self._audience_matches(claims):
            raise Unauthorized("the token does not have a valid audience")
        return render_claims(claims)

    def _audience_matches(self, claims: Mapping[str, Any]) -> bool:
        """``aud`` must name the audience; only a token without ``aud`` is judged by ``client_id``."""
        if "aud" in claims:
            audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
            return self.audience in audiences
        return claims.get("client_id") == self.audience


def render_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    return {name: render_claim(value) for name, value in claims.items()}


def render_claim(value: Any) -> str:
    """A claim as API Gateway passes it on: a list as ``[a b]``, a boolean as ``true``, a number as
    ``1700000000``. Objects, which no claim here carries, become JSON: API Gateway's exact form for
    them is not documented."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + " ".join(render_claim(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return json.dumps(value, separators=(",", ":"))
    return "" if value is None else str(value)
