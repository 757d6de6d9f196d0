"""What a route documents beyond its one success answer (``status_code`` and its return model):
routes that answer one model with several statuses say so with ``answers``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def answers(model: type[BaseModel], statuses: dict[int, str]) -> dict[int, Any]:
    """The OpenAPI responses of a route answering ``model`` with each of ``statuses``."""
    return {
        status: {"description": what, "content": {"application/json": {"model": model}}}
        for status, what in statuses.items()
    }
