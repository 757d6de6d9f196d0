"""Which area owns which key prefixes and id prefixes, so that no two can ever collide.

Each area writes its key design in one module (``<area>/keys.py``) and registers its prefixes
here when that module is imported. Prefixes live in four namespaces:

- ``partitions``: the start of a base-table or index partition key (``GROUP#``, ``PERSON#``);
- ``group_partitions``: what follows ``GROUP#<groupId>`` in a derived partition key (``#TYPE#``);
- ``sorts``: the start of a sort key inside a group's own partition (``THING#``, ``MEMBER#``);
- ``ids``: the prefix of the ids the area makes (``thg_``, ``fnl_``).

Two prefixes collide when one starts with the other: a Query by the shorter one would read the
other area's items. ``collisions()`` names every such pair; a test keeps the list empty.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import combinations

NAMESPACES = ("partitions", "group_partitions", "sorts", "ids")


@dataclass(frozen=True)
class Prefixes:
    area: str
    partitions: tuple[str, ...] = ()
    group_partitions: tuple[str, ...] = ()
    sorts: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


_registered: dict[str, Prefixes] = {}


def register(prefixes: Prefixes) -> None:
    """Called once by each area's keys module; registering again replaces the area's entry."""
    _registered[prefixes.area] = prefixes


def registered() -> dict[str, Prefixes]:
    return dict(_registered)


def collisions() -> list[tuple[str, str, str, str, str]]:
    """(namespace, area, prefix, other area, other prefix) for every pair of prefixes of two
    different areas where one starts with the other."""
    found = []
    for namespace in NAMESPACES:
        owned = [(area, prefix) for area, p in _registered.items() for prefix in getattr(p, namespace)]
        for (area, prefix), (other, other_prefix) in combinations(owned, 2):
            if area != other and (prefix.startswith(other_prefix) or other_prefix.startswith(prefix)):
                found.append((namespace, area, prefix, other, other_prefix))
    return found


assert {field.name for field in fields(Prefixes)} == {"area", *NAMESPACES}
