"""The commerce routes' shapes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from funnel_core.models.common import Body, Record

# A Stripe Connect account id, as Stripe makes them.
AccountId = Annotated[str, StringConstraints(pattern=r"^acct_[A-Za-z0-9]{4,64}$")]


class StripeAccountPut(Body):
    accountId: AccountId


class StripeAccount(Record):
    groupId: str
    accountId: str
    version: int
    createdAt: str
    updatedAt: str
    updatedBy: str


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class PaymentStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class CheckoutBody(Body):
    """A checkout of an order page, as its script posts it (JSON) or, on a hosted checkout, as the
    browser posts the form (urlencoded)."""

    token: str = Field(alias="_token", min_length=1, max_length=512)
    email: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    firstName: Annotated[str, StringConstraints(max_length=200)] | None = None
    lastName: Annotated[str, StringConstraints(max_length=200)] | None = None
    # The order bumps ticked, by their element id.
    bumps: list[Annotated[str, StringConstraints(max_length=128)]] = Field(default_factory=list, max_length=10)
    # A product of the page other than its own (a buy button's); the page's own without one.
    productId: Annotated[str, StringConstraints(max_length=128)] | None = None
    # The second call, once Stripe.js has set the card up: charge it.
    pay: bool = False

    @model_validator(mode="before")
    @classmethod
    def _one_value_each(cls, data: Any) -> Any:
        """A form post reaches the model as lists of values (Powertools' ``parse_qs``): a field
        of one value takes its one value; two values of it are still refused."""
        if not isinstance(data, dict):
            return data
        return {
            name: values[0] if isinstance(values, list) and len(values) == 1 and name != "bumps" else values
            for name, values in data.items()
        }


class OrderLine(Record):
    productId: str
    name: str
    amount: int
    kind: str  # "product", "bump" or "upsell"


class CheckoutStatus(StrEnum):
    # Set the card up with Stripe.js (``setupClientSecret``), then call again with ``pay: true``.
    REQUIRES_PAYMENT_METHOD = "requires_payment_method"
    # The bank asks the visitor to authenticate: ``clientSecret`` goes to confirmCardPayment.
    REQUIRES_ACTION = "requires_action"
    SUCCEEDED = "succeeded"
    # A hosted checkout: the visitor pays on Stripe's page at ``checkoutUrl``.
    REDIRECT = "redirect"


class CheckoutAnswer(Record):
    orderId: str
    status: CheckoutStatus
    amount: int
    currency: str
    lines: list[OrderLine]
    publishableKey: str
    stripeAccount: str
    # What the page's script gives Stripe.js: the SetupIntent's secret to set the card up, then
    # (only if the bank asks for it) the PaymentIntent's to authenticate.
    setupClientSecret: str | None = None
    clientSecret: str | None = None
    checkoutUrl: str | None = None
    next: str | None = None
