"""The seam between the builder and what serves a funnel to visitors: after a change to what is
live (a publish, a restore, an unpublish, an archive, a live funnel's new slug) the builder
tells whoever subscribed. The pages area subscribes its projection when it is imported
(``pages.projection``); the builder never imports the areas built on it."""

from __future__ import annotations

from collections.abc import Callable

# (group id, funnel id): called after the change is committed.
LiveListener = Callable[[str, str], None]

_listeners: list[LiveListener] = []


def subscribe(listener: LiveListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def changed(group_id: str, funnel_id: str) -> None:
    for listener in _listeners:
        listener(group_id, funnel_id)
