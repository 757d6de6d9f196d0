"""Things of any type through the generic routes. Things of types with routes of their own are
refused here; things another area keeps in items of its own (funnels, their steps and elements)
are read through that area (``foreign``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from funnel_core.audit.events import EventType
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import Conflict, DomainError, NotFound, ValidationFailed
from funnel_core.ids import new_id, now_iso
from funnel_core.models.common import Page
from funnel_core.ontology.access import Access, Action, Authorizer, authorizer
from funnel_core.ontology.connections import end_live_connections
from funnel_core.ontology.finding import find_thing
from funnel_core.ontology.models.properties import BUILDER_TYPE_ROUTES, validate_properties
from funnel_core.ontology.models.things import Thing, ThingCreate, ThingStatus, ThingUpdate
from funnel_core.ontology.store.connections import ConnectionStore
from funnel_core.ontology.store.things import ThingStore
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.paging import PageRequest, page_request
from funnel_core.store.table import Ref, Table
from funnel_core.store.transaction import Condition, OnFail
from funnel_core.validation import checked, given, require_version

CUSTOMER = "customer"


def _refuse_routed_type(thing_type: str) -> None:
    route = BUILDER_TYPE_ROUTES.get(thing_type)
    if route is not None:
        raise ValidationFailed.on("type", f"things of type '{thing_type}' are written through {route}")


def _properties(thing_type: str, properties: dict[str, Any]) -> dict[str, Any]:
    return checked("properties", properties, lambda value: validate_properties(thing_type, value))


def _held_email(thing: Thing) -> str | None:
    """The email whose guard this thing holds: a live customer's."""
    if thing.type != CUSTOMER or thing.status is ThingStatus.ARCHIVED:
        return None
    email = thing.properties.get("email")
    return email if isinstance(email, str) else None


def _email_taken(email: str) -> Callable[[dict[str, Any] | None], DomainError]:
    def refusal(guard: dict[str, Any] | None) -> DomainError:
        holder = (guard or {}).get("customerId", "another customer")
        return Conflict(f"{holder} is this group's customer with the email {email}")

    return refusal


def _move_email(change: Change, before: Thing, after: Thing) -> None:
    """Keep the one-customer-per-email guard with the customer through an edit or an archive."""
    old, new = _held_email(before), _held_email(after)
    if old == new:
        return
    if old is not None:
        ThingStore.release_email(change, before.groupId, old, before.thingId)
    if new is not None:
        ThingStore.claim_email(change, after.groupId, new, after.thingId, _email_taken(new))


class Things:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.access = access
        self.things = ThingStore(table)
        self.connections = ConnectionStore(table)

    def create(self, caller: Caller, group_id: str, body: ThingCreate) -> Thing:
        _refuse_routed_type(body.type)
        if body.status is ThingStatus.ARCHIVED:
            raise ValidationFailed.on("status", "a thing cannot be created archived")
        properties = _properties(body.type, body.properties)
        self.access.authorize(caller, group_id, Action.WRITE_CONTENT)
        at = now_iso()
        thing = Thing(
            thingId=new_id("thg"),
            groupId=group_id,
            type=body.type,
            name=body.name,
            status=body.status,
            properties=properties,
            createdAt=at,
            updatedAt=at,
            createdBy=caller.person_id,
            updatedBy=caller.person_id,
        )
        with self.table.change(caller.person_id, group_id) as change:
            self.things.add(change, thing)
            if (email := _held_email(thing)) is not None:
                ThingStore.claim_email(change, group_id, email, thing.thingId, _email_taken(email))
            change.record(
                EventType.ENTITY_CREATED, thing.thingId, {"entity": "thing", "type": thing.type, "name": thing.name}, at
            )
        return thing

    def list(
        self,
        caller: Caller,
        group_id: str,
        thing_type: str | None,
        status: ThingStatus | None,
        limit: int,
        cursor: str | None,
    ) -> Page[Thing]:
        self.access.authorize(caller, group_id, Action.READ_CONTENT)
        page = page_request(caller.person_id, "things", limit, cursor, group=group_id, type=thing_type, status=status)
        return self.things.list(group_id, thing_type, status, page)

    def find(self, caller: Caller, group_id: str, thing_id: str, action: Action) -> tuple[Thing, Access]:
        """A thing by id, wherever its area keeps it, with the caller's access for ``action``."""
        thing, access = find_thing(self.access, self.table, caller, group_id, thing_id, action)
        if thing is None:
            raise NotFound(f"thing {thing_id} not found")
        return thing, access

    def get(self, caller: Caller, group_id: str, thing_id: str) -> Thing:
        return self.find(caller, group_id, thing_id, Action.READ_CONTENT)[0]

    def update(self, caller: Caller, group_id: str, thing_id: str, body: ThingUpdate) -> Thing:
        thing, _ = self.find(caller, group_id, thing_id, Action.WRITE_CONTENT)
        _refuse_routed_type(thing.type)
        require_version(f"thing {thing_id}", thing.version, body.version)
        if body.status is ThingStatus.ARCHIVED:
            raise ValidationFailed.on("status", "archive a thing with DELETE")
        changes = given(body, "name", "status")
        if body.properties is not None:
            changes["properties"] = _properties(thing.type, body.properties)
        updated = self._next(thing, caller, changes)
        with self.table.change(caller.person_id, group_id) as change:
            self.things.replace(change, updated, thing.version)
            _move_email(change, thing, updated)
            metadata = {"entity": "thing", "type": thing.type, "changed": sorted(changes)}
            change.record(EventType.ENTITY_UPDATED, thing_id, metadata, updated.updatedAt)
        return updated

    def archive(self, caller: Caller, group_id: str, thing_id: str) -> Thing:
        """Archive (never delete) the thing; its live connections end with it."""
        thing, _ = self.find(caller, group_id, thing_id, Action.WRITE_CONTENT)
        _refuse_routed_type(thing.type)
        if thing.status is ThingStatus.ARCHIVED:
            return thing
        archived = self._next(thing, caller, {"status": ThingStatus.ARCHIVED})
        live = list(self.connections.live_of(group_id, thing_id, archived.updatedAt)) if thing.connectionCount else []
        with end_live_connections(self.table, caller, group_id, thing_id, live, archived.updatedAt) as change:
            self.things.replace(change, archived, thing.version)
            _move_email(change, thing, archived)
            metadata = {"entity": "thing", "type": thing.type, "previousStatus": thing.status}
            change.record(EventType.ENTITY_ARCHIVED, thing_id, metadata, archived.updatedAt)
        return archived

    @staticmethod
    def _next(thing: Thing, caller: Caller, changes: dict[str, Any]) -> Thing:
        update = {**changes, "version": thing.version + 1, "updatedAt": now_iso(), "updatedBy": caller.person_id}
        return thing.model_copy(update=update)


