"""Reads and writes of the six dimensions, in the terms the domain speaks.

The domain asks for "the things of type X in group G" or "add this connection"; this module
turns that into the one Query, GetItem, BatchGetItem or TransactWriteItems that serves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from funnel_core.errors import (
    BadRequest,
    Conflict,
    DomainError,
    LimitExceeded,
    NameTaken,
    NotFound,
    SlugTaken,
    StructureConflict,
    ValidationFailed,
    VersionConflict,
)
from funnel_core.models.builder import (
    Funnel,
    FunnelAggregate,
    FunnelStep,
    PageElement,
    PublishedVersion,
    StoredTemplate,
)
from funnel_core.models.common import Page
from funnel_core.models.connections import Connection
from funnel_core.models.events import Event
from funnel_core.models.groups import Group
from funnel_core.models.knowledge import Knowledge
from funnel_core.models.members import Membership, Person, Role
from funnel_core.models.things import Thing
from funnel_core.settings import get_settings
from funnel_core.store import keys
from funnel_core.store.client import dynamodb
from funnel_core.store.codec import deserialize, serialize, serialize_value
from funnel_core.store.cursor import decode_cursor, encode_cursor
from funnel_core.store.transaction import ITEM_ABSENT, ITEM_PRESENT, Condition, Transaction, version_is

M = TypeVar("M", bound=BaseModel)

ItemKind = Literal["thing", "connection", "knowledge", "membership", "person", "assignment", "funnel"]
ItemRef = tuple[ItemKind, str]
_MODELS: dict[str, type[BaseModel]] = {
    "thing": Thing,
    "connection": Connection,
    "knowledge": Knowledge,
    "membership": Membership,
    "person": Person,
    "assignment": Connection,
    "funnel": Funnel,
}
_BATCH_GET_MAX = 100
_WHOLE_READ_ATTEMPTS = 3
_BATCH_WRITE_MAX = 25
_WRITERS = 8


@dataclass(frozen=True)
class PageRequest:
    """A page of a list: ``binding`` names the caller and query a cursor is valid for."""

    limit: int
    cursor: str | None
    binding: str


@dataclass
class AccessSnapshot:
    """What authorization needs about a group, read together with the items the route needs."""

    group: Group | None
    roles: dict[str, Role]
    items: dict[ItemRef, BaseModel] = field(default_factory=dict)


@dataclass(frozen=True)
class LocatedPart:
    """A live step or element, its sequence or position, and the funnel it belongs to."""

    part: FunnelStep | PageElement
    place: int
    funnel: Funnel


@dataclass(frozen=True)
class EventFilter:
    event_type: str | None = None
    actor_id: str | None = None
    target_id: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass
class _Query(Generic[M]):
    model: type[M]
    partition: str
    index: str | None = None
    sort_prefix: str | None = None
    sort_between: tuple[str, str] | None = None
    newest_first: bool = True
    filters: dict[str, Any] = field(default_factory=dict)
    raw_filter: Condition | None = None


def _strip_keys(item: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name not in keys.KEY_ATTRIBUTES}


def _to_model(model: type[M], item: dict[str, Any]) -> M:
    return model.model_validate(_strip_keys(deserialize(item)))


def _as_item(
    record: BaseModel, entity: str, key: dict[str, str], index: dict[str, str] | None = None
) -> dict[str, Any]:
    # Bytes stay bytes (DynamoDB's binary type); everything else as its JSON form.
    binary = {name for name, info in type(record).model_fields.items() if info.annotation is bytes}
    fields = {**record.model_dump(mode="json", exclude=binary), **{name: getattr(record, name) for name in binary}}
    return {**fields, **key, **(index or {}), "entity": entity}


def _step_item(step: FunnelStep) -> dict[str, Any]:
    key = keys.step_key(step.groupId, step.funnelId, step.stepId)
    return _as_item(step, "step", key, keys.step_index(step.groupId, step.funnelId, step.stepId))


def _element_item(element: PageElement) -> dict[str, Any]:
    e = element
    key = keys.element_key(e.groupId, e.funnelId, e.stepId, e.elementId)
    return _as_item(e, "element", key, keys.element_index(e.groupId, e.stepId, e.elementId))


def _containment(record: dict[str, Any], parent: dict[str, Any] | None) -> Connection | None:
    """The containment connection a step or element item stands for, with its place in the
    parent's order list; None when the parent does not list it (being removed, or staged for a
    copy that is not committed yet)."""
    if parent is None:
        return None
    if record["entity"] == "step":
        relationship, parent_id, child_id = keys.FUNNEL_CONTAINS_STEP, record["funnelId"], record["stepId"]
        order, place = parent.get("stepIds", []), "sequence"
    else:
        relationship, parent_id, child_id = keys.STEP_CONTAINS_ELEMENT, record["stepId"], record["elementId"]
        order, place = parent.get("elementIds", []), "position"
    if child_id not in order:
        return None
    return Connection(
        connectionId=keys.containment_connection_id(child_id),
        groupId=record["groupId"],
        fromThingId=parent_id,
        toThingId=child_id,
        relationshipType=relationship,
        metadata={place: order.index(child_id) + 1},
        validFrom=record["createdAt"],
        createdAt=record["createdAt"],
        updatedAt=record["updatedAt"],
        createdBy=record.get("createdBy") or parent.get("createdBy") or "",
    )


_FUNNEL_PARTS = frozenset({"step", "element"})


def _key_of(key: dict[str, Any]) -> tuple[str, str]:
    """An item's or a key's (PK, SK), to match items read back with the keys asked for."""
    return key[keys.PK], key[keys.SK]


def _parent_key(part: dict[str, Any]) -> dict[str, str]:
    """The item whose order list places a step (its funnel) or an element (its step)."""
    if part["entity"] == "step":
        return keys.funnel_key(part["groupId"], part["funnelId"])
    return keys.step_key(part["groupId"], part["funnelId"], part["stepId"])


class OntologyStore:
    """The data access layer. One instance per container; the client underneath is shared."""

    def __init__(self, table_name: str | None = None) -> None:
        self.table = table_name or get_settings().table_name

    # ---------------------------------------------------------------- single items

    def _get(self, key: dict[str, str]) -> dict[str, Any] | None:
        response = dynamodb().get_item(TableName=self.table, Key=serialize(key), ConsistentRead=True)
        return response.get("Item")

    def get_group(self, group_id: str) -> Group | None:
        item = self._get(keys.group_key(group_id))
        return _to_model(Group, item) if item else None

    def _item_key(self, group_id: str, ref: ItemRef) -> dict[str, str]:
        kind, item_id = ref
        if kind == "thing":
            return keys.thing_key(group_id, item_id)
        if kind == "connection":
            return keys.connection_key(group_id, item_id)
        if kind == "knowledge":
            return keys.knowledge_key(group_id, item_id)
        if kind == "membership":
            return keys.membership_key(group_id, item_id)
        if kind == "assignment":
            person_id, funnel_id = item_id.split("#", 1)
            return keys.assignment_key(group_id, person_id, funnel_id)
        if kind == "funnel":
            return keys.funnel_key(group_id, item_id)
        return keys.person_key(item_id)

    # ---------------------------------------------------------------- authorization

    def read_access(
        self,
        group_id: str,
        person_id: str,
        ancestor_ids: list[str] | None,
        items: Sequence[ItemRef] = (),
    ) -> AccessSnapshot:
        """One BatchGetItem: the group, the caller's memberships in it (and in its ancestors
        when they are known) and the items the route needs, such as a by-id route's target."""
        role_groups = [group_id, *(ancestor_ids or [])]
        # One key may serve several purposes (the caller's own membership may be the item asked for).
        purposes: dict[tuple[str, str], list[str | ItemRef]] = {}

        def want(key: dict[str, str], purpose: str | ItemRef) -> None:
            purposes.setdefault((key[keys.PK], key[keys.SK]), []).append(purpose)

        want(keys.group_key(group_id), "group")
        for role_group in role_groups:
            want(keys.membership_key(role_group, person_id), "role")
        for ref in items:
            want(self._item_key(group_id, ref), ref)
        found = self._batch_get([{keys.PK: pk, keys.SK: sk} for pk, sk in purposes])

        snapshot = AccessSnapshot(group=None, roles={})
        for raw in found:
            record = deserialize(raw)
            fields = _strip_keys(record)
            for purpose in purposes[(record[keys.PK], record[keys.SK])]:
                if purpose == "group":
                    snapshot.group = Group.model_validate(fields)
                elif purpose == "role":
                    snapshot.roles[record["groupId"]] = Role(record["role"])
                elif isinstance(purpose, tuple):
                    snapshot.items[purpose] = _MODELS[purpose[0]].model_validate(fields)
        return snapshot

    def read_roles(self, group_ids: list[str], person_id: str) -> dict[str, Role]:
        found = self._batch_get([keys.membership_key(group_id, person_id) for group_id in group_ids])
        return {record["groupId"]: Role(record["role"]) for record in map(deserialize, found)}

    def _batch_get(self, wanted: list[dict[str, str]]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for start in range(0, len(wanted), _BATCH_GET_MAX):
            pending: dict[str, Any] = {
                self.table: {
                    "Keys": [serialize(key) for key in wanted[start : start + _BATCH_GET_MAX]],
                    "ConsistentRead": True,
                },
            }
            while pending:
                response = dynamodb().batch_get_item(RequestItems=pending)
                found += response.get("Responses", {}).get(self.table, [])
                pending = response.get("UnprocessedKeys") or {}
        return found

    def get_groups(self, group_ids: list[str]) -> list[Group]:
        found = self._batch_get([keys.group_key(group_id) for group_id in group_ids])
        groups = {group.groupId: group for group in (_to_model(Group, raw) for raw in found)}
        return [groups[group_id] for group_id in group_ids if group_id in groups]

    # ---------------------------------------------------------------- lists

    def _query(self, query: _Query[M], page: PageRequest) -> Page[M]:
        found, next_cursor = self._query_items(query, page)
        items = [_to_model(query.model, raw) for raw in found]
        return Page[query.model](items=items, nextCursor=next_cursor)  # type: ignore[name-defined]

    def _query_items(self, query: _Query[Any], page: PageRequest) -> tuple[list[dict[str, Any]], str | None]:
        pk_name, sk_name = (f"{query.index}PK", f"{query.index}SK") if query.index else (keys.PK, keys.SK)
        names = {"#pk": pk_name}
        values: dict[str, Any] = {":pk": query.partition}
        condition = "#pk = :pk"
        if query.sort_prefix is not None:
            names["#sk"] = sk_name
            values[":prefix"] = query.sort_prefix
            condition += " AND begins_with(#sk, :prefix)"
        elif query.sort_between is not None:
            names["#sk"] = sk_name
            values[":low"], values[":high"] = query.sort_between
            condition += " AND #sk BETWEEN :low AND :high"

        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": condition,
            "ScanIndexForward": not query.newest_first,
            "Limit": page.limit,
        }
        filters = []
        for position, (attribute, value) in enumerate(query.filters.items()):
            names[f"#f{position}"] = attribute
            values[f":f{position}"] = value
            filters.append(f"#f{position} = :f{position}")
        if query.raw_filter is not None:
            filters.append(f"({query.raw_filter.expression})")
            names |= query.raw_filter.names
            values |= query.raw_filter.values
        if filters:
            request["FilterExpression"] = " AND ".join(filters)
        request["ExpressionAttributeNames"] = names
        request["ExpressionAttributeValues"] = {name: serialize_value(value) for name, value in values.items()}
        if query.index:
            request["IndexName"] = query.index
        else:
            request["ConsistentRead"] = True

        start_key = decode_cursor(page.cursor, page.binding)
        if start_key is not None:
            if start_key.get(pk_name, {}).get("S") != query.partition:
                raise BadRequest("cursor is not valid for this query")
            request["ExclusiveStartKey"] = start_key
        response = dynamodb().query(**request)
        return response.get("Items", []), encode_cursor(response.get("LastEvaluatedKey"), page.binding)

    def list_child_groups(self, parent_id: str, page: PageRequest) -> Page[Group]:
        return self._query(_Query(Group, keys.children_pk(parent_id), index=keys.GSI1), page)

    def list_memberships_of_person(self, person_id: str, page: PageRequest) -> Page[Membership]:
        query = _Query(Membership, keys.memberships_of_person_pk(person_id), index=keys.GSI1, newest_first=False)
        return self._query(query, page)

    def list_members(self, group_id: str, page: PageRequest) -> Page[Membership]:
        query = _Query(Membership, keys.group_pk(group_id), sort_prefix=keys.MEMBER, newest_first=False)
        return self._query(query, page)

    def list_things(self, group_id: str, thing_type: str | None, status: str | None, page: PageRequest) -> Page[Thing]:
        if thing_type and status:
            query = _Query(Thing, keys.things_by_type_status_pk(group_id, thing_type, status), index=keys.GSI2)
        elif thing_type:
            query = _Query(Thing, keys.things_by_type_pk(group_id, thing_type), index=keys.GSI1)
        elif status:
            query = _Query(Thing, keys.things_by_status_pk(group_id, status), index=keys.GSI3)
        else:
            query = _Query(Thing, keys.group_pk(group_id), sort_prefix=keys.THING)
        return self._query(query, page)

    def list_connections(
        self,
        group_id: str,
        thing_id: str,
        direction: Literal["out", "in"],
        relationship: str | None,
        include_ended: bool,
        now: str,
        page: PageRequest,
    ) -> Page[Connection]:
        if direction == "out":
            partition, index = keys.connections_out_pk(group_id, thing_id), keys.GSI1
        else:
            partition, index = keys.connections_in_pk(group_id, thing_id), keys.GSI2
        live = (
            None if include_ended else Condition("attribute_not_exists(validTo) OR validTo > :now", {}, {":now": now})
        )
        query = _Query(
            Connection,
            partition,
            index=index,
            sort_prefix=f"{relationship}#" if relationship else None,
            raw_filter=live,
        )
        found, next_cursor = self._query_items(query, page)
        return Page[Connection](items=self._connections(list(map(deserialize, found))), nextCursor=next_cursor)

    def _connections(self, records: list[dict[str, Any]]) -> list[Connection]:
        """Connection items as they are; steps and elements as their containment connections,
        placed by their parents' order lists (one BatchGetItem for the page) and left out when
        the parent does not list them."""
        parts = [record for record in records if record["entity"] in _FUNNEL_PARTS]
        parents = self._get_records([_parent_key(part) for part in parts]) if parts else {}
        connections = []
        for record in records:
            if record["entity"] not in _FUNNEL_PARTS:
                connections.append(Connection.model_validate(_strip_keys(record)))
            elif (connection := _containment(record, parents.get(_key_of(_parent_key(record))))) is not None:
                connections.append(connection)
        return connections

    def _get_records(self, wanted: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """Consistent reads of items by key, answered by (PK, SK); absent items are absent."""
        unique = list({_key_of(key): key for key in wanted}.values())
        return {_key_of(record): record for record in map(deserialize, self._batch_get(unique))}

    def locate_funnel_part(self, group_id: str, part_id: str) -> LocatedPart | None:
        """A live step or element found by its id alone, with its place and its funnel. The
        containment index names its funnel (a part never moves, so the index's eventual
        consistency does not matter); then one consistent BatchGetItem reads the part, its step
        and its funnel, and the part is live only if every order list up the chain lists it."""
        response = dynamodb().query(
            TableName=self.table,
            IndexName=keys.GSI2,
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames={"#pk": "GSI2PK"},
            ExpressionAttributeValues={":pk": serialize_value(keys.connections_in_pk(group_id, part_id))},
        )
        indexed = next(
            (record for record in map(deserialize, response.get("Items", [])) if record["entity"] in _FUNNEL_PARTS),
            None,
        )
        if indexed is None:
            return None
        funnel_key = keys.funnel_key(group_id, indexed["funnelId"])
        chain = [{keys.PK: indexed[keys.PK], keys.SK: indexed[keys.SK]}, _parent_key(indexed), funnel_key]
        found = self._get_records(chain)
        part, parent, funnel = (found.get(_key_of(key)) for key in chain)
        if part is None or parent is None or funnel is None:
            return None
        placed = _containment(part, parent)
        if placed is None or (part["entity"] == "element" and _containment(parent, funnel) is None):
            return None  # unlisted, or an element of a removed step
        model: type[FunnelStep | PageElement] = FunnelStep if part["entity"] == "step" else PageElement
        place = next(iter(placed.metadata.values()))
        return LocatedPart(model.model_validate(_strip_keys(part)), place, Funnel.model_validate(_strip_keys(funnel)))

    def list_events(self, group_id: str, selection: EventFilter, page: PageRequest) -> Page[Event]:
        filters: dict[str, Any] = {}
        if selection.target_id:
            partition, index = keys.events_by_target_pk(group_id, selection.target_id), keys.GSI1
        elif selection.actor_id:
            partition, index = keys.events_by_actor_pk(group_id, selection.actor_id), keys.GSI2
        elif selection.event_type:
            partition, index = keys.events_by_type_pk(group_id, selection.event_type), keys.GSI3
        else:
            partition, index = keys.events_pk(group_id), None
        # The most selective index serves the query; the other filters narrow its pages.
        if selection.target_id and selection.actor_id:
            filters["actorId"] = selection.actor_id
        if selection.event_type and (selection.target_id or selection.actor_id):
            filters["type"] = selection.event_type
        between = None
        if selection.since or selection.until:
            between = (selection.since or "0", f"{selection.until}#~" if selection.until else "~")
        return self._query(_Query(Event, partition, index=index, sort_between=between, filters=filters), page)

    def list_knowledge(
        self, group_id: str, source_thing_id: str | None, label: str | None, page: PageRequest
    ) -> Page[Knowledge]:
        if label:
            filters = {"sourceThingId": source_thing_id} if source_thing_id else {}
            query = _Query(
                Knowledge, keys.group_pk(group_id), sort_prefix=f"{keys.KNOWLEDGE_LABEL}{label}#", filters=filters
            )
        elif source_thing_id:
            query = _Query(Knowledge, keys.knowledge_by_source_pk(group_id, source_thing_id), index=keys.GSI1)
        else:
            query = _Query(Knowledge, keys.group_pk(group_id), sort_prefix=keys.KNOWLEDGE)
        return self._query(query, page)

    # ---------------------------------------------------------------- the funnel aggregate

    def read_funnel(self, group_id: str, funnel_id: str) -> FunnelAggregate | None:
        """The funnel, its steps and their elements: one Query of their item collection, paged
        internally only past DynamoDB's 1 MB page.

        A Query is read-committed item by item, not a snapshot: it can read a parent that still
        lists a step or element which a concurrent removal deletes before the Query reaches it
        (more likely across pages). Such a read is not whole, and is read again."""
        aggregate = None
        for _ in range(_WHOLE_READ_ATTEMPTS):
            aggregate = self._read_funnel_once(group_id, funnel_id)
            if aggregate is None or aggregate.is_whole():
                return aggregate
        # Still racing removals: the view leaves out what they took away.
        return aggregate

    def _read_funnel_once(self, group_id: str, funnel_id: str) -> FunnelAggregate | None:
        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": keys.PK},
            "ExpressionAttributeValues": {":pk": serialize_value(keys.funnel_pk(group_id, funnel_id))},
            "ConsistentRead": True,
        }
        funnel: Funnel | None = None
        steps: dict[str, FunnelStep] = {}
        elements: dict[str, PageElement] = {}
        while True:
            response = dynamodb().query(**request)
            for raw in response.get("Items", []):
                record = deserialize(raw)
                entity, fields = record.get("entity"), _strip_keys(record)
                if entity == "funnel":
                    funnel = Funnel.model_validate(fields)
                elif entity == "step":
                    steps[record["stepId"]] = FunnelStep.model_validate(fields)
                elif entity == "element":
                    elements[record["elementId"]] = PageElement.model_validate(fields)
            if "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        if funnel is None:
            return None
        return FunnelAggregate(funnel=funnel, steps=steps, elements=elements)

    def list_assignments(self, group_id: str, person_id: str, page: PageRequest) -> Page[Connection]:
        query = _Query(
            Connection, keys.group_pk(group_id), sort_prefix=keys.assignments_of_prefix(person_id), newest_first=False
        )
        return self._query(query, page)

    def get_funnels(self, group_id: str, funnel_ids: list[str]) -> list[Funnel]:
        found = self._batch_get([keys.funnel_key(group_id, funnel_id) for funnel_id in funnel_ids])
        funnels = {funnel.funnelId: funnel for funnel in (_to_model(Funnel, raw) for raw in found)}
        return [funnels[funnel_id] for funnel_id in funnel_ids if funnel_id in funnels]

    def list_funnels(self, group_id: str, status: str | None, page: PageRequest) -> Page[Funnel]:
        if status:
            query = _Query(Funnel, keys.things_by_type_status_pk(group_id, "funnel", status), index=keys.GSI2)
        else:
            query = _Query(Funnel, keys.things_by_type_pk(group_id, "funnel"), index=keys.GSI1)
        return self._query(query, page)

    def list_versions(self, group_id: str, funnel_id: str, page: PageRequest) -> Page[PublishedVersion]:
        query = _Query(PublishedVersion, keys.funnel_versions_pk(group_id, funnel_id), sort_prefix=keys.VERSION)
        return self._query(query, page)

    def get_version(self, group_id: str, funnel_id: str, number: int) -> PublishedVersion | None:
        item = self._get(keys.funnel_version_key(group_id, funnel_id, number))
        return _to_model(PublishedVersion, item) if item else None

    def read_version_snapshot(self, group_id: str, funnel_id: str, number: int) -> bytes:
        """The compressed snapshot of a published version, its parts joined in order."""
        request: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :prefix)",
            "ExpressionAttributeNames": {"#pk": keys.PK, "#sk": keys.SK},
            "ExpressionAttributeValues": {
                ":pk": serialize_value(keys.funnel_versions_pk(group_id, funnel_id)),
                ":prefix": serialize_value(keys.version_parts_prefix(number)),
            },
            "ConsistentRead": True,
        }
        chunks: list[bytes] = []
        while True:
            response = dynamodb().query(**request)
            chunks += [deserialize(raw)["data"] for raw in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                return b"".join(chunks)
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def get_group_template(self, group_id: str, template_id: str) -> StoredTemplate | None:
        item = self._get(keys.group_template_key(group_id, template_id))
        return _to_model(StoredTemplate, item) if item else None

    def list_group_templates(self, group_id: str, page: PageRequest) -> Page[StoredTemplate]:
        return self._query(_Query(StoredTemplate, keys.group_pk(group_id), sort_prefix=keys.GROUP_TEMPLATE), page)

    def template_usage(self, template_ids: list[str]) -> dict[str, int]:
        found = self._batch_get([keys.template_usage_key(template_id) for template_id in template_ids])
        return {record["templateId"]: int(record["usageCount"]) for record in map(deserialize, found)}

    def stage_funnel_parts(self, steps: list[FunnelStep], elements: list[PageElement]) -> None:
        """Write the steps and elements of a funnel that does not exist yet. No reader sees them
        until the funnel item that lists them is written, so a copy is visible whole or not at all."""
        items = [_step_item(step) for step in steps] + [_element_item(element) for element in elements]
        self._batch_write([{"PutRequest": {"Item": serialize(item)}} for item in items])

    def delete_unreachable(
        self, group_id: str, funnel_id: str, step_ids: list[str], element_keys: list[tuple[str, str]]
    ) -> None:
        """Best-effort removal of items no order list reaches any more; readers never see them."""
        doomed = [keys.step_key(group_id, funnel_id, step_id) for step_id in step_ids]
        doomed += [keys.element_key(group_id, funnel_id, step_id, element_id) for step_id, element_id in element_keys]
        self._batch_write([{"DeleteRequest": {"Key": serialize(key)}} for key in doomed])

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        """BatchWriteItem in batches of 25, several in flight at once: a copy of a funnel at the
        limits is over 5,000 items."""
        batches = [requests[start : start + _BATCH_WRITE_MAX] for start in range(0, len(requests), _BATCH_WRITE_MAX)]

        def write(batch: list[dict[str, Any]]) -> None:
            pending: dict[str, Any] = {self.table: batch}
            while pending:
                pending = dynamodb().batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}

        if len(batches) <= 1:
            for batch in batches:
                write(batch)
            return
        with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
            list(pool.map(write, batches))

    # ---------------------------------------------------------------- writes

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.table)


