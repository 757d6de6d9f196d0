"""Make the next handler call behave like a new Lambda container: settings, clients, the table
and every area's services are made again from the environment of the moment."""

from __future__ import annotations

from funnel_core import container


def cold_start() -> None:
    container.reset()
