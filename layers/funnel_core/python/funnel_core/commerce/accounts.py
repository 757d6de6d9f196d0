"""The group's Stripe account: a Stripe Connect account id its owners connect (``PUT
/groups/{g}/stripe-account``), audited, kept as the group's one ``stripe_account`` thing. Every
Stripe call made for the group's funnels is made on it.

Stripe is not asked whether the account exists or is connected to the platform here: the local
emulator has no Connect accounts, and a wrong id fails the first checkout with a clear 502
(docs/commerce.md)."""

from __future__ import annotations

from funnel_core.audit.events import EventType
from funnel_core.caller import Caller
from funnel_core.commerce import keys
from funnel_core.commerce.models import StripeAccount, StripeAccountPut
from funnel_core.container import once
from funnel_core.ids import now_iso
from funnel_core.ontology import things
from funnel_core.ontology.access import Action, Authorizer, authorizer
from funnel_core.ontology.models.things import Thing, ThingStatus
from funnel_core.store.default import table
from funnel_core.store.table import Table

STRIPE_ACCOUNT = "stripe_account"


def _answer(thing: Thing) -> StripeAccount:
    return StripeAccount(
        groupId=thing.groupId,
        accountId=thing.properties["accountId"],
        version=thing.version,
        createdAt=thing.createdAt,
        updatedAt=thing.updatedAt,
        updatedBy=thing.updatedBy,
    )


def connected_account(table: Table, group_id: str) -> str | None:
    """The group's Stripe account id, or None when its owners have connected none."""
    account = table.read(things.thing_ref(group_id, keys.stripe_account_id(group_id)))
    return account.properties.get("accountId") if account else None


class StripeAccounts:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.access = access

    def put(self, caller: Caller, group_id: str, body: StripeAccountPut) -> tuple[StripeAccount, bool]:
        """The account connected (True when the group had none), or the same one kept."""
        thing_id = keys.stripe_account_id(group_id)
        ref = things.thing_ref(group_id, thing_id)
        access = self.access.authorize(caller, group_id, Action.MANAGE_GROUP, refs=[ref])
        current = access.found(ref)
        if current is not None and current.properties.get("accountId") == body.accountId:
            return _answer(current), False
        at = now_iso()
        with self.table.change(caller.person_id, group_id) as change:
            if current is None:
                thing = Thing(
                    thingId=thing_id,
                    groupId=group_id,
                    type=STRIPE_ACCOUNT,
                    name="Stripe account",
                    status=ThingStatus.ACTIVE,
                    properties={"accountId": body.accountId, "provider": "stripe"},
                    createdAt=at,
                    updatedAt=at,
                    createdBy=caller.person_id,
                    updatedBy=caller.person_id,
                )
                things.add_in(change, thing)
                change.record(
                    EventType.ENTITY_CREATED, thing_id, {"entity": STRIPE_ACCOUNT, "accountId": body.accountId}, at
                )
            else:
                thing = current.model_copy(
                    update={
                        "properties": {**current.properties, "accountId": body.accountId},
                        "version": current.version + 1,
                        "updatedAt": at,
                        "updatedBy": caller.person_id,
                    }
                )
                things.replace_in(change, thing, current.version)
                metadata = {
                    "entity": STRIPE_ACCOUNT,
                    "accountId": body.accountId,
                    "previousAccountId": current.properties.get("accountId"),
                }
                change.record(EventType.ENTITY_UPDATED, thing_id, metadata, at)
        return _answer(thing), current is None


@once
def service() -> StripeAccounts:
    return StripeAccounts(table(), authorizer())
