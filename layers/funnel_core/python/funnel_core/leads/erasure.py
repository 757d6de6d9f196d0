"""Erasing one customer's personal data, for a group owner: the customer's name and properties,
and in each of their submissions the data, the consent records' IP and user agent and the
request's metadata. What stays: that there were submissions (their status, time, funnel and
step, the consent text's version and hash), so counts stay true; the email's guard is freed, so
the address opting in again is a new customer. One audited event says it was done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from funnel_core.audit.events import EventType
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import NotFound
from funnel_core.ids import now_iso
from funnel_core.leads import keys
from funnel_core.ontology import things
from funnel_core.ontology.access import Action, Authorizer, authorizer
from funnel_core.ontology.models.things import Thing, ThingStatus
from funnel_core.store.default import table
from funnel_core.store.items import to_model
from funnel_core.store.table import Query, Table

# Two updates per submission (the thing and its funnel's copy) in a transaction of 100 actions.
SUBMISSIONS_PER_CHANGE = 45
ERASED = "Erased customer"


@dataclass(frozen=True)
class Erased:
    customerId: str
    submissions: int
    erasedAt: str


def stripped(properties: dict[str, Any]) -> dict[str, Any]:
    consent = [
        {name: value for name, value in record.items() if name not in ("ip", "userAgent")}
        for record in properties.get("consent") or []
    ]
    metadata = {name: value for name, value in (properties.get("metadata") or {}).items() if name.startswith("utm_")}
    return {**properties, "data": {}, "consent": consent, "metadata": metadata, "erased": True}


class Erasure:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.access = access

    def erase(self, caller: Caller, group_id: str, customer_id: str) -> Erased:
        ref = things.thing_ref(group_id, customer_id)
        access = self.access.authorize(caller, group_id, Action.MANAGE_GROUP, refs=[ref])
        customer = access.found(ref)
        if customer is None or customer.type != "customer":
            raise NotFound(f"customer {customer_id} not found")
        pointers = list(self.table.query_all(Query(keys.customer_submissions_pk(group_id, customer_id))))
        at = now_iso()
        email = customer.properties.get("email")
        # Erasure never fails for want of the guard: it is freed only where it names this customer.
        guard = self.table.get(things.email_guard_key(group_id, email)) if email else None
        holds_email = guard is not None and guard.get("customerId") == customer_id
        with self.table.change(caller.person_id, group_id) as change:
            erased = customer.model_copy(
                update={
                    "name": ERASED,
                    "properties": {},
                    "status": ThingStatus.ARCHIVED,
                    "version": customer.version + 1,
                    "updatedAt": at,
                    "updatedBy": caller.person_id,
                }
            )
            things.replace_in(change, erased, customer.version)
            if email and holds_email:
                things.release_email_in(change, group_id, email, customer_id)
            metadata = {"entity": "customer", "erased": True, "submissions": len(pointers)}
            change.record(EventType.ENTITY_UPDATED, customer_id, metadata, at)
        for start in range(0, len(pointers), SUBMISSIONS_PER_CHANGE):
            self._erase_submissions(caller, group_id, pointers[start : start + SUBMISSIONS_PER_CHANGE], at)
        return Erased(customerId=customer_id, submissions=len(pointers), erasedAt=at)

    def _erase_submissions(self, caller: Caller, group_id: str, pointers: list[dict[str, Any]], at: str) -> None:
        refs = [things.thing_ref(group_id, pointer["SK"]) for pointer in pointers]
        found = self.table.batch_get([ref.key for ref in refs])
        with self.table.change(caller.person_id, group_id) as change:
            for pointer, ref in zip(pointers, refs, strict=True):
                record = found.get((ref.pk, ref.sk))
                if record is None:
                    continue
                submission = to_model(Thing, record)
                properties = stripped(submission.properties)
                things.merge_properties_in(change, group_id, submission.thingId, properties, caller.person_id, at)
                copy = keys.funnel_submission_key(
                    group_id, pointer["funnelId"], pointer["createdAt"], submission.thingId
                )
                change.set_fields(copy, {"properties": properties, "updatedAt": at})


@once
def service() -> Erasure:
    return Erasure(table(), authorizer())
