"""A thing by its id alone, wherever its area keeps it, read with the caller's authorization."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from funnel_core.caller import Caller
from funnel_core.ontology.access import Access, Action, Authorizer
from funnel_core.ontology.foreign import owner_of_thing
from funnel_core.ontology.models.things import Thing
from funnel_core.ontology.store.things import ThingStore
from funnel_core.store.table import Ref, Table


def find_thing(
    authorizer: Authorizer,
    table: Table,
    caller: Caller,
    group_id: str,
    thing_id: str,
    action: Action,
    also: Sequence[Ref[Any]] = (),
) -> tuple[Thing | None, Access]:
    """The thing (None if there is none) and the caller's access for ``action``. Where one item
    shows the thing (a thing item, a funnel item) it is read in the authorization's own batch,
    with ``also``; a step or element is found after it."""
    owner = owner_of_thing(thing_id)
    foreign = owner.things(table) if owner else None
    ref = foreign.ref(group_id, thing_id) if foreign else ThingStore.ref(group_id, thing_id)
    access = authorizer.authorize(caller, group_id, action, refs=[*([ref] if ref else []), *also])
    if ref is not None:
        return access.found(ref), access
    assert foreign is not None  # only another area's things are found without an item to read
    return foreign.find(group_id, thing_id), access
