"""What Stripe's objects say was paid: a PaymentIntent, a hosted checkout's Checkout Session, a
subscription's invoice, each read into one ``Paid`` the webhooks record a payment from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from funnel_core.commerce.stripe_api import id_of


@dataclass(frozen=True)
class Paid:
    """``source`` is the id the payment is keyed by, ``ids`` the provider ids it keeps."""

    source: str
    amount: int
    currency: str
    customer: str | None
    ids: dict[str, str | None]
    payment_method: str | None = None

    @classmethod
    def of_intent(cls, intent: dict[str, Any]) -> Paid:
        return cls(
            source=intent["id"],
            amount=int(intent["amount"]),
            currency=str(intent["currency"]),
            customer=id_of(intent.get("customer")),
            ids={"paymentIntentId": intent["id"], "chargeId": id_of(intent.get("latest_charge"))},
            payment_method=id_of(intent.get("payment_method")),
        )

    @classmethod
    def of_session(cls, session: dict[str, Any], intent_id: str) -> Paid:
        """A paid session in payment mode: keyed by its PaymentIntent, as that one's own event is."""
        return cls(
            source=intent_id,
            amount=int(session["amount_total"]),
            currency=str(session["currency"]),
            customer=id_of(session.get("customer")),
            ids={"paymentIntentId": intent_id, "chargeId": None, "checkoutSessionId": session["id"]},
        )

    @classmethod
    def of_invoice(cls, invoice: dict[str, Any]) -> Paid:
        """A subscription's paid invoice: keyed by the invoice, one payment each."""
        return cls(
            source=invoice["id"],
            amount=int(invoice["amount_paid"]),
            currency=str(invoice["currency"]),
            customer=id_of(invoice.get("customer")),
            ids={
                "invoiceId": invoice["id"],
                "subscriptionId": subscription_of(invoice),
                "paymentIntentId": id_of(invoice.get("payment_intent")),
                "chargeId": id_of(invoice.get("charge")),
            },
        )


def invoice_metadata(invoice: dict[str, Any]) -> dict[str, Any]:
    """What a subscription's invoice says of its checkout: the subscription's metadata, where the
    API version puts it (``parent``, ``subscription_details``) or on its lines (which carry it for
    subscription lines, and are where the local emulator keeps it)."""
    parent = ((invoice.get("parent") or {}).get("subscription_details") or {}).get("metadata")
    legacy = (invoice.get("subscription_details") or {}).get("metadata")
    lines = [line.get("metadata") for line in (invoice.get("lines") or {}).get("data") or []]
    return next((found for found in (parent, legacy, *lines) if found and found.get("groupId")), {})


def subscription_of(invoice: dict[str, Any]) -> str | None:
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    return id_of(invoice.get("subscription") or parent.get("subscription"))
