"""What a Lambda container makes once and keeps: settings, clients, the table, each area's
services. ``reset()`` makes the next call behave as a new container would (tests, the bench)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TypeVar

T = TypeVar("T")

_made_once: list[Callable[..., object]] = []


def once(factory: Callable[[], T]) -> Callable[[], T]:
    """``factory``'s value, made on first use and kept for the container's life."""
    cached = cache(factory)
    _made_once.append(cached)
    return cached


def reset() -> None:
    for cached in _made_once:
        cached.cache_clear()  # type: ignore[attr-defined]
