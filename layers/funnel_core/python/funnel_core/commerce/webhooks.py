"""``POST /webhooks/stripe``: Stripe's events, verified and taken exactly once.

The ``Stripe-Signature`` header is checked by the official library on the raw body (300 s
tolerance). Each event id takes effect once: its guard item is written in the same transaction as
its effects, so a second delivery (Stripe retries, or twenty at once) finds it and changes
nothing. Events may come in any order: a payment's status only moves forward (a late failure
never undoes a success, a refund's amount only grows), and what the event carries is enough to
record it (the PaymentIntent's metadata names the group, funnel, step, order and customer).

Effects of ``payment_intent.succeeded``: the ``payment`` thing, the customer upserted by email,
``customer_purchased_via_funnel``, the order paid, a ``purchase_completed`` event. Of
``payment_intent.payment_failed``: the payment recorded as failed (unless it succeeded since),
the order failed, ``payment_failed``. Of ``charge.refunded``: the payment's refunded amount and
status, the order's, ``payment_refunded`` (with what this refund added, for the analytics).

A hosted checkout's ``checkout.session.completed`` (paid) records the same payment as its
PaymentIntent's ``payment_intent.succeeded``: one payment id for both, so whichever comes second
finds it recorded and is stale. A subscription's payments are its invoices (``invoice.paid``, and
``invoice.payment_succeeded``, which older API versions and the local emulator send): one payment
per invoice, the first and every renewal, each its own ``purchase_completed`` with the billing
reason; the session's completion notes the subscription on the order. Anything else is
acknowledged and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe

from funnel_core.audit.events import EventType
from funnel_core.commerce import keys, stripe_api
from funnel_core.commerce.models import OrderStatus, PaymentStatus
from funnel_core.commerce.paid import Paid, invoice_metadata
from funnel_core.container import once
from funnel_core.errors import BadRequest, Busy, DomainError
from funnel_core.ids import new_id, now_iso
from funnel_core.observability import logger
from funnel_core.ontology import connections, things
from funnel_core.ontology.connections import new_connection
from funnel_core.ontology.models.properties import normalized_email
from funnel_core.ontology.models.things import Thing, ThingStatus
from funnel_core.store.change import Change
from funnel_core.store.default import table
from funnel_core.store.table import Table
from funnel_core.store.transaction import ITEM_ABSENT, Condition

TOLERANCE_SECONDS = 300
STRIPE = "stripe"
PURCHASED_VIA = "customer_purchased_via_funnel"
PAYMENT, CUSTOMER = "payment", "customer"
# How far a payment's status has come: an event never moves it back.
_RANK = {
    PaymentStatus.FAILED: 0,
    PaymentStatus.SUCCEEDED: 1,
    PaymentStatus.PARTIALLY_REFUNDED: 2,
    PaymentStatus.REFUNDED: 3,
}


class _Taken(DomainError):
    status, code = 200, "duplicate"


class _Ignored(DomainError):
    """An event of ours that records nothing (yet): a session completed but not paid."""

    status, code = 200, "ignored"


class _Stale(DomainError):
    """The event would move a payment back (it came late): only its guard is written."""

    status, code = 200, "stale"


@dataclass(frozen=True)
class WebhookAnswer:
    received: bool = True
    outcome: str = "recorded"  # "recorded", "duplicate", "stale", "ignored"


def verified_event(payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event, if Stripe signed this very body within the tolerance; else a 400."""
    if not signature:
        raise BadRequest.on_field("Stripe-Signature", "missing: Stripe signs every webhook it sends")
    try:
        event = stripe.Webhook.construct_event(payload, signature, stripe_api.webhook_secret(), TOLERANCE_SECONDS)
    except stripe.SignatureVerificationError as error:
        raise BadRequest.on_field("Stripe-Signature", f"not valid for this body: {error.user_message}") from None
    except ValueError:
        raise BadRequest.on_field("body", "not a Stripe event (not JSON)") from None
    return event.to_dict()


def _status_condition(new: PaymentStatus) -> Condition:
    """Written only over a payment that has not come as far (or is not there yet)."""
    behind = [status.value for status, rank in _RANK.items() if rank < _RANK[new]]
    names = {"#p": "properties", "#s": "status"}
    if not behind:
        return Condition("attribute_not_exists(PK)")
    values = {f":s{n}": status for n, status in enumerate(behind)}
    listed = ", ".join(values)
    return Condition(f"attribute_not_exists(PK) OR #p.#s IN ({listed})", names, values)


