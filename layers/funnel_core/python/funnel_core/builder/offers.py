"""What a funnel's pages sell, frozen when it is published.

A sales step names its product (``properties.productId``); on its page a buy button, a product
card or a pricing column may name another one, and an order bump the product it adds. At publish
each of those must be an active product of the group, and the version keeps what each was then
(name, price, currency, billing): a price changed afterwards in the draft or on the product
reaches the page only with the next publish. Checkout charges from this, never from the client.
"""

from __future__ import annotations

from collections.abc import Iterator

from funnel_core.builder.models.aggregate import FunnelView, StepView
from funnel_core.builder.models.elements.base import ElementType
from funnel_core.builder.models.products import PageSale, PaymentType, SoldProduct
from funnel_core.builder.models.steps import ORDER_STEP_TYPES, UPSELL_STEP_TYPES, CheckoutMode
from funnel_core.errors import FieldProblem
from funnel_core.ontology import things
from funnel_core.ontology.models.things import Thing, ThingStatus
from funnel_core.store.items import to_model
from funnel_core.store.table import Table

_BUYABLE = {ElementType.BUY_BUTTON, ElementType.PRODUCT_CARD}


def product_references(view: FunnelView) -> Iterator[tuple[str, str]]:
    """Every (product id, where it is named) of the funnel's steps, as a client would name it."""
    for step in view.steps:
        yield from _step_references(step)


def _step_references(step: StepView) -> Iterator[tuple[str, str]]:
    where = f"steps.{step.sequence}"
    if isinstance(step.properties.get("productId"), str):
        yield step.properties["productId"], f"{where}.properties.productId"
    for element in step.elements:
        at = f"{where}.elements.{element.position}.settings"
        if element.elementType == ElementType.PRICING_TABLE:
            for n, column in enumerate(element.settings.get("columns") or [], start=1):
                if isinstance(column.get("productId"), str):
                    yield column["productId"], f"{at}.columns.{n}.productId"
        elif isinstance(element.settings.get("productId"), str):
            yield element.settings["productId"], f"{at}.productId"


def sold_products(table: Table, group_id: str, view: FunnelView) -> tuple[dict[str, SoldProduct], list[FieldProblem]]:
    """The products the funnel names, as they are now (one BatchGetItem), and a problem at
    each reference to one that is not an active product of the group."""
    references = list(product_references(view))
    if not references:
        return {}, []
    wanted = {product_id: things.thing_ref(group_id, product_id) for product_id, _ in references}
    found = table.batch_get([ref.key for ref in wanted.values()])
    products: dict[str, SoldProduct] = {}
    for product_id, ref in wanted.items():
        record = found.get((ref.pk, ref.sk))
        thing = to_model(Thing, record) if record else None
        if thing is not None and thing.type == "product" and thing.status is ThingStatus.ACTIVE:
            products[product_id] = SoldProduct(productId=product_id, name=thing.name, **thing.properties)
    problems = [
        FieldProblem(where, f"product {product_id} is not an active product of this group")
        for product_id, where in references
        if product_id not in products
    ]
    return products, problems + _bump_currency_problems(view, products) + _billing_problems(view, products)


def _bump_currency_problems(view: FunnelView, products: dict[str, SoldProduct]) -> list[FieldProblem]:
    """An order bump joins its step's order, so it is charged in the step product's currency."""
    problems = []
    for step in view.steps:
        own = products.get(step.properties.get("productId") or "")
        for element in step.elements:
            bump = products.get(element.settings.get("productId") or "")
            if (
                own
                and bump
                and element.elementType == ElementType.ORDER_BUMP_CHECKBOX
                and bump.currency != own.currency
            ):
                where = f"steps.{step.sequence}.elements.{element.position}.settings.productId"
                problems.append(
                    FieldProblem(where, f"the bump is in {bump.currency}, the step sells in {own.currency}")
                )
    return problems


def _billing_problems(view: FunnelView, products: dict[str, SoldProduct]) -> list[FieldProblem]:
    """A subscription is sold on Stripe's hosted Checkout, which sets its billing up: not by the
    page's own card form, nor by a one-click upsell (each charges once)."""
    problems = []
    for step in view.steps:
        on_page = step.stepType in ORDER_STEP_TYPES and step.properties.get("checkout") != CheckoutMode.HOSTED
        if not on_page and step.stepType not in UPSELL_STEP_TYPES:
            continue
        how = "its checkout set to hosted" if on_page else "an order step with its checkout set to hosted"
        for product_id, where in _step_references(step):
            product = products.get(product_id)
            if product is not None and product.paymentType == PaymentType.SUBSCRIPTION:
                problems.append(FieldProblem(where, f"{product.name} is a subscription: it sells on {how}"))
    return problems


def page_sale(step: StepView, products: dict[str, SoldProduct]) -> PageSale | None:
    """What the step's page sells, from the version's frozen products; None when nothing."""
    own = products.get(step.properties.get("productId") or "")
    others: dict[str, SoldProduct] = {}
    bumps: dict[str, SoldProduct] = {}
    for element in step.elements:
        product = products.get(element.settings.get("productId") or "")
        if element.elementType == ElementType.ORDER_BUMP_CHECKBOX and product:
            bumps[element.elementId] = product
        elif element.elementType in _BUYABLE and product:
            others[product.productId] = product
        elif element.elementType == ElementType.PRICING_TABLE:
            for column in element.settings.get("columns") or []:
                if listed := products.get(column.get("productId") or ""):
                    others[listed.productId] = listed
    if own is None and not others and not bumps:
        return None
    hosted = step.properties.get("checkout") == CheckoutMode.HOSTED
    return PageSale(product=own, others=others, bumps=bumps, hosted=hosted)
