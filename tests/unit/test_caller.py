"""Claims as API Gateway's JWT authorizer hands them to a function."""

import pytest

from funnel_core.caller import caller_from_claims, parse_list_claim
from funnel_core.errors import Unauthenticated


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[platform_owner editors]", ["platform_owner", "editors"]),
        ("[platform_owner]", ["platform_owner"]),
        ("[]", []),
        ('["platform_owner","editors"]', ["platform_owner", "editors"]),
        (["platform_owner", "editors"], ["platform_owner", "editors"]),
        ("platform_owner", ["platform_owner"]),
        (None, []),
    ],
)
def test_list_claims_in_every_shape_they_arrive(raw, expected):
    assert parse_list_claim(raw) == expected


def test_platform_owner_comes_from_cognito_groups():
    caller = caller_from_claims({"sub": "p1", "email": "a@b.c", "cognito:groups": "[platform_owner]"})
    assert caller.is_platform_owner
    assert not caller_from_claims({"sub": "p1"}).is_platform_owner


@pytest.mark.parametrize("claims", [None, {}, {"email": "a@b.c"}, {"sub": ""}])
def test_no_subject_is_unauthenticated(claims):
    with pytest.raises(Unauthenticated):
        caller_from_claims(claims)
