"""The container's table, named by its settings."""

from __future__ import annotations

from funnel_core.container import once
from funnel_core.settings import get_settings
from funnel_core.store.table import Table


@once
def table() -> Table:
    return Table(get_settings().table_name)