@once
def service() -> Things:
    return Things(table(), authorizer())


# --- Things other areas write in their own changes -------------------------------------------


def new_customer(
    group_id: str, customer_id: str, email: str, person: dict[str, Any], source: str, actor_id: str, at: str
) -> Thing:
    """A customer another area makes (an opt-in, a purchase): named after the person, or their
    email; ``person`` holds what they gave of ``firstName``, ``lastName`` and ``phone``."""
    properties = validate_properties(CUSTOMER, {"email": email, **person, "source": source})
    name = " ".join(person[part] for part in ("firstName", "lastName") if part in person) or email
    return Thing(
        thingId=customer_id,
        groupId=group_id,
        type=CUSTOMER,
        name=name[:200],
        status=ThingStatus.ACTIVE,
        properties=properties,
        createdAt=at,
        updatedAt=at,
        createdBy=actor_id,
        updatedBy=actor_id,
    )


def add_in(change: Change, thing: Thing, connections: int = 0) -> None:
    """A new thing written in another area's change (a customer a form upserts, a submission);
    ``connections`` made to or from it in that same change."""
    ThingStore.add_to(change, thing, connections)


def put_in(change: Change, thing: Thing, condition: Condition, on_fail: OnFail) -> None:
    """A thing written whole in another area's change, over what ``condition`` allows (a
    payment whose status only moves forward)."""
    ThingStore.put_whole(change, thing, condition, on_fail)


def merge_properties_in(
    change: Change, group_id: str, thing_id: str, properties: dict[str, Any], actor_id: str, at: str
) -> None:
    """Set some ``properties`` of a live thing (the others stay), in another area's change; its
    version moves on, so a client holding the old one gets its 409."""
    ThingStore.merge_properties(change, group_id, thing_id, properties, actor_id, at)


def replace_in(change: Change, thing: Thing, expected_version: int) -> None:
    """A thing's own fields rewritten in another area's change (a customer's erasure)."""
    ThingStore.replace_on(change, thing, expected_version)


def thing_ref(group_id: str, thing_id: str) -> Ref[Thing]:
    return ThingStore.ref(group_id, thing_id)


def page_of_type(
    table: Table, group_id: str, thing_type: str, status: ThingStatus | None, page: PageRequest
) -> Page[Thing]:
    """One page of the group's things of a type another area writes (its products), newest
    first; the caller has authorized the read."""
    return ThingStore(table).list(group_id, thing_type, status, page)


def email_guard_key(group_id: str, email: str) -> dict[str, str]:
    """The item that names the group's one customer with this normalized email, if any."""
    return ThingStore.email_guard_key(group_id, email)


def claim_email_in(change: Change, group_id: str, email: str, customer_id: str, on_fail: OnFail) -> None:
    """A new customer takes its email, in another area's change (a form post's upsert)."""
    ThingStore.claim_email(change, group_id, email, customer_id, on_fail)


def release_email_in(change: Change, group_id: str, email: str, customer_id: str) -> None:
    """The customer gives its email up (its erasure), in another area's change."""
    ThingStore.release_email(change, group_id, email, customer_id)
