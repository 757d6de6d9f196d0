"""The commerce area's keys and ids. Orders, payments and the Stripe account are things of the
ontology (its keys); what is the commerce area's own is how their ids are made, so that a retried
request lands on the same item, and the guard that makes each Stripe event take effect once.

- A group's Stripe account is its one ``stripe_account`` thing: its id follows from the group's.
- An order's id follows from its order token's nonce: a retried or double-clicked checkout finds
  the order the first one made, and Stripe's idempotency keys are derived from that id.
- A payment's id follows from its PaymentIntent's: every webhook about it lands on one thing.
"""

from __future__ import annotations

import hashlib
from typing import Final

from funnel_core.store.keyspace import Prefixes, register
from funnel_core.store.tenancy import PK, SK, group_pk

STRIPE_EVENT: Final = "#STRIPEEVENT#"
STRIPE_ACCOUNT_ID_PREFIX: Final = "sac_"
ORDER_ID_PREFIX: Final = "ord_"
PAYMENT_ID_PREFIX: Final = "pay_"

register(
    Prefixes(
        area="commerce",
        group_partitions=(STRIPE_EVENT,),
        ids=(STRIPE_ACCOUNT_ID_PREFIX, ORDER_ID_PREFIX, PAYMENT_ID_PREFIX),
    )
)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def stripe_account_id(group_id: str) -> str:
    return f"{STRIPE_ACCOUNT_ID_PREFIX}{_digest(group_id)}"


def order_id(group_id: str, token_nonce: str) -> str:
    return f"{ORDER_ID_PREFIX}{_digest(group_id, token_nonce)}"


def payment_id(group_id: str, payment_intent_id: str) -> str:
    return f"{PAYMENT_ID_PREFIX}{_digest(group_id, payment_intent_id)}"


def stripe_event_key(group_id: str, event_id: str) -> dict[str, str]:
    """Written in the transaction of a Stripe event's effects: a second delivery finds it."""
    return {PK: f"{group_pk(group_id)}{STRIPE_EVENT}{event_id}", SK: "STRIPEEVENT"}
