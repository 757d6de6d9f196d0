"""Fixtures of the local stack's own tests: a fixture template and its API app.

Names are distinct from the suite-wide fixtures in tests/conftest.py on purpose.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.test import Client

from local.api_server import ApiServer

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_TEMPLATE = FIXTURES / "template.yaml"


@pytest.fixture(scope="session")
def fixture_template() -> Path:
    return FIXTURE_TEMPLATE


@pytest.fixture
def unique_table_name() -> str:
    return f"local-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def fixture_api_app() -> Iterator[ApiServer]:
    """The fixture template's API; it checks tokens with the local secret ``mint_token`` uses by default."""
    app = ApiServer.from_template(FIXTURE_TEMPLATE)
    yield app
    app.close()


@pytest.fixture
def fixture_client(fixture_api_app: ApiServer) -> Client:
    """Requests straight into the WSGI app, no socket: fast, and enough for everything but concurrency."""
    return Client(fixture_api_app)
