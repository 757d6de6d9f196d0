"""The local JWT authorizer accepts what API Gateway's accepts and renders claims the same way."""

from __future__ import annotations

import time

import jwt
import pytest

from local.jwt_authorizer import JwtAuthorizer, Unauthorized, render_claim
from local.tokens import LOCAL_AUDIENCE, LOCAL_ISSUER, mint_token

SECRET = "unit-secret"
AUTHORIZER = JwtAuthorizer(SECRET)


def test_claims_of_a_minted_token_arrive_as_strings() -> None:
    token = mint_token("u1", email="u1@example.com", name="U One", groups=["platform_owner", "beta"], secret=SECRET)

    claims = AUTHORIZER.authorize(f"Bearer {token}")

    assert claims["sub"] == "u1"
    assert claims["email"] == "u1@example.com"
    assert claims["name"] == "U One"
    assert claims["cognito:groups"] == "[platform_owner beta]"
    assert (claims["iss"], claims["aud"]) == (LOCAL_ISSUER, LOCAL_AUDIENCE)
    assert claims["exp"].isdigit()


def test_token_without_bearer_prefix_is_accepted_like_api_gateway_does() -> None:
    assert AUTHORIZER.authorize(mint_token("u1", secret=SECRET))["sub"] == "u1"


def test_no_groups_means_no_groups_claim_like_cognito() -> None:
    assert "cognito:groups" not in AUTHORIZER.authorize(mint_token("u1", secret=SECRET))


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer ",
        "Bearer not-a-jwt",
        f"Bearer {mint_token('u1', secret='another-secret')}",
        f"Bearer {mint_token('u1', secret=SECRET, ttl_seconds=-60)}",
    ],
    ids=["missing", "empty", "bearer-only", "garbage", "bad-signature", "expired"],
)
def test_refused_tokens(header: str | None) -> None:
    with pytest.raises(Unauthorized):
        AUTHORIZER.authorize(header)


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "u1", "iss": LOCAL_ISSUER, "aud": LOCAL_AUDIENCE},  # no exp
        {"sub": "u1", "iss": "someone-else", "aud": LOCAL_AUDIENCE, "exp": time.time() + 60},
        {"sub": "u1", "iss": LOCAL_ISSUER, "aud": "another-app", "exp": time.time() + 60},
    ],
    ids=["no-exp", "wrong-issuer", "wrong-audience"],
)
def test_claims_api_gateway_would_refuse(claims: dict[str, object]) -> None:
    with pytest.raises(Unauthorized):
        AUTHORIZER.authorize(jwt.encode(claims, SECRET, algorithm="HS256"))


def test_client_id_stands_for_a_missing_audience() -> None:
    token = jwt.encode(
        {"sub": "u1", "iss": LOCAL_ISSUER, "client_id": LOCAL_AUDIENCE, "exp": time.time() + 60}, SECRET, "HS256"
    )

    assert AUTHORIZER.authorize(token)["sub"] == "u1"


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        (["a", "b"], "[a b]"),
        ([], "[]"),
        (True, "true"),
        (1700000000, "1700000000"),
        (1700000000.0, "1700000000"),
        ("text", "text"),
    ],
)
def test_claim_rendering(value: object, rendered: str) -> None:
    assert render_claim(value) == rendered


def test_401_carries_the_reason_like_api_gateway() -> None:
    with pytest.raises(Unauthorized) as refusal:
        AUTHORIZER.authorize(mint_token("u1", secret=SECRET, ttl_seconds=-60))

    assert refusal.value.www_authenticate.startswith('Bearer scope="" error="invalid_token"')