class StripeWebhooks:
    def __init__(self, table: Table) -> None:
        self.table = table

    def receive(self, payload: bytes, signature: str | None) -> WebhookAnswer:
        event = verified_event(payload, signature)
        event_type = str(event.get("type", ""))
        handler = {
            "payment_intent.succeeded": self._succeeded,
            "payment_intent.payment_failed": self._failed,
            "charge.refunded": self._refunded,
            "checkout.session.completed": self._session_completed,
            "invoice.paid": self._invoice_paid,
            "invoice.payment_succeeded": self._invoice_paid,
        }.get(event_type)
        obj = (event.get("data") or {}).get("object") or {}
        metadata = invoice_metadata(obj) if event_type.startswith("invoice.") else obj.get("metadata") or {}
        group_id = metadata.get("groupId")
        if handler is None or not group_id:
            logger.info("a Stripe event not for us", extra={"type": event.get("type"), "eventId": event.get("id")})
            return WebhookAnswer(outcome="ignored")
        try:
            handler(group_id, event, obj, metadata)
        except _Ignored:
            return WebhookAnswer(outcome="ignored")
        except _Taken:
            return WebhookAnswer(outcome="duplicate")
        except _Stale:
            self._guard_only(group_id, event)
            return WebhookAnswer(outcome="stale")
        return WebhookAnswer()

    # --- the effects ---------------------------------------------------------------------

    def _change(self, group_id: str, event: dict[str, Any]) -> Change:
        change = self.table.change(STRIPE, group_id, check_group=False)
        change.put(
            {**keys.stripe_event_key(group_id, event["id"]), "type": event["type"], "entity": "stripe_event"},
            ITEM_ABSENT,
            _Taken(f"Stripe event {event['id']} was taken already"),
        )
        return change

    def _guard_only(self, group_id: str, event: dict[str, Any]) -> None:
        try:
            with self._change(group_id, event):
                pass
        except _Taken:
            pass

    def _payment(self, group_id: str, paid: Paid, metadata: dict[str, Any], status: PaymentStatus, at: str) -> Thing:
        return Thing(
            thingId=keys.payment_id(group_id, paid.source),
            groupId=group_id,
            type=PAYMENT,
            name=f"Payment of order {metadata.get('orderId', '')}".strip(),
            status=ThingStatus.ACTIVE,
            properties={
                "amount": paid.amount,
                "currency": paid.currency.upper(),
                "provider": STRIPE,
                "status": status,
                "amountRefunded": 0,
                **paid.ids,
                "stripeCustomerId": paid.customer,
                "orderId": metadata.get("orderId"),
                "funnelId": metadata.get("funnelId"),
                "stepId": metadata.get("stepId"),
                "customerId": metadata.get("customerId"),
                "kind": metadata.get("kind", "product"),
            },
            createdAt=at,
            updatedAt=at,
            createdBy=STRIPE,
            updatedBy=STRIPE,
        )

    def _succeeded(
        self, group_id: str, event: dict[str, Any], intent: dict[str, Any], metadata: dict[str, Any]
    ) -> None:
        self._record_success(group_id, event, Paid.of_intent(intent), metadata)

    def _session_completed(
        self, group_id: str, event: dict[str, Any], session: dict[str, Any], metadata: dict[str, Any]
    ) -> None:
        """A hosted checkout done: its payment (payment mode), or its subscription noted on the
        order, whose payments its invoices bring."""
        if session.get("mode") == "subscription":
            self._subscription_started(group_id, event, session, metadata)
            return
        intent_id = stripe_api.id_of(session.get("payment_intent"))
        if session.get("payment_status") != "paid" or intent_id is None:
            # Paid later, if at all (a bank transfer): its PaymentIntent's own event records it.
            raise _Ignored("the session is not paid yet")
        self._record_success(group_id, event, Paid.of_session(session, intent_id), metadata)

    def _invoice_paid(
        self, group_id: str, event: dict[str, Any], invoice: dict[str, Any], metadata: dict[str, Any]
    ) -> None:
        """One payment of a subscription: the first or a renewal, one payment per invoice."""
        if invoice.get("status") != "paid" or not int(invoice.get("amount_paid") or 0):
            raise _Ignored("nothing was paid on this invoice")
        paid = Paid.of_invoice(invoice)
        self._record_success(group_id, event, paid, metadata, billingReason=invoice.get("billing_reason"))

    def _subscription_started(
        self, group_id: str, event: dict[str, Any], session: dict[str, Any], metadata: dict[str, Any]
    ) -> None:
        subscription = stripe_api.id_of(session.get("subscription"))
        order_id = metadata.get("orderId")
        if subscription is None or not order_id:
            raise _Ignored("a session without a subscription or an order")
        with self._change(group_id, event) as change:
            change.update(
                things.thing_ref(group_id, order_id).key,
                "SET #p.#sub = :sub, #u = :at",
                Condition(
                    "attribute_exists(PK)",
                    {"#p": "properties", "#sub": "subscriptionId", "#u": "updatedAt"},
                    {":sub": subscription, ":at": now_iso()},
                ),
                Busy(retry_after=30),
            )

    def _record_success(
        self, group_id: str, event: dict[str, Any], paid: Paid, metadata: dict[str, Any], **detail: Any
    ) -> None:
        at = now_iso()
        payment = self._payment(group_id, paid, metadata, PaymentStatus.SUCCEEDED, at)
        customer_id, new_customer = self._customer_of(group_id, metadata)
        funnel_id = metadata.get("funnelId")
        purchased = (
            customer_id is None
            or funnel_id is None
            or (
                not new_customer and connections.service().live_between(group_id, customer_id, PURCHASED_VIA, funnel_id)
            )
        )
        payment = payment.model_copy(update={"properties": {**payment.properties, "customerId": customer_id}})
        with self._change(group_id, event) as change:
            self._write_payment(change, payment, PaymentStatus.SUCCEEDED)
            if new_customer and customer_id:
                self._add_customer(change, group_id, customer_id, metadata, at, connections=int(bool(funnel_id)))
            if customer_id and funnel_id and not purchased:
                link = new_connection(
                    group_id, customer_id, funnel_id, PURCHASED_VIA, STRIPE, at, {"orderId": metadata.get("orderId")}
                )
                ends = frozenset({customer_id}) if new_customer else frozenset()
                connections.service().connect_in(change, link, new_ends=ends)
            self._order_paid(change, group_id, metadata, paid, at)
            change.record(
                EventType.PURCHASE_COMPLETED,
                payment.thingId,
                {
                    "orderId": metadata.get("orderId"),
                    "funnelId": funnel_id,
                    "stepId": metadata.get("stepId"),
                    "customerId": customer_id,
                    "visitorId": metadata.get("visitorId"),
                    "amount": paid.amount,
                    "currency": payment.properties["currency"],
                    "kind": metadata.get("kind", "product"),
                    **{name: value for name, value in paid.ids.items() if value and name != "chargeId"},
                    **{name: value for name, value in detail.items() if value},
                    "stripeEventId": event["id"],
                },
                at,
            )

    def _failed(self, group_id: str, event: dict[str, Any], intent: dict[str, Any], metadata: dict[str, Any]) -> None:
        at = now_iso()
        payment = self._payment(group_id, Paid.of_intent(intent), metadata, PaymentStatus.FAILED, at)
        error = intent.get("last_payment_error") or {}
        with self._change(group_id, event) as change:
            self._write_payment(change, payment, PaymentStatus.FAILED)
            self._set_order_status(change, group_id, metadata, OrderStatus.FAILED, only_from=(OrderStatus.PENDING,))
            change.record(
                EventType.PAYMENT_FAILED,
                payment.thingId,
                {
                    "orderId": metadata.get("orderId"),
                    "paymentIntentId": intent["id"],
                    "code": error.get("code"),
                    "stripeEventId": event["id"],
                },
                at,
            )

    def _refunded(self, group_id: str, event: dict[str, Any], charge: dict[str, Any], metadata: dict[str, Any]) -> None:
        intent_id = charge.get("payment_intent")
        if not isinstance(intent_id, str):
            raise _Stale("a refund of a charge without a PaymentIntent")
        refunded, amount = int(charge.get("amount_refunded") or 0), int(charge["amount"])
        status = PaymentStatus.REFUNDED if refunded >= amount else PaymentStatus.PARTIALLY_REFUNDED
        at = now_iso()
        payment_id = keys.payment_id(group_id, intent_id)
        ref = things.thing_ref(group_id, payment_id)
        recorded = self.table.read(ref)
        if recorded is None:
            # The payment's own event has not come yet: Stripe is told to come back.
            raise Busy(retry_after=30)
        before = int(recorded.properties.get("amountRefunded") or 0)
        if refunded <= before:
            raise _Stale("an older refund")
        # Written over the refunded amount read: the difference is what this refund added.
        condition = Condition(
            "attribute_exists(PK) AND #p.#r = :before",
            {"#p": "properties", "#r": "amountRefunded", "#s": "status", "#u": "updatedAt", "#v": "version"},
            {":refunded": refunded, ":before": before, ":status": status, ":at": at, ":one": 1},
        )
        with self._change(group_id, event) as change:
            change.update(
                ref.key,
                "SET #p.#r = :refunded, #p.#s = :status, #u = :at, #v = #v + :one",
                condition,
                Busy(retry_after=5),
            )
            order_status = OrderStatus.REFUNDED if status is PaymentStatus.REFUNDED else OrderStatus.PARTIALLY_REFUNDED
            self._set_order_status(change, group_id, metadata, order_status)
            change.record(
                EventType.PAYMENT_REFUNDED,
                payment_id,
                {
                    "orderId": metadata.get("orderId"),
                    "funnelId": metadata.get("funnelId"),
                    "stepId": metadata.get("stepId"),
                    "customerId": metadata.get("customerId"),
                    "paymentIntentId": intent_id,
                    "amountRefunded": refunded,
                    "refundedNow": refunded - before,
                    "amount": amount,
                    "currency": str(charge.get("currency") or recorded.properties.get("currency") or "").upper(),
                    "full": status is PaymentStatus.REFUNDED,
                    "stripeEventId": event["id"],
                },
                at,
            )

    # --- the items they write ------------------------------------------------------------

    @staticmethod
    def _write_payment(change: Change, payment: Thing, status: PaymentStatus) -> None:
        stale = _Stale(f"payment {payment.thingId} is further along than {status}")
        things.put_in(change, payment, _status_condition(status), stale)

    def _customer_of(self, group_id: str, metadata: dict[str, Any]) -> tuple[str | None, bool]:
        """The customer the purchase is of, by the email the checkout took: (id, is new); none
        for a payment no checkout of ours made."""
        if not metadata.get("email"):
            return None, False
        email = normalized_email(metadata["email"])
        guard = self.table.get(things.email_guard_key(group_id, email))
        if guard is not None:
            return str(guard["customerId"]), False
        return metadata.get("customerId") or new_id("thg"), True

    @staticmethod
    def _add_customer(
        change: Change, group_id: str, customer_id: str, metadata: dict[str, Any], at: str, connections: int
    ) -> None:
        email = normalized_email(metadata["email"])
        person = {name: metadata[name] for name in ("firstName", "lastName") if metadata.get(name)}
        source = f"purchase:{metadata.get('funnelId')}"
        customer = things.new_customer(group_id, customer_id, email, person, source, STRIPE, at)
        things.claim_email_in(change, group_id, email, customer_id, Busy(retry_after=1))
        things.add_in(change, customer, connections=connections)

    @staticmethod
    def _order_paid(change: Change, group_id: str, metadata: dict[str, Any], paid: Paid, at: str) -> None:
        order_id = metadata.get("orderId")
        if not order_id:
            return
        ref = things.thing_ref(group_id, order_id)
        names = {"#p": "properties", "#s": "status", "#paid": "paidAmount", "#u": "updatedAt", "#v": "version"}
        values: dict[str, Any] = {":paid": OrderStatus.PAID, ":at": at, ":one": 1, ":amount": paid.amount}
        keep_card = ""
        if paid.payment_method and metadata.get("kind", "product") == "product":
            # The card a hosted checkout took (the on-page one knows it already), for one-click upsells.
            names["#m"], values[":m"] = "paymentMethodId", paid.payment_method
            keep_card = ", #p.#m = if_not_exists(#p.#m, :m)"
        change.update(
            ref.key,
            f"SET #p.#s = :paid, #u = :at, #v = #v + :one{keep_card} ADD #p.#paid :amount",
            Condition("attribute_exists(PK)", names, values),
            # The checkout writes its order before it answers: Stripe is told to come back.
            Busy(retry_after=30),
        )

    @staticmethod
    def _set_order_status(
        change: Change,
        group_id: str,
        metadata: dict[str, Any],
        status: OrderStatus,
        only_from: tuple[OrderStatus, ...] | None = None,
    ) -> None:
        order_id = metadata.get("orderId")
        if not order_id:
            return
        ref = things.thing_ref(group_id, order_id)
        names = {"#p": "properties", "#s": "status", "#u": "updatedAt"}
        values: dict[str, Any] = {":status": status, ":at": now_iso()}
        expression = "attribute_exists(PK)"
        if only_from:
            values |= {f":from{n}": state for n, state in enumerate(only_from)}
            expression += f" AND #p.#s IN ({', '.join(f':from{n}' for n in range(len(only_from)))})"
        change.update(
            ref.key,
            "SET #p.#s = :status, #u = :at",
            Condition(expression, names, values),
            lambda old: _Stale("the order is further along") if old else Busy(retry_after=30),
        )


def order_of(table: Table, group_id: str, order_id: str) -> Thing | None:
    return table.read(things.thing_ref(group_id, order_id))


@once
def service() -> StripeWebhooks:
    return StripeWebhooks(table())
