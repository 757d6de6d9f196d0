"""Commerce elements: pricing table, buy button, product card, cart summary, order bump, coupon."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import (
    BaseModel,
    Field,
    model_validator,
)

from funnel_core.builder.models.elements.base import ElementModel, ElementType
from funnel_core.models.common import Id
from funnel_core.models.values import (
    ButtonText,
    Currency,
    HttpsUrl,
    Label,
    Price,
    problem,
    raise_problems,
)

# --- Commerce --------------------------------------------------------------------------------


class BillingPeriod(StrEnum):
    ONE_TIME = "one_time"
    MONTH = "month"
    YEAR = "year"


class PricingFeature(ElementModel):
    text: str = Field(min_length=1, max_length=200)
    included: bool = True


class PricingColumn(ElementModel):
    name: str = Field(min_length=1, max_length=100)
    price: Price
    currency: Currency
    billingPeriod: BillingPeriod = BillingPeriod.ONE_TIME
    features: list[PricingFeature] = Field(default_factory=list, max_length=30)
    buttonText: ButtonText = "Get started"
    highlighted: bool = False
    productId: Id | None = None


class PricingTableSettings(ElementModel):
    columns: list[PricingColumn] = Field(min_length=1, max_length=6)


class BuyButtonSettings(ElementModel):
    text: ButtonText
    # Without one, the button buys the product of the step it is on.
    productId: Id | None = None
    quantity: int = Field(default=1, ge=1, le=100)
    subtext: str | None = Field(default=None, max_length=200)


class ProductCardSettings(ElementModel):
    name: Label
    description: str | None = Field(default=None, max_length=2000)
    imageUrl: HttpsUrl | None = None
    price: Price
    compareAtPrice: Price | None = None
    currency: Currency
    buttonText: ButtonText = "Buy now"
    productId: Id | None = None

    @model_validator(mode="after")
    def _compare_at_price_is_higher(self) -> Self:
        if self.compareAtPrice is not None and self.compareAtPrice <= self.price:
            raise_problems(self, [problem(("compareAtPrice",), "must be higher than price", self.compareAtPrice)])
        return self


class CartSummarySettings(ElementModel):
    title: str = Field(default="Order summary", min_length=1, max_length=100)
    showTax: bool = True
    showShipping: bool = True
    showDiscounts: bool = True


class OrderBumpCheckboxSettings(ElementModel):
    headline: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=1000)
    price: Price
    currency: Currency
    productId: Id | None = None
    checkedByDefault: bool = False


class CouponCodeInputSettings(ElementModel):
    placeholder: str = Field(default="Coupon code", min_length=1, max_length=100)
    buttonText: ButtonText = "Apply"
    successMessage: str | None = Field(default=None, max_length=200)
    errorMessage: str | None = Field(default=None, max_length=200)


SETTINGS: dict[ElementType, type[BaseModel]] = {
    ElementType.PRICING_TABLE: PricingTableSettings,
    ElementType.BUY_BUTTON: BuyButtonSettings,
    ElementType.PRODUCT_CARD: ProductCardSettings,
    ElementType.CART_SUMMARY: CartSummarySettings,
    ElementType.ORDER_BUMP_CHECKBOX: OrderBumpCheckboxSettings,
    ElementType.COUPON_CODE_INPUT: CouponCodeInputSettings,
}
