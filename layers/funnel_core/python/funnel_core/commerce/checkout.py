"""``POST /p/{g}/{f}/{s}/checkout``: an order of a live order page, paid on the page, in two calls.

1. The order: its amount is the live version's (the step's product, or the one of the page's
   buttons the visitor chose, and the order bumps they ticked, at the prices frozen at publish;
   nothing the client sends is a price). It is written with a Stripe customer and a SetupIntent
   (``usage=off_session``), whose client secret the page's script gives Stripe.js to take the
   card. The card is saved on the customer, for the one-click upsells.
2. ``pay: true``: the server charges the card the SetupIntent took, with a PaymentIntent it
   confirms itself (``confirm=true``); ``requires_action`` hands the PaymentIntent's client secret
   back for the bank's authentication on the page. Stripe's webhook records the payment.

One order per order token: the order's id follows from the token, every Stripe call carries an
idempotency key made from that id, and the order holds a claim while its card is charged, so a
retried, double-clicked or concurrent checkout charges once even where idempotency keys are not
honoured (the local emulator). Why a SetupIntent first rather than ``setup_future_usage`` on a
PaymentIntent confirmed in the browser: ``docs/commerce.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from funnel_core.builder.models.products import PaymentType, SoldProduct
from funnel_core.commerce import accounts, keys, stripe_api
from funnel_core.commerce.models import (
    CheckoutAnswer,
    CheckoutBody,
    CheckoutStatus,
    OrderLine,
    OrderStatus,
)
from funnel_core.commerce.orders import intent_metadata, next_url, order_ticket
from funnel_core.commerce.stripe_api import PaymentDeclined
from funnel_core.commerce.webhooks import order_of
from funnel_core.container import once
from funnel_core.errors import BadRequest, Conflict, DomainError, ValidationFailed
from funnel_core.ids import new_id, now_iso
from funnel_core.ontology import things
from funnel_core.ontology.models.properties import normalized_email
from funnel_core.ontology.models.things import Thing, ThingStatus
from funnel_core.pages import tokens
from funnel_core.pages.models import LivePage
from funnel_core.settings import get_settings
from funnel_core.store.default import table
from funnel_core.store.table import Table
from funnel_core.store.transaction import Condition
from funnel_core.visitors.identity import Visitor

ORDER = "order"


class NotTakingPayments(DomainError):
    """The shop has not connected a Stripe account: no visitor can fix that."""

    status, code = 409, "payments_not_connected"


class ChargeInProgress(DomainError):
    status, code = 409, "payment_in_progress"

    def __init__(self) -> None:
        super().__init__("this order's card is being charged; ask again in a moment")
        self.retry_after = 2


def _lines(page: LivePage, body: CheckoutBody) -> list[tuple[SoldProduct, str]]:
    """What is bought: (product, kind), the page's product first; 422 at what the page does not sell."""
    sale = page.sale
    product = sale.sellable(body.productId) if sale else None
    if sale is None or product is None:
        raise ValidationFailed.on("productId" if body.productId else "step", "this page sells no such product")
    lines = [(product, "product")]
    for n, element_id in enumerate(dict.fromkeys(body.bumps)):
        bump = sale.bumps.get(element_id)
        if bump is None:
            raise ValidationFailed.on(f"bumps.{n}", f"{element_id} is not an order bump of this page")
        if bump.currency != product.currency:
            raise ValidationFailed.on(f"bumps.{n}", f"the bump is in {bump.currency}, the order in {product.currency}")
        lines.append((bump, "bump"))
    return lines


@dataclass(frozen=True)
class _Ordering:
    """One checkout call, checked: the page, who orders what, as which order, on which account."""

    page: LivePage
    order_id: str
    email: str
    body: CheckoutBody
    visitor: Visitor
    lines: list[tuple[SoldProduct, str]]
    account: str


