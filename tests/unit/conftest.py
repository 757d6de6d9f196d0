"""Domain-level tests: the areas' rules against moto's DynamoDB, without the HTTP stack."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from funnel_core.caller import Caller
from funnel_core.ids import new_id


@pytest.fixture
def person() -> Callable[..., Caller]:
    """A signed-in person of their own; ``platform_owner=True`` for one."""

    def make(platform_owner: bool = False) -> Caller:
        groups = frozenset({"platform_owner"}) if platform_owner else frozenset()
        return Caller(person_id=new_id("person"), email=None, name=None, identity_groups=groups)

    return make