_ARCHIVED = Condition("attribute_exists(PK) AND #status <> :archived", {"#status": "status"}, {":archived": "archived"})
_GROUP_COUNTERS = frozenset({"ownerCount", "funnelCount"})
_GROUP_ARCHIVED = Conflict("the group is archived; restore it before changing it")


def _unchanged(
    what: str, expected_version: int | None, expected_structure: int | None
) -> tuple[Condition, DomainError]:
    """The condition that an aggregate item is as this change read it: at the client's
    ``version`` (a stale one is the client's 409) and/or at the ``structureVersion`` the
    change was computed from (a race with another writer, which the domain retries)."""
    checks, names, values = ["attribute_exists(PK)"], {}, {}
    if expected_version is not None:
        checks.append("#version = :version")
        names["#version"], values[":version"] = "version", expected_version
    if expected_structure is not None:
        checks.append("structureVersion = :structure")
        values[":structure"] = expected_structure
    failure: DomainError = (
        VersionConflict(f"{what} changed since version {expected_version}")
        if expected_version is not None
        else StructureConflict(f"{what} changed concurrently; retry")
    )
    return Condition(" AND ".join(checks), names, values), failure


class UnitOfWork:
    """Collects the items of one change, its audit event and their conditions; ``commit``
    writes them in one transaction or not at all."""

    def __init__(self, table_name: str) -> None:
        self._tx = Transaction(table_name)

    def __len__(self) -> int:
        return len(self._tx)

    def commit(self) -> None:
        self._tx.commit()

    # groups

    def require_group_writable(self, group_id: str) -> None:
        self._tx.check(
            keys.group_key(group_id), _ARCHIVED, Conflict("the group is archived; restore it before changing it")
        )

    def add_group(self, group: Group) -> None:
        item = _as_item(
            group,
            "group",
            keys.group_key(group.groupId),
            keys.group_index(group.parentGroupId, group.createdAt, group.groupId),
        )
        self._tx.put(item, ITEM_ABSENT, Conflict(f"group {group.groupId} already exists"))
        self.claim_group_slug(group.slug, group.groupId)

    def claim_group_slug(self, slug: str, group_id: str) -> None:
        guard = {**keys.group_slug_key(slug), "groupId": group_id, "entity": "group_slug"}
        self._tx.put(guard, ITEM_ABSENT, SlugTaken(f"slug '{slug}' is taken by another group"))

    def release_group_slug(self, slug: str) -> None:
        self._tx.delete(keys.group_slug_key(slug))

    def replace_group(self, group: Group, expected_version: int) -> None:
        """Write the group's own fields. Counters kept by other changes (``ownerCount``,
        ``funnelCount``) are left alone, so an edit never rolls back a concurrent member change."""
        fields = group.model_dump(mode="json", exclude={*_GROUP_COUNTERS, "groupId"})
        names = {f"#f{n}": name for n, name in enumerate(fields)}
        values = {f":f{n}": value for n, value in enumerate(fields.values())}
        assignments = ", ".join(f"#f{n} = :f{n}" for n in range(len(fields)))
        condition = version_is(expected_version)
        self._tx.update(
            keys.group_key(group.groupId),
            f"SET {assignments}",
            Condition(condition.expression, {**condition.names, **names}, {**condition.values, **values}),
            VersionConflict(f"group {group.groupId} changed since version {expected_version}"),
        )

    def adjust_owner_count(self, group: Group, delta: int) -> None:
        """Keep the count of direct owners, refusing to let a top-level group lose its last one.

        This update also stands in for ``require_group_writable``: a transaction may touch the
        group item only once."""
        condition = "#status <> :archived"
        if delta < 0:
            condition += " AND (attribute_exists(parentGroupId) OR ownerCount > :one)"
        values = {":archived": "archived", ":delta": delta, **({":one": 1} if delta < 0 else {})}

        def failure(old: dict[str, Any] | None) -> DomainError:
            status = old.get("status") if old else group.status
            if status == "archived":
                return _GROUP_ARCHIVED
            return Conflict("a top-level group must keep at least one group_owner")

        self._tx.update(
            keys.group_key(group.groupId),
            "ADD ownerCount :delta",
            Condition(condition, {"#status": "status"}, values),
            failure,
        )

    # people

    def put_person(self, person: Person) -> None:
        self._tx.put(_as_item(person, "person", keys.person_key(person.personId)))

    def put_membership(self, membership: Membership) -> None:
        key = keys.membership_key(membership.groupId, membership.personId)
        self._tx.put(
            _as_item(membership, "membership", key, keys.membership_index(membership.groupId, membership.personId))
        )

    def remove_membership(self, group_id: str, person_id: str) -> None:
        self._tx.delete(
            keys.membership_key(group_id, person_id), ITEM_PRESENT, NotFound(f"person {person_id} is not a member")
        )

    # things

    def add_thing(self, thing: Thing) -> None:
        index = keys.thing_index(thing.groupId, thing.type, thing.status, thing.thingId)
        self._tx.put(
            _as_item(thing, "thing", keys.thing_key(thing.groupId, thing.thingId), index),
            ITEM_ABSENT,
            Conflict("thing id clash"),
        )

    def replace_thing(self, thing: Thing, expected_version: int) -> None:
        index = keys.thing_index(thing.groupId, thing.type, thing.status, thing.thingId)
        self._tx.put(
            _as_item(thing, "thing", keys.thing_key(thing.groupId, thing.thingId), index),
            version_is(expected_version),
            VersionConflict(f"thing {thing.thingId} changed since version {expected_version}"),
        )

    def require_live_thing(self, group_id: str, thing_id: str, field_name: str) -> None:
        self._tx.check(
            keys.thing_key(group_id, thing_id),
            _ARCHIVED,
            ValidationFailed.on(field_name, f"thing {thing_id} does not exist in this group or is archived"),
        )

    # connections

    def add_connection(self, connection: Connection) -> None:
        c = connection
        index = keys.connection_index(c.groupId, c.fromThingId, c.toThingId, c.relationshipType, c.connectionId)
        self._tx.put(
            _as_item(c, "connection", keys.connection_key(c.groupId, c.connectionId), index),
            ITEM_ABSENT,
            Conflict("connection id clash"),
        )
        guard = {
            **keys.connection_guard_key(c.groupId, c.fromThingId, c.relationshipType, c.toThingId),
            "connectionId": c.connectionId,
        }
        self._tx.put(
            {**guard, "entity": "connection_guard"},
            ITEM_ABSENT,
            Conflict(f"a live {c.relationshipType} connection from {c.fromThingId} to {c.toThingId} already exists"),
        )

    def end_connection(self, connection: Connection, expected_version: int) -> None:
        c = connection
        index = keys.connection_index(c.groupId, c.fromThingId, c.toThingId, c.relationshipType, c.connectionId)
        self._tx.put(
            _as_item(c, "connection", keys.connection_key(c.groupId, c.connectionId), index),
            version_is(expected_version),
            VersionConflict(f"connection {c.connectionId} changed concurrently"),
        )
        self._tx.delete(keys.connection_guard_key(c.groupId, c.fromThingId, c.relationshipType, c.toThingId))

    # knowledge

    def add_knowledge(self, knowledge: Knowledge) -> None:
        k = knowledge
        self._tx.put(
            _as_item(
                k,
                "knowledge",
                keys.knowledge_key(k.groupId, k.knowledgeId),
                keys.knowledge_index(k.groupId, k.sourceThingId, k.knowledgeId),
            ),
            ITEM_ABSENT,
            Conflict("knowledge id clash"),
        )
        for label in k.labels:
            self._tx.put(_as_item(k, "knowledge_label", keys.knowledge_label_key(k.groupId, label, k.knowledgeId)))

    def delete_knowledge(self, knowledge: Knowledge) -> None:
        k = knowledge
        self._tx.delete(
            keys.knowledge_key(k.groupId, k.knowledgeId), ITEM_PRESENT, NotFound(f"knowledge {k.knowledgeId} not found")
        )
        for label in k.labels:
            self._tx.delete(keys.knowledge_label_key(k.groupId, label, k.knowledgeId))

    # the funnel aggregate

    def count_funnel(self, group: Group, delta: int) -> None:
        """Keep the group's funnel count under ``settings.limits.maxFunnels``. It stands in for
        ``require_group_writable``, since a transaction may touch the group item only once."""
        limit = group.settings.limits.maxFunnels
        condition = "#status <> :archived"
        values: dict[str, Any] = {":archived": "archived", ":delta": delta}
        if delta > 0:
            condition += " AND (attribute_not_exists(funnelCount) OR funnelCount < :limit)"
            values[":limit"] = limit

        def failure(old: dict[str, Any] | None) -> DomainError:
            status = old.get("status") if old else group.status
            if status == "archived":
                return _GROUP_ARCHIVED
            return LimitExceeded.on_field("name", f"the group has reached its limit of {limit} funnels")

        self._tx.update(
            keys.group_key(group.groupId),
            "ADD funnelCount :delta",
            Condition(condition, {"#status": "status"}, values),
            failure,
        )

    def add_funnel(self, funnel: Funnel) -> None:
        index = keys.thing_index(funnel.groupId, "funnel", funnel.status, funnel.funnelId)
        self._tx.put(
            _as_item(funnel, "funnel", keys.funnel_key(funnel.groupId, funnel.funnelId), index),
            ITEM_ABSENT,
            Conflict("funnel id clash"),
        )
        self.claim_funnel_name(funnel.groupId, funnel.name, funnel.funnelId)
        self.claim_funnel_slug(funnel.groupId, funnel.slug, funnel.funnelId)

    def claim_funnel_name(self, group_id: str, name: str, funnel_id: str) -> None:
        guard = {**keys.funnel_name_key(group_id, name), "funnelId": funnel_id, "entity": "funnel_name"}
        self._tx.put(
            guard, ITEM_ABSENT, NameTaken.on_field("name", f"a funnel named '{name}' already exists in this group")
        )

    def claim_funnel_slug(self, group_id: str, slug: str, funnel_id: str) -> None:
        guard = {**keys.funnel_slug_key(group_id, slug), "funnelId": funnel_id, "entity": "funnel_slug"}
        self._tx.put(
            guard, ITEM_ABSENT, SlugTaken.on_field("slug", f"a funnel with slug '{slug}' already exists in this group")
        )

    def release_funnel_name(self, group_id: str, name: str) -> None:
        self._tx.delete(keys.funnel_name_key(group_id, name))

    def release_funnel_slug(self, group_id: str, slug: str) -> None:
        self._tx.delete(keys.funnel_slug_key(group_id, slug))

    def replace_funnel(
        self, funnel: Funnel, *, expected_version: int | None = None, expected_structure: int | None = None
    ) -> None:
        """Write the funnel item back, on condition that nobody changed what this change read."""
        condition, failure = _unchanged(f"funnel {funnel.funnelId}", expected_version, expected_structure)
        index = keys.thing_index(funnel.groupId, "funnel", funnel.status, funnel.funnelId)
        self._tx.put(
            _as_item(funnel, "funnel", keys.funnel_key(funnel.groupId, funnel.funnelId), index), condition, failure
        )

    def add_step(self, step: FunnelStep) -> None:
        self._tx.put(_step_item(step), ITEM_ABSENT, Conflict("step id clash"))

    def replace_step(
        self, step: FunnelStep, *, expected_version: int | None = None, expected_structure: int | None = None
    ) -> None:
        condition, failure = _unchanged(f"step {step.stepId}", expected_version, expected_structure)
        self._tx.put(_step_item(step), condition, failure)

    def claim_step_slug(self, step: FunnelStep) -> None:
        guard = {
            **keys.step_slug_key(step.groupId, step.funnelId, step.slug),
            "stepId": step.stepId,
            "entity": "step_slug",
        }
        self._tx.put(
            guard, ITEM_ABSENT, SlugTaken.on_field("slug", f"another step of this funnel has slug '{step.slug}'")
        )

    def release_step_slug(self, step: FunnelStep) -> None:
        self._tx.delete(keys.step_slug_key(step.groupId, step.funnelId, step.slug))

    def put_element(self, element: PageElement, *, expected_version: int | None = None) -> None:
        if expected_version is None:
            self._tx.put(_element_item(element), ITEM_ABSENT, Conflict("element id clash"))
        else:
            self._tx.put(
                _element_item(element),
                version_is(expected_version),
                VersionConflict(f"element {element.elementId} changed since version {expected_version}"),
            )

    def add_version(self, version: PublishedVersion, parts: list[bytes]) -> None:
        """A new published version; it is written once and never changed."""
        key = keys.funnel_version_key(version.groupId, version.funnelId, version.version)
        self._tx.put(
            _as_item(version, "funnel_version", key),
            ITEM_ABSENT,
            StructureConflict("this version was just published; retry"),
        )
        for number, data in enumerate(parts):
            part_key = keys.funnel_version_part_key(version.groupId, version.funnelId, version.version, number)
            self._tx.put({**part_key, "data": data, "entity": "funnel_version_part"})

    def assign(self, assignment: Connection) -> None:
        """The ``assigned_to`` connection from a person to a funnel; listed with the person's
        connections like any other."""
        a = assignment
        key = keys.assignment_key(a.groupId, a.fromThingId, a.toThingId)
        index = keys.connection_index(a.groupId, a.fromThingId, a.toThingId, a.relationshipType, a.connectionId)
        self._tx.put(_as_item(a, "assignment", key, index))

    def unassign(self, group_id: str, person_id: str, funnel_id: str) -> None:
        key = keys.assignment_key(group_id, person_id, funnel_id)
        self._tx.delete(key, ITEM_PRESENT, NotFound(f"person {person_id} is not assigned to funnel {funnel_id}"))

    def add_group_template(self, template: StoredTemplate) -> None:
        key = keys.group_template_key(template.groupId, template.templateId)
        self._tx.put(_as_item(template, "template", key), ITEM_ABSENT, Conflict("template id clash"))

    def count_template_use(self, template_id: str, group_id: str | None) -> None:
        """One more funnel or step made from a template: group templates count on their item,
        system templates on a counter of their own."""
        if group_id is None:
            key, condition = (
                keys.template_usage_key(template_id),
                Condition("attribute_not_exists(PK) OR attribute_exists(PK)"),
            )
            self._tx.update(
                key,
                "ADD usageCount :one SET templateId = :id",
                Condition(condition.expression, {}, {":one": 1, ":id": template_id}),
            )
        else:
            self._tx.update(
                keys.group_template_key(group_id, template_id),
                "ADD usageCount :one",
                Condition("attribute_exists(PK)", {}, {":one": 1}),
                NotFound(f"template {template_id} not found"),
            )

    def delete_element(self, element: PageElement) -> None:
        self._tx.delete(keys.element_key(element.groupId, element.funnelId, element.stepId, element.elementId))

    # events

    def record(self, event: Event) -> None:
        e = event
        key = keys.event_key(e.groupId, e.timestamp, e.eventId)
        index = keys.event_index(e.groupId, e.targetId, e.actorId, e.type, e.timestamp, e.eventId)
        self._tx.put(_as_item(e, "event", key, index))