class Checkouts:
    def __init__(self, table: Table) -> None:
        self.table = table

    def checkout(self, page: LivePage, body: CheckoutBody, visitor: Visitor, origin: str) -> CheckoutAnswer:
        """The order's next move; ``origin`` is the site's (for the hosted page's way back)."""
        token = tokens.read(body.token)
        if token is None or token.step_id != page.stepId:
            raise BadRequest.on_field("_token", "the order token is missing, forged or from another page")
        if token.age_seconds() > tokens.MAX_AGE_SECONDS:
            raise ValidationFailed.on("_token", "This page has expired: reload it and order again.")
        try:
            email = normalized_email(body.email)
        except ValueError:
            raise ValidationFailed.on("email", "Enter a valid email address, like name@example.com") from None
        lines = _lines(page, body)
        account = accounts.connected_account(self.table, page.groupId)
        if account is None:
            raise NotTakingPayments("this shop is not taking payments yet")
        ordering = _Ordering(page, keys.order_id(page.groupId, token.nonce), email, body, visitor, lines, account)
        order = order_of(self.table, page.groupId, ordering.order_id)
        if page.sale is not None and page.sale.hosted:
            return self._hosted(ordering, order, origin)
        if body.pay:
            if order is None:
                raise ValidationFailed.on("pay", "there is no order to pay yet: send the checkout without pay first")
            return self._pay(page, order, account)
        setup_secret = None
        if order is None:
            order, setup_secret = self._open(ordering)
        elif order.properties["status"] == OrderStatus.PAID:
            return self._answer(page, order, account, CheckoutStatus.SUCCEEDED)
        return self._answer(page, order, account, CheckoutStatus.REQUIRES_PAYMENT_METHOD, setup_secret)

    # --- 1. the order, with a SetupIntent for the card --------------------------------------

    def _open(self, ordering: _Ordering) -> tuple[Thing, str | None]:
        """The order written, with its SetupIntent's client secret (None when a retry of this
        very checkout wrote the order first)."""
        customer_id, stripe_customer = self._stripe_customer(ordering)
        setup = self._setup_intent(ordering.order_id, stripe_customer, ordering.account, attempt=1)
        order = self._order(ordering, customer_id, stripe_customer, setupIntentId=setup.id, setupAttempt=1)
        written = self._write(order)
        # A retry of this very checkout wrote it first: the same order, its own SetupIntent.
        return written, setup.client_secret if written is order else None

    def _stripe_customer(self, ordering: _Ordering) -> tuple[str, str]:
        """(our customer id, the Stripe customer) of the order's buyer."""
        group_id, email = ordering.page.groupId, ordering.email
        guard = self.table.get(things.email_guard_key(group_id, email))
        customer_id = str(guard["customerId"]) if guard else new_id("thg")
        client = stripe_api.client()
        made = stripe_api.call(
            lambda: client.v1.customers.create(
                params={"email": email, "metadata": {"groupId": group_id, "customerId": customer_id}},
                options=stripe_api.on_account(  # type: ignore[arg-type]
                    ordering.account, f"{ordering.order_id}:customer"
                ),
            )
        )
        return customer_id, made.id

    @staticmethod
    def _order(ordering: _Ordering, customer_id: str, stripe_customer: str, **how: Any) -> Thing:
        """The order as it is opened: what is bought, by whom, and ``how`` it is paid."""
        page, body, visitor, lines = ordering.page, ordering.body, ordering.visitor, ordering.lines
        product = lines[0][0]
        at = now_iso()
        person = {name: value for name, value in (("firstName", body.firstName), ("lastName", body.lastName)) if value}
        return Thing(
            thingId=ordering.order_id,
            groupId=page.groupId,
            type=ORDER,
            name=f"Order on {page.stepSlug}",
            status=ThingStatus.ACTIVE,
            properties={
                "status": OrderStatus.PENDING,
                "funnelId": page.funnelId,
                "stepId": page.stepId,
                "version": page.version,
                "visitorId": visitor.visitor_id,
                "email": ordering.email,
                **person,
                "customerId": customer_id,
                "lines": [
                    OrderLine(productId=p.productId, name=p.name, amount=p.price, kind=kind).model_dump()
                    for p, kind in lines
                ],
                "amount": sum(p.price for p, _ in lines),
                "paidAmount": 0,
                "currency": product.currency,
                "paymentIntentIds": [],
                # One-click upsells taken, by step: each its own payment on this order.
                "upsells": {},
                "stripeCustomerId": stripe_customer,
                "stripeAccountId": ordering.account,
                **how,
            },
            createdAt=at,
            updatedAt=at,
            createdBy=visitor.visitor_id,
            updatedBy=visitor.visitor_id,
        )

    def _write(self, order: Thing) -> Thing:
        """The order written, or the one a retry of this very checkout wrote first."""
        try:
            with self.table.change(str(order.createdBy), order.groupId, check_group=False) as change:
                things.add_in(change, order)
        except Conflict:
            found = order_of(self.table, order.groupId, order.thingId)
            assert found is not None
            return found
        return order

    # --- or: Stripe's hosted Checkout page -------------------------------------------------

    def _hosted(self, ordering: _Ordering, order: Thing | None, origin: str) -> CheckoutAnswer:
        """The order and its Checkout Session: the answer sends the visitor to the session's page,
        the same one however often the order is sent. Stripe's webhook records the payment."""
        page, account = ordering.page, ordering.account
        if order is not None:
            paid = order.properties["status"] == OrderStatus.PAID
            return self._answer(page, order, account, CheckoutStatus.SUCCEEDED if paid else CheckoutStatus.REDIRECT)
        customer_id, stripe_customer = self._stripe_customer(ordering)
        opened = self._order(ordering, customer_id, stripe_customer, hosted=True)
        session = self._session(page, opened, ordering.lines, account, origin)
        order = self._write(
            opened.model_copy(
                update={
                    "properties": {
                        **opened.properties,
                        "checkoutSessionId": session.id,
                        "checkoutUrl": session.url,
                    }
                }
            )
        )
        return self._answer(page, order, account, CheckoutStatus.REDIRECT)

    @staticmethod
    def _session(page: LivePage, order: Thing, lines: list[tuple[SoldProduct, str]], account: str, origin: str) -> Any:
        recurring = any(product.paymentType == PaymentType.SUBSCRIPTION for product, _ in lines)
        metadata = intent_metadata(
            order, page.funnelId, page.stepId, page.version, "subscription" if recurring else "product"
        )
        line_items = [
            {
                "quantity": 1,
                "price_data": {
                    "currency": product.currency.lower(),
                    "unit_amount": product.price,
                    "product_data": {"name": product.name, "metadata": {"productId": product.productId}},
                    **(
                        {"recurring": {"interval": product.interval}}
                        if product.paymentType == PaymentType.SUBSCRIPTION
                        else {}
                    ),
                },
            }
            for product, _ in lines
        ]
        ticket = order_ticket(order.groupId, order.thingId)
        own = next_url(page.path)
        onward = next_url(page.form.nextPath if page.form else None, ticket) or own
        params: dict[str, Any] = {
            "mode": "subscription" if recurring else "payment",
            "customer": order.properties["stripeCustomerId"],
            "client_reference_id": order.thingId,
            "line_items": line_items,
            "success_url": f"{origin}{onward}",
            "cancel_url": f"{origin}{own}",
            "metadata": metadata,
        }
        if recurring:
            params["subscription_data"] = {"metadata": metadata}
        else:
            # The card kept for the one-click upsells, as on the page.
            params["payment_intent_data"] = {"metadata": metadata, "setup_future_usage": "off_session"}
        client = stripe_api.client()
        return stripe_api.call(
            lambda: client.v1.checkout.sessions.create(
                params=params,  # type: ignore[arg-type]
                options=stripe_api.on_account(account, f"{order.thingId}:session"),  # type: ignore[arg-type]
            )
        )

    @staticmethod
    def _setup_intent(order_id: str, stripe_customer: str, account: str, attempt: int) -> Any:
        client = stripe_api.client()
        return stripe_api.call(
            lambda: client.v1.setup_intents.create(
                params={"customer": stripe_customer, "usage": "off_session", "metadata": {"orderId": order_id}},
                options=stripe_api.on_account(account, f"{order_id}:setup:{attempt}"),  # type: ignore[arg-type]
            )
        )

    # --- 2. the charge ---------------------------------------------------------------------

    def _pay(self, page: LivePage, order: Thing, account: str) -> CheckoutAnswer:
        properties = order.properties
        if properties["status"] == OrderStatus.PAID:
            return self._answer(page, order, account, CheckoutStatus.SUCCEEDED)
        if properties["paymentIntentIds"]:
            return self._intent_answer(page, order, account, properties["paymentIntentIds"][0])
        self._claim(order)
        try:
            intent = self._charge(order, account)
        except PaymentDeclined:
            self._release(order, retry_setup=True, account=account)
            raise
        except DomainError:
            self._release(order, retry_setup=False, account=account)
            raise
        self._charged(order, intent)
        return self._intent_answer(page, order, account, intent)

    def _charge(self, order: Thing, account: str) -> Any:
        properties = order.properties
        client = stripe_api.client()
        setup = stripe_api.setup_intent(account, properties["setupIntentId"])
        payment_method = stripe_api.id_of(setup.payment_method)
        if setup.status != "succeeded" or payment_method is None:
            raise ValidationFailed.on("pay", "the card is not set up yet: confirm it with Stripe.js first")
        metadata = intent_metadata(
            order, properties["funnelId"], properties["stepId"], properties["version"], "product"
        )
        return stripe_api.call(
            lambda: client.v1.payment_intents.create(
                params={
                    "amount": properties["amount"],
                    "currency": str(properties["currency"]).lower(),
                    "customer": properties["stripeCustomerId"],
                    "payment_method": payment_method,
                    "confirm": True,
                    "metadata": metadata,
                },
                options=stripe_api.on_account(account, f"{order.thingId}:intent"),  # type: ignore[arg-type]
            )
        )

    def _claim(self, order: Thing) -> None:
        """The order's card is charged by this request alone."""
        ref = things.thing_ref(order.groupId, order.thingId)
        claimed = self.table.update_if(
            ref.key,
            "SET #p.#c = :at",
            Condition(
                "attribute_exists(PK) AND attribute_not_exists(#p.#c) AND size(#p.#i) = :none",
                {"#p": "properties", "#c": "charging", "#i": "paymentIntentIds"},
                {":at": now_iso(), ":none": 0},
            ),
        )
        if not claimed:
            raise ChargeInProgress

    def _release(self, order: Thing, *, retry_setup: bool, account: str) -> None:
        """The charge did not happen: the order may be paid again (with a new SetupIntent for
        another card after a decline)."""
        ref = things.thing_ref(order.groupId, order.thingId)
        names = {"#p": "properties", "#c": "charging"}
        values: dict[str, Any] = {}
        expression = "REMOVE #p.#c"
        if retry_setup:
            attempt = int(order.properties.get("setupAttempt", 1)) + 1
            setup = self._setup_intent(order.thingId, order.properties["stripeCustomerId"], account, attempt)
            names |= {"#s": "setupIntentId", "#a": "setupAttempt"}
            values |= {":s": setup.id, ":a": attempt}
            expression = "SET #p.#s = :s, #p.#a = :a REMOVE #p.#c"
        self.table.update_if(ref.key, expression, Condition("attribute_exists(PK)", names, values))

    def _charged(self, order: Thing, intent: Any) -> None:
        ref = things.thing_ref(order.groupId, order.thingId)
        payment_method = stripe_api.id_of(intent.payment_method)
        self.table.update_if(
            ref.key,
            "SET #p.#i = list_append(#p.#i, :intent), #p.#m = :method REMOVE #p.#c",
            Condition(
                "attribute_exists(PK)",
                {"#p": "properties", "#i": "paymentIntentIds", "#m": "paymentMethodId", "#c": "charging"},
                {":intent": [intent.id], ":method": payment_method},
            ),
        )

    # --- answers ---------------------------------------------------------------------------

    def _intent_answer(self, page: LivePage, order: Thing, account: str, intent: Any) -> CheckoutAnswer:
        if isinstance(intent, str):
            intent = stripe_api.payment_intent(account, intent)
        if intent.status == "succeeded":
            return self._answer(page, order, account, CheckoutStatus.SUCCEEDED)
        if intent.status == "requires_action":
            answer = self._answer(page, order, account, CheckoutStatus.REQUIRES_ACTION)
            return answer.model_copy(update={"clientSecret": intent.client_secret})
        error = intent.last_payment_error or {}
        raise PaymentDeclined(error.get("message") or "The card was declined.", error.get("code"))

    def _answer(
        self, page: LivePage, order: Thing, account: str, status: CheckoutStatus, setup_secret: str | None = None
    ) -> CheckoutAnswer:
        """The answer for the order in ``status``; a card still to set up needs the SetupIntent's
        secret, read from Stripe unless the caller just made it."""
        properties = order.properties
        if status is CheckoutStatus.REQUIRES_PAYMENT_METHOD and setup_secret is None:
            setup_secret = stripe_api.setup_intent(account, properties["setupIntentId"]).client_secret
        return CheckoutAnswer(
            orderId=order.thingId,
            status=status,
            amount=properties["amount"],
            currency=properties["currency"],
            lines=[OrderLine.model_validate(line) for line in properties["lines"]],
            publishableKey=get_settings().stripe_publishable_key or "",
            stripeAccount=account,
            setupClientSecret=setup_secret,
            checkoutUrl=properties.get("checkoutUrl") if status is CheckoutStatus.REDIRECT else None,
            next=next_url(
                page.form.nextPath if page.form else None,
                order_ticket(order.groupId, order.thingId) if status is CheckoutStatus.SUCCEEDED else None,
            ),
        )


@once
def service() -> Checkouts:
    return Checkouts(table())
