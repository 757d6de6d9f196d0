"""Things of any type kept as thing items: one per thing, indexed by type, status and both."""

from __future__ import annotations

from typing import Any

from funnel_core.errors import Conflict, NotFound, ValidationFailed, VersionConflict
from funnel_core.models.common import Page
from funnel_core.ontology import keys
from funnel_core.ontology.models.things import Thing
from funnel_core.store.change import Change
from funnel_core.store.items import as_item, to_model
from funnel_core.store.paging import PageRequest
from funnel_core.store.table import Query, Ref, Table
from funnel_core.store.tenancy import group_pk
from funnel_core.store.transaction import ITEM_ABSENT, ITEM_LIVE, Condition, OnFail, version_is

THING_LIVE = ITEM_LIVE
CONNECTION_COUNT = "connectionCount"


def _item(thing: Thing) -> dict:
    index = keys.thing_index(thing.groupId, thing.type, thing.status, thing.thingId)
    return as_item(thing, "thing", keys.thing_key(thing.groupId, thing.thingId), index)


class ThingStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    @staticmethod
    def ref(group_id: str, thing_id: str) -> Ref[Thing]:
        return Ref.to(keys.thing_key(group_id, thing_id), Thing)

    def list(self, group_id: str, thing_type: str | None, status: str | None, page: PageRequest) -> Page[Thing]:
        if thing_type and status:
            query = Query(keys.things_by_type_status_pk(group_id, thing_type, status), index=keys.GSI2)
        elif thing_type:
            query = Query(keys.things_by_type_pk(group_id, thing_type), index=keys.GSI1)
        elif status:
            query = Query(keys.things_by_status_pk(group_id, status), index=keys.GSI3)
        else:
            query = Query(group_pk(group_id), sort_prefix=keys.THING)
        records, cursor = self.table.query(query, page)
        return Page[Thing](items=[to_model(Thing, record) for record in records], nextCursor=cursor)

    def add(self, change: Change, thing: Thing) -> None:
        self.add_to(change, thing)

    @staticmethod
    def add_to(change: Change, thing: Thing, connections: int = 0) -> None:
        """``connections``: live connections made to or from it in the same change, which may
        touch the new item only once."""
        item = _item(thing) | ({CONNECTION_COUNT: connections} if connections else {})
        change.put(item, ITEM_ABSENT, Conflict("thing id clash"))

    @staticmethod
    def put_whole(change: Change, thing: Thing, condition: Condition, on_fail: OnFail) -> None:
        change.put(_item(thing), condition, on_fail)

    @staticmethod
    def merge_properties(
        change: Change, group_id: str, thing_id: str, properties: dict[str, Any], actor_id: str, at: str
    ) -> None:
        names = {"#v": "version", "#u": "updatedAt", "#b": "updatedBy"} | ({"#p": "properties"} if properties else {})
        values: dict[str, Any] = {":one": 1, ":u": at, ":b": actor_id}
        sets = ["#v = #v + :one", "#u = :u", "#b = :b"]
        for n, (name, value) in enumerate(properties.items()):
            names[f"#k{n}"], values[f":k{n}"] = name, value
            sets.append(f"#p.#k{n} = :k{n}")
        live = THING_LIVE
        condition = Condition(live.expression, {**live.names, **names}, {**live.values, **values})
        key = keys.thing_key(group_id, thing_id)
        change.update(key, "SET " + ", ".join(sets), condition, _not_live(thing_id, "customer"))

    def replace(self, change: Change, thing: Thing, expected_version: int) -> None:
        self.replace_on(change, thing, expected_version)

    @staticmethod
    def replace_on(change: Change, thing: Thing, expected_version: int) -> None:
        """Write the thing's own fields (and index entries) at ``expected_version``; its count of
        connections is kept by the connection changes, so an edit never rolls one back."""
        fields = {name: value for name, value in _item(thing).items() if name not in {"PK", "SK", CONNECTION_COUNT}}
        change.set_fields(
            keys.thing_key(thing.groupId, thing.thingId),
            fields,
            version_is(expected_version),
            VersionConflict(f"thing {thing.thingId} changed since version {expected_version}"),
        )

    @staticmethod
    def email_guard_key(group_id: str, email: str) -> dict[str, str]:
        return keys.customer_email_key(group_id, email)

    @staticmethod
    def claim_email(change: Change, group_id: str, email: str, customer_id: str, on_fail: OnFail) -> None:
        """The customer ``customer_id`` is the group's one with this (normalized) email."""
        guard = {**keys.customer_email_key(group_id, email), "customerId": customer_id, "entity": "customer_email"}
        change.put(guard, ITEM_ABSENT, on_fail)

    @staticmethod
    def release_email(change: Change, group_id: str, email: str, customer_id: str) -> None:
        """Free the email for another customer, only if ``customer_id`` holds it."""
        held = Condition("#customer = :customer", {"#customer": "customerId"}, {":customer": customer_id})
        change.delete(keys.customer_email_key(group_id, email), held, Conflict(f"{email} is not {customer_id}'s"))

    def require_live(self, change: Change, group_id: str, thing_id: str, field: str) -> None:
        change.check(keys.thing_key(group_id, thing_id), THING_LIVE, _not_live(thing_id, field))

    def connect(self, change: Change, group_id: str, thing_id: str, field: str) -> None:
        """A connection to or from the thing is made: it must be live, and counts one more."""
        condition = Condition(
            THING_LIVE.expression, {**THING_LIVE.names, "#count": CONNECTION_COUNT}, {**THING_LIVE.values, ":one": 1}
        )
        change.update(keys.thing_key(group_id, thing_id), "ADD #count :one", condition, _not_live(thing_id, field))

    def disconnect(self, change: Change, group_id: str, thing_id: str) -> None:
        condition = Condition("attribute_exists(PK)", {"#count": CONNECTION_COUNT}, {":one": -1})
        change.update(
            keys.thing_key(group_id, thing_id), "ADD #count :one", condition, NotFound(f"thing {thing_id} not found")
        )


def _not_live(thing_id: str, field: str) -> ValidationFailed:
    return ValidationFailed.on(field, f"thing {thing_id} does not exist in this group or is archived")
