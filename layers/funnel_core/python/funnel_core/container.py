"""What a Lambda container makes once and keeps: settings, clients, the table, each area's
services. ``reset()`` makes the next call behave as a new container would (tests, the bench)."""

from __future__ import annotations

import gc
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


_DEFAULT_GC_THRESHOLDS = (700, 10, 10)


def started() -> None:
    """The container has started (its handler is about to answer its first event): what the
    start made is frozen out of the collector's passes, which run as often as usual again."""
    if gc.get_threshold() != _DEFAULT_GC_THRESHOLDS:
        gc.freeze()
        gc.set_threshold(*_DEFAULT_GC_THRESHOLDS)
