"""Make the next handler call behave like a new Lambda container: settings, clients and the
store are created again from the environment of the moment."""

from __future__ import annotations

from funnel_core.archive import s3_archive
from funnel_core.auth.access import forget_ancestors
from funnel_core.http import app
from funnel_core.settings import get_settings
from funnel_core.store import client, cursor


def cold_start() -> None:
    for cached in (get_settings, client.dynamodb, cursor._signing_key, app.store, app._idempotency, s3_archive._s3):
        cached.cache_clear()
    forget_ancestors()
