"""The unit of work behind every write: one TransactWriteItems.

Each action may carry a condition and the domain error to raise when that condition is what
cancelled the transaction, so a failed uniqueness or version check surfaces as the precise
409/404/422 it stands for, and nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from funnel_core.errors import BadRequest, Busy, DomainError, PayloadTooLarge, StructureConflict
from funnel_core.store.client import dynamodb
from funnel_core.store.codec import deserialize, serialize, serialize_value

MAX_ACTIONS = 100

# What a failed condition stands for: one error, or one chosen from the item as it was.
OnFail = DomainError | Callable[[dict[str, Any] | None], DomainError]


@dataclass(frozen=True)
class Condition:
    """A condition expression with the attribute names and values it (and an update
    expression beside it) uses; an empty expression carries only those."""

    expression: str
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def request(self) -> dict[str, Any]:
        request: dict[str, Any] = {"ConditionExpression": self.expression} if self.expression else {}
        if self.names:
            request["ExpressionAttributeNames"] = self.names
        if self.values:
            request["ExpressionAttributeValues"] = {k: serialize_value(v) for k, v in self.values.items()}
        return request


ITEM_ABSENT = Condition("attribute_not_exists(PK)")
ITEM_PRESENT = Condition("attribute_exists(PK)")
# There, and not archived: a writable group, a live thing.
ITEM_LIVE = Condition("attribute_exists(PK) AND #status <> :archived", {"#status": "status"}, {":archived": "archived"})


def version_is(expected: int) -> Condition:
    return Condition("#version = :expected", {"#version": "version"}, {":expected": expected})


@dataclass
class _Action:
    request: dict[str, Any]
    on_fail: OnFail | None

    def failure(self, reason: dict[str, Any]) -> DomainError | None:
        if self.on_fail is None or isinstance(self.on_fail, DomainError):
            return self.on_fail
        old = reason.get("Item")
        return self.on_fail(deserialize(old) if old else None)


class Transaction:
    def __init__(self, table_name: str) -> None:
        self._table = table_name
        self._actions: list[_Action] = []
        self._keys: set[tuple[str, str]] = set()

    def __len__(self) -> int:
        return len(self._actions)

    def touches(self, key: dict[str, str]) -> bool:
        """Whether an action of this transaction is on the item at ``key``."""
        return (key["PK"], key["SK"]) in self._keys

    def put(self, item: dict[str, Any], condition: Condition | None = None, on_fail: OnFail | None = None) -> None:
        request: dict[str, Any] = {"TableName": self._table, "Item": serialize(item)}
        self._add("Put", request, condition, on_fail)

    def delete(self, key: dict[str, str], condition: Condition | None = None, on_fail: OnFail | None = None) -> None:
        self._add("Delete", {"TableName": self._table, "Key": serialize(key)}, condition, on_fail)

    def update(
        self,
        key: dict[str, str],
        update_expression: str,
        condition: Condition,
        on_fail: OnFail | None = None,
    ) -> None:
        request = {"TableName": self._table, "Key": serialize(key), "UpdateExpression": update_expression}
        self._add("Update", request, condition, on_fail)

    def check(self, key: dict[str, str], condition: Condition, on_fail: OnFail, *, first: bool = False) -> None:
        """``first``: checked before every other action, so that its failure is the one named."""
        self._add("ConditionCheck", {"TableName": self._table, "Key": serialize(key)}, condition, on_fail, first)

    def _add(
        self,
        kind: str,
        request: dict[str, Any],
        condition: Condition | None,
        on_fail: OnFail | None,
        first: bool = False,
    ) -> None:
        key = request.get("Key") or request["Item"]
        self._keys.add((key["PK"]["S"], key["SK"]["S"]))
        if condition is not None:
            request |= condition.request()
            if on_fail is not None and not isinstance(on_fail, DomainError):
                # The error is chosen from the item as it was, so DynamoDB must send it back.
                request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        self._actions.insert(0 if first else len(self._actions), _Action({kind: request}, on_fail))

    def commit(self) -> None:
        if not self._actions:
            return
        if len(self._actions) > MAX_ACTIONS:
            raise PayloadTooLarge(f"a change may touch at most {MAX_ACTIONS} items")
        try:
            items: list[Any] = [action.request for action in self._actions]
            dynamodb().transact_write_items(TransactItems=items)
        except ClientError as error:
            raise self._translate(error) from error

    def _translate(self, error: ClientError) -> Exception:
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        if code == "TransactionCanceledException":
            reasons = error.response.get("CancellationReasons", [])
            for action, reason in zip(self._actions, reasons, strict=False):
                if (
                    reason.get("Code") == "ConditionalCheckFailed"
                    and (failure := action.failure(dict(reason))) is not None
                ):
                    return failure
            if any(reason.get("Code") == "TransactionConflict" for reason in reasons):
                # Another transaction held one of the items: a lost race, retried like one.
                return StructureConflict("another change to the same items is in progress; retry")
            if any(reason.get("Code") == "ValidationError" for reason in reasons):
                return refused_value(message)
            if any(reason.get("Code") in _THROTTLED_REASONS for reason in reasons):
                return Busy()
        if code in THROTTLED:
            return Busy()
        if code == "TransactionConflictException":
            return StructureConflict("another change to the same items is in progress; retry")
        if code == "ValidationException":
            return refused_value(message)
        return error


# What DynamoDB answers, once the SDK's own retries are spent, when a partition or the account is
# at its throughput; and what a cancelled transaction names as the reason.
THROTTLED = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"})
_THROTTLED_REASONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded"})


def refused_value(message: str) -> DomainError:
    """DynamoDB's ValidationException, the last resort behind the checks at the edge: a value
    it cannot hold is the client's 4xx, never a 500."""
    if "item size" in message.lower():
        return PayloadTooLarge("the item would exceed DynamoDB's 400 KB item size")
    return BadRequest(f"a value in this request cannot be stored: {message}")
