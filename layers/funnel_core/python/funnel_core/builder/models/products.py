"""Products a group sells on its funnels' order, upsell and downsell steps.

A product is a ``product`` thing of the ontology (``GET /things/{id}`` finds it); these are its
own routes' shapes. Prices are integers in the currency's minor unit, as Stripe takes them: 1999
USD is $19.99, 500 JPY is ¥500.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import Field, StringConstraints, model_validator

from funnel_core.models.common import Body, Name, Record
from funnel_core.models.money import MinorAmount, StripeCurrency, amount_problem
from funnel_core.models.values import HttpsUrl, problem, raise_problems

Description = Annotated[str, StringConstraints(max_length=2000)]


class PaymentType(StrEnum):
    ONE_TIME = "one_time"
    SUBSCRIPTION = "subscription"


class Interval(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class ProductStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class ProductFields(Body):
    """What a product is, whole: the create body, and an update once applied."""

    name: Name
    price: MinorAmount
    currency: StripeCurrency
    paymentType: PaymentType = PaymentType.ONE_TIME
    interval: Interval | None = None
    compareAtPrice: MinorAmount | None = None
    imageUrl: HttpsUrl | None = None
    description: Description | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = []
        if self.paymentType is PaymentType.SUBSCRIPTION and self.interval is None:
            problems.append(problem(("interval",), "required for a subscription", None, kind="missing"))
        if self.paymentType is PaymentType.ONE_TIME and self.interval is not None:
            problems.append(problem(("interval",), "only a subscription has an interval", self.interval))
        if self.compareAtPrice is not None and self.compareAtPrice <= self.price:
            problems.append(problem(("compareAtPrice",), "must be higher than price", self.compareAtPrice))
        for name in ("price", "compareAtPrice"):
            amount = getattr(self, name)
            if amount is not None and (why := amount_problem(amount, self.currency)):
                problems.append(problem((name,), why, amount))
        raise_problems(self, problems)
        return self


class ProductCreate(ProductFields):
    pass


class ProductUpdate(Body):
    """Only what changes; ``null`` clears an optional field (``compareAtPrice``, ``imageUrl``,
    ``description``, ``interval``)."""

    version: int = Field(ge=1)
    name: Name | None = None
    price: MinorAmount | None = None
    currency: StripeCurrency | None = None
    paymentType: PaymentType | None = None
    interval: Interval | None = None
    compareAtPrice: MinorAmount | None = None
    imageUrl: HttpsUrl | None = None
    description: Description | None = None

    def applied_to(self, product: Product) -> dict[str, Any]:
        """The product's fields after this update (validated by the caller as ``ProductFields``)."""
        current = product.model_dump(include=set(ProductFields.model_fields), mode="json")
        sent = self.model_dump(include=self.model_fields_set - {"version"}, mode="json")
        return {**current, **sent}


class Product(Record):
    productId: str
    groupId: str
    name: str
    price: int
    currency: str
    paymentType: PaymentType
    interval: Interval | None = None
    compareAtPrice: int | None = None
    imageUrl: str | None = None
    description: str | None = None
    status: ProductStatus = ProductStatus.ACTIVE
    version: int = 1
    createdAt: str
    updatedAt: str
    createdBy: str
    updatedBy: str


class SoldProduct(Record):
    """A product as a published version sells it."""

    productId: str
    name: str
    price: int
    currency: str
    paymentType: PaymentType = PaymentType.ONE_TIME
    interval: Interval | None = None


class PageSale(Record):
    """What one live page sells: its own product, the others its buttons name, and the order
    bumps a visitor may tick (by element id)."""

    product: SoldProduct | None = None
    others: dict[str, SoldProduct] = {}
    bumps: dict[str, SoldProduct] = {}
    # The order is paid on Stripe's hosted Checkout page rather than on this one.
    hosted: bool = False

    def sellable(self, product_id: str | None) -> SoldProduct | None:
        """The product a checkout of this page buys: the one asked for, if the page sells it,
        else the page's own."""
        if product_id is None or (self.product and product_id == self.product.productId):
            return self.product
        return self.others.get(product_id)
