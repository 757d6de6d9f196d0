"""The one way to write: a change is opened, filled and committed in one place.

::

    with table.change(caller.person_id, group_id) as change:
        things.add(change, thing)
        change.record(EventType.ENTITY_CREATED, thing.thingId, {"type": thing.type})

On leaving the block the change's items, their conditions and its audit events are written in
one TransactWriteItems, or nothing is (a refused condition raises the precise domain error it
carries). A change inside a group also checks that the group is not archived, exactly when no
other action of the change touches the group's item: those actions carry that check themselves,
because one transaction may touch an item only once. A visitor's change (a form post) is made
with ``check_group=False``: it has read the group already, an archived group's pages are taken
down, and the check would put one more write on the group's item, the one item every opt-in of a
viral funnel would then share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from funnel_core.audit.events import Event, EventType
from funnel_core.audit.trail import put_event
from funnel_core.errors import Conflict
from funnel_core.ids import new_id, now_iso
from funnel_core.store.tenancy import group_key
from funnel_core.store.transaction import ITEM_LIVE, Condition, OnFail, Transaction

if TYPE_CHECKING:
    from types import TracebackType

GROUP_WRITABLE = ITEM_LIVE
GROUP_ARCHIVED = Conflict("the group is archived; restore it before changing it")


class Change:
    def __init__(self, table_name: str, actor_id: str, group_id: str, *, check_group: bool = True) -> None:
        self.actor_id = actor_id
        self.group_id = group_id
        self.check_group = check_group
        self.events: list[Event] = []
        self._transaction = Transaction(table_name)
        self._writable_checked: set[str] = set()

    def __len__(self) -> int:
        return len(self._transaction) + len(self.events)

    def put(self, item: dict[str, Any], condition: Condition | None = None, on_fail: OnFail | None = None) -> None:
        self._transaction.put(item, condition, on_fail)

    def update(self, key: dict[str, str], expression: str, condition: Condition, on_fail: OnFail | None = None) -> None:
        self._transaction.update(key, expression, condition, on_fail)

    def set_fields(
        self,
        key: dict[str, str],
        fields: dict[str, Any],
        condition: Condition | None = None,
        on_fail: OnFail | None = None,
    ) -> None:
        """Write ``fields`` of the item at ``key`` and leave its other attributes alone: the
        counters other changes keep (a group's owners, a thing's connections) never roll back."""
        names = {f"#f{n}": name for n, name in enumerate(fields)}
        values = {f":f{n}": value for n, value in enumerate(fields.values())}
        expression = "SET " + ", ".join(f"#f{n} = :f{n}" for n in range(len(fields)))
        base = condition or Condition("")
        merged = Condition(base.expression, {**base.names, **names}, {**base.values, **values})
        self.update(key, expression, merged, on_fail)

    def delete(self, key: dict[str, str], condition: Condition | None = None, on_fail: OnFail | None = None) -> None:
        self._transaction.delete(key, condition, on_fail)

    def check(self, key: dict[str, str], condition: Condition, on_fail: OnFail) -> None:
        self._transaction.check(key, condition, on_fail)

    def require_writable(self, group_id: str) -> None:
        """Another group must be writable too, e.g. the parent of a group being created. Checked
        first: a change to an archived group is refused as such, whatever else is wrong with it."""
        if group_id not in self._writable_checked:
            self._writable_checked.add(group_id)
            self._transaction.check(group_key(group_id), GROUP_WRITABLE, GROUP_ARCHIVED, first=True)

    def record(
        self, event_type: EventType, target_id: str, metadata: dict[str, Any] | None = None, at: str | None = None
    ) -> Event:
        """The audit event of this change, written in its transaction."""
        event = Event(
            eventId=new_id("evt"),
            groupId=self.group_id,
            type=event_type,
            actorId=self.actor_id,
            targetId=target_id,
            timestamp=at or now_iso(),
            metadata=metadata or {},
        )
        self.events.append(event)
        return event

    def commit(self) -> None:
        if self.check_group and not self._transaction.touches(group_key(self.group_id)):
            self.require_writable(self.group_id)
        for event in self.events:
            put_event(self._transaction, event)
        self._transaction.commit()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.commit()
