"""The table core: the few DynamoDB calls every aggregate's store is made of.

``get``, ``batch_get``, ``query`` (one page, with a signed cursor) and ``query_all`` (every page),
``batch_write`` for items no reader can reach yet, and ``change`` for everything else: one
TransactWriteItems per change (``store.change``). Records go in and come out as plain Python
values; the aggregate stores turn them into models (``store.items``). A value DynamoDB refuses
is the client's 400, never a 500.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from botocore.exceptions import ClientError
from pydantic import BaseModel

from funnel_core.errors import BadRequest, Busy
from funnel_core.store.client import dynamodb
from funnel_core.store.codec import deserialize, serialize, serialize_value
from funnel_core.store.cursor import decode_cursor, encode_cursor
from funnel_core.store.items import key_of, to_model
from funnel_core.store.tenancy import PK, SK
from funnel_core.store.transaction import THROTTLED, Condition, refused_value

if TYPE_CHECKING:
    from funnel_core.store.change import Change
    from funnel_core.store.paging import PageRequest

M = TypeVar("M", bound=BaseModel)
Record = dict[str, Any]

_BATCH_GET_MAX = 100
_BATCH_WRITE_MAX = 25
_WRITERS = 8


@dataclass(frozen=True)
class Ref(Generic[M]):
    """An item a route needs, read in the same BatchGetItem as the caller's authorization."""

    pk: str
    sk: str
    model: type[M]

    @classmethod
    def to(cls, key: dict[str, str], model: type[M]) -> Ref[M]:
        return cls(key[PK], key[SK], model)

    @property
    def key(self) -> dict[str, str]:
        return {PK: self.pk, SK: self.sk}


@dataclass(frozen=True)
class Query:
    """One partition of the table or of an index, optionally narrowed by sort key and filters."""

    partition: str
    index: str | None = None
    sort_prefix: str | None = None
    sort_between: tuple[str, str] | None = None
    newest_first: bool = True
    equals: dict[str, Any] = field(default_factory=dict)
    condition: Condition | None = None

    def request(self, table: str) -> dict[str, Any]:
        pk_name, sk_name = (f"{self.index}PK", f"{self.index}SK") if self.index else (PK, SK)
        names = {"#pk": pk_name}
        values: dict[str, Any] = {":pk": self.partition}
        key_condition = "#pk = :pk"
        if self.sort_prefix is not None:
            names["#sk"], values[":prefix"] = sk_name, self.sort_prefix
            key_condition += " AND begins_with(#sk, :prefix)"
        elif self.sort_between is not None:
            names["#sk"] = sk_name
            values[":low"], values[":high"] = self.sort_between
            key_condition += " AND #sk BETWEEN :low AND :high"
        filters = []
        for n, (attribute, value) in enumerate(self.equals.items()):
            names[f"#f{n}"], values[f":f{n}"] = attribute, value
            filters.append(f"#f{n} = :f{n}")
        if self.condition is not None:
            filters.append(f"({self.condition.expression})")
            names |= self.condition.names
            values |= self.condition.values
        request: dict[str, Any] = {
            "TableName": table,
            "KeyConditionExpression": key_condition,
            "ScanIndexForward": not self.newest_first,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {name: serialize_value(value) for name, value in values.items()},
        }
        if filters:
            request["FilterExpression"] = " AND ".join(filters)
        if self.index:
            request["IndexName"] = self.index
        else:
            request["ConsistentRead"] = True
        return request


