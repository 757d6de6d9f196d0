"""Users of the local HTTP API, over real HTTP, against DynamoDB Local."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from local.stack import LocalApi
from tests.support.http_client import User


@pytest.fixture
def new_user(api: LocalApi) -> Callable[..., User]:
    def make(groups: tuple[str, ...] = ()) -> User:
        return User(api.url, groups=groups)

    return make


@pytest.fixture
def owner(new_user: Callable[..., User]) -> User:
    return new_user()


@pytest.fixture
def stranger(new_user: Callable[..., User]) -> User:
    return new_user()