def add_expression(
    counts: dict[str, int], fields: dict[str, Any] | None = None
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The update that adds ``counts`` to an item's counters (made if absent) and sets ``fields``
    beside them: (expression, names, values), for ``Table.add`` or a change's update."""
    names = {f"#c{n}": name for n, name in enumerate(counts)} | {f"#s{n}": name for n, name in enumerate(fields or {})}
    values = {f":c{n}": value for n, value in enumerate(counts.values())}
    values |= {f":s{n}": value for n, value in enumerate((fields or {}).values())}
    expression = "ADD " + ", ".join(f"#c{n} :c{n}" for n in range(len(counts)))
    if fields:
        expression += " SET " + ", ".join(f"#s{n} = :s{n}" for n in range(len(fields)))
    return expression, names, values


class Table:
    """One per container; the client underneath is shared."""

    def __init__(self, name: str) -> None:
        self.name = name

    def get(self, key: dict[str, str]) -> Record | None:
        response = _call(dynamodb().get_item, TableName=self.name, Key=serialize(key), ConsistentRead=True)
        item = response.get("Item")
        return deserialize(item) if item else None

    def read(self, ref: Ref[M]) -> M | None:
        """The item ``ref`` names, as its model, or None (one consistent GetItem)."""
        record = self.get(ref.key)
        return to_model(ref.model, record) if record else None

    def put_if(self, item: Record, condition: Condition) -> bool:
        """One conditional PutItem outside any change: False when ``condition`` refused it. Only
        for derived items a writer can always make again (the published pages)."""
        return self._conditional(dynamodb().put_item, Item=serialize(item), **condition.request())

    def update_if(self, key: dict[str, str], expression: str, condition: Condition) -> bool:
        """One conditional UpdateItem outside any change: False when ``condition`` refused it.
        Only for state one request claims and releases (an order's charge in progress)."""
        return self._conditional(
            dynamodb().update_item, Key=serialize(key), UpdateExpression=expression, **condition.request()
        )

    def add(self, key: dict[str, str], counts: dict[str, int], fields: dict[str, Any] | None = None) -> dict[str, int]:
        """Add to counters of one item (made if absent), setting ``fields`` beside them: one
        UpdateItem, never read first, so concurrent writers never lose a count. Answers the
        counters' new values."""
        expression, names, values = add_expression(counts, fields)
        response = _call(
            dynamodb().update_item,
            TableName=self.name,
            Key=serialize(key),
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={name: serialize_value(value) for name, value in values.items()},
            ReturnValues="UPDATED_NEW",
        )
        updated = deserialize(response.get("Attributes") or {})
        return {name: int(updated.get(name, 0)) for name in counts}

    def _conditional(self, operation: Any, **request: Any) -> bool:
        try:
            _call(operation, TableName=self.name, **request)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def batch_get(self, keys: Sequence[dict[str, str]]) -> dict[tuple[str, str], Record]:
        """Consistent reads by key, answered by (PK, SK); absent items are absent."""
        wanted = list({key_of(key): key for key in keys}.values())
        found: dict[tuple[str, str], Record] = {}
        for start in range(0, len(wanted), _BATCH_GET_MAX):
            pending: dict[str, Any] = {
                self.name: {
                    "Keys": [serialize(key) for key in wanted[start : start + _BATCH_GET_MAX]],
                    "ConsistentRead": True,
                }
            }
            while pending:
                response = _call(dynamodb().batch_get_item, RequestItems=pending)
                for raw in response.get("Responses", {}).get(self.name, []):
                    record = deserialize(raw)
                    found[key_of(record)] = record
                pending = response.get("UnprocessedKeys") or {}
        return found

    def query(self, query: Query, page: PageRequest) -> tuple[list[Record], str | None]:
        """One page of ``query``: at most ``page.limit`` items and the cursor of the next page,
        valid only for the caller and the query ``page`` is bound to."""
        request = query.request(self.name) | {"Limit": page.limit}
        start_key = decode_cursor(page.cursor, page.binding)
        if start_key is not None:
            pk_name = f"{query.index}PK" if query.index else PK
            if start_key.get(pk_name, {}).get("S") != query.partition:
                raise BadRequest("cursor is not valid for this query")
            request["ExclusiveStartKey"] = start_key
        response = _call(dynamodb().query, **request)
        records = [deserialize(raw) for raw in response.get("Items", [])]
        return records, encode_cursor(response.get("LastEvaluatedKey"), page.binding)

    def query_all(self, query: Query) -> Iterator[Record]:
        """Every item of ``query``, reading DynamoDB's 1 MB pages one after another."""
        request = query.request(self.name)
        while True:
            response = _call(dynamodb().query, **request)
            yield from (deserialize(raw) for raw in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def scan_all(self, segment: int = 0, segments: int = 1) -> Iterator[Record]:
        """Every item of one segment of a parallel Scan: only for jobs that must see the whole
        table (a search backfill after an embedding model change), never for a request."""
        request: dict[str, Any] = {"TableName": self.name, "Segment": segment, "TotalSegments": segments}
        while True:
            response = _call(dynamodb().scan, **request)
            yield from (deserialize(raw) for raw in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def batch_write(self, puts: Sequence[Record] = (), deletes: Sequence[dict[str, str]] = ()) -> None:
        """BatchWriteItem in batches of 25, several in flight at once (a copy of a funnel at the
        limits is over 5,000 items). Not a transaction: only for items no reader reaches yet, or
        any more."""
        requests = [{"PutRequest": {"Item": serialize(item)}} for item in puts]
        requests += [{"DeleteRequest": {"Key": serialize(key)}} for key in deletes]
        batches = [requests[start : start + _BATCH_WRITE_MAX] for start in range(0, len(requests), _BATCH_WRITE_MAX)]

        def write(batch: list[dict[str, Any]]) -> None:
            pending: dict[str, Any] = {self.name: batch}
            while pending:
                pending = _call(dynamodb().batch_write_item, RequestItems=pending).get("UnprocessedItems") or {}

        if len(batches) <= 1:
            for batch in batches:
                write(batch)
            return
        with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
            list(pool.map(write, batches))

    def change(self, actor_id: str, group_id: str, *, check_group: bool = True) -> Change:
        """The one way to write (``store.change``): ``with table.change(caller.person_id, g) as change:``."""
        from funnel_core.store.change import Change

        return Change(self.name, actor_id, group_id, check_group=check_group)


def _call(operation: Any, **request: Any) -> Any:
    try:
        return operation(**request)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        if code == "ValidationException":
            raise refused_value(error.response["Error"].get("Message", "")) from error
        if code in THROTTLED:
            raise Busy() from error
        raise
