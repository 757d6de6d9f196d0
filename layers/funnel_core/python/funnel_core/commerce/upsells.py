"""``POST /p/{g}/{f}/{s}/upsell``: the one-click "yes" or "no thanks" of an upsell or downsell page.

"Yes" charges the card the order's checkout saved, off-session (a PaymentIntent with
``off_session=true, confirm=true``), at the upsell's published price: its own payment on the same
order, recorded by Stripe's webhook like the first. When the bank wants the visitor to
authenticate, the answer hands the PaymentIntent back for Stripe.js on the page (on-session);
the same "yes" sent again afterwards finds it paid. "No thanks" charges nothing and goes to the
next step (the downsell, when one follows); "yes" goes past the downsells.

Each upsell step charges an order once: the order holds a claim per step while the card is
charged, so a double click, a replay or a retry never charges twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from funnel_core.builder.models.products import SoldProduct
from funnel_core.commerce import stripe_api
from funnel_core.commerce.orders import intent_metadata, next_url, order_ticket, ticket_order
from funnel_core.commerce.stripe_api import PaymentDeclined
from funnel_core.commerce.webhooks import order_of
from funnel_core.container import once
from funnel_core.errors import BadRequest, Conflict, DomainError, ValidationFailed
from funnel_core.ids import now_iso
from funnel_core.ontology import things
from funnel_core.ontology.models.things import Thing
from funnel_core.pages.models import LivePage
from funnel_core.settings import get_settings
from funnel_core.store.default import table
from funnel_core.store.table import Table
from funnel_core.store.transaction import Condition

UPSELL_STEPS = frozenset({"upsell_page", "downsell_page"})
_CLAIMED = "charging"


class UpsellInProgress(DomainError):
    status, code = 409, "payment_in_progress"

    def __init__(self) -> None:
        super().__init__("this upsell is being charged; ask again in a moment")
        self.retry_after = 2


@dataclass(frozen=True)
class UpsellAnswer:
    status: str  # "succeeded", "declined" (no thanks), "requires_action"
    next: str | None
    client_secret: str | None = None
    payment_method: str | None = None
    publishable_key: str | None = None
    stripe_account: str | None = None


class Upsells:
    def __init__(self, table: Table) -> None:
        self.table = table

    def answer(self, page: LivePage, accept: bool, ticket: str | None) -> UpsellAnswer:
        product = page.sale.product if page.sale else None
        if page.stepType not in UPSELL_STEPS or product is None:
            raise ValidationFailed.on("step", "this page offers no upsell")
        order_id = ticket_order(ticket, page.groupId)
        if order_id is None:
            raise BadRequest.on_field("order", "the order ticket is missing, forged, expired or of another shop")
        order = order_of(self.table, page.groupId, order_id)
        if order is None:
            raise BadRequest.on_field("order", "no such order")
        fresh = order_ticket(page.groupId, order_id)
        form = page.form
        if not accept:
            return UpsellAnswer("declined", next_url(form.declinePath if form else None, fresh))
        accepted = next_url(form.acceptPath if form else None, fresh)
        taken = (order.properties.get("upsells") or {}).get(page.stepId)
        if isinstance(taken, dict):
            return self._known(order, taken["paymentIntentId"], accepted)
        if taken == _CLAIMED:
            raise UpsellInProgress
        payment_method = order.properties.get("paymentMethodId") or self._hosted_card(order)
        if not payment_method or order.properties.get("status") not in ("paid", "pending"):
            raise Conflict(f"order {order_id} has no card to charge in one click")
        self._claim(order, page.stepId)
        try:
            intent = self._charge(page, product, order, payment_method)
        except PaymentDeclined as declined:
            if declined.decline_code == "authentication_required" and declined.payment_intent:
                # The bank wants the visitor: the PaymentIntent waits for them on the page.
                self._record(order, page.stepId, product, declined.payment_intent)
                return self._known(order, declined.payment_intent, accepted)
            self._release(order, page.stepId)
            raise
        except DomainError:
            self._release(order, page.stepId)
            raise
        self._record(order, page.stepId, product, intent.id)
        return self._answered(order, intent, accepted)

    def _hosted_card(self, order: Thing) -> str | None:
        """The card a hosted checkout took, when the visitor is back before Stripe's webhook told
        the order: read from the Checkout Session's PaymentIntent, and kept on the order."""
        session_id = order.properties.get("checkoutSessionId")
        if not session_id:
            return None
        client = stripe_api.client()
        session = stripe_api.call(
            lambda: client.v1.checkout.sessions.retrieve(
                session_id,
                params={"expand": ["payment_intent"]},
                options={"stripe_account": order.properties["stripeAccountId"]},
            )
        )
        intent = session.payment_intent
        method = stripe_api.id_of(getattr(intent, "payment_method", None)) if intent else None
        if session.payment_status != "paid" or method is None:
            return None
        self.table.update_if(
            things.thing_ref(order.groupId, order.thingId).key,
            "SET #p.#m = if_not_exists(#p.#m, :m)",
            Condition("attribute_exists(PK)", {"#p": "properties", "#m": "paymentMethodId"}, {":m": method}),
        )
        return method

    def _charge(self, page: LivePage, product: SoldProduct, order: Thing, payment_method: str) -> Any:
        properties = order.properties
        if product.currency != properties["currency"]:
            raise ValidationFailed.on(
                "step", f"the upsell is in {product.currency}, the order in {properties['currency']}"
            )
        metadata = intent_metadata(
            order, page.funnelId, page.stepId, page.version, "upsell", productId=product.productId
        )
        client = stripe_api.client()
        return stripe_api.call(
            lambda: client.v1.payment_intents.create(
                params={
                    "amount": product.price,
                    "currency": product.currency.lower(),
                    "customer": properties["stripeCustomerId"],
                    "payment_method": payment_method,
                    "off_session": True,
                    "confirm": True,
                    "metadata": metadata,
                },
                options=stripe_api.on_account(  # type: ignore[arg-type]
                    properties["stripeAccountId"], f"{order.thingId}:upsell:{page.stepId}"
                ),
            )
        )

    def _known(self, order: Thing, intent_id: str, accepted: str | None) -> UpsellAnswer:
        intent = stripe_api.payment_intent(order.properties["stripeAccountId"], intent_id)
        return self._answered(order, intent, accepted)

    @staticmethod
    def _answered(order: Thing, intent: Any, accepted: str | None) -> UpsellAnswer:
        if intent.status in ("succeeded", "processing"):
            return UpsellAnswer("succeeded", accepted)
        if intent.status in ("requires_action", "requires_payment_method", "requires_confirmation"):
            return UpsellAnswer(
                "requires_action",
                accepted,
                client_secret=intent.client_secret,
                payment_method=order.properties.get("paymentMethodId"),
                publishable_key=get_settings().stripe_publishable_key,
                stripe_account=order.properties["stripeAccountId"],
            )
        raise PaymentDeclined("The payment was not taken.")

    def _claim(self, order: Thing, step_id: str) -> None:
        ref = things.thing_ref(order.groupId, order.thingId)
        claimed = self.table.update_if(
            ref.key,
            "SET #p.#u.#s = :claimed",
            Condition(
                "attribute_exists(#p.#u) AND attribute_not_exists(#p.#u.#s)",
                {"#p": "properties", "#u": "upsells", "#s": step_id},
                {":claimed": _CLAIMED},
            ),
        )
        if not claimed:
            raise UpsellInProgress

    def _release(self, order: Thing, step_id: str) -> None:
        ref = things.thing_ref(order.groupId, order.thingId)
        self.table.update_if(
            ref.key,
            "REMOVE #p.#u.#s",
            Condition(
                "#p.#u.#s = :claimed", {"#p": "properties", "#u": "upsells", "#s": step_id}, {":claimed": _CLAIMED}
            ),
        )

    def _record(self, order: Thing, step_id: str, product: SoldProduct, intent_id: str) -> None:
        """The upsell on the order: its line, its PaymentIntent, the order's total."""
        ref = things.thing_ref(order.groupId, order.thingId)
        line = {"productId": product.productId, "name": product.name, "amount": product.price, "kind": "upsell"}
        self.table.update_if(
            ref.key,
            "SET #p.#u.#s = :taken, #p.#l = list_append(#p.#l, :line), #p.#a = #p.#a + :amount,"
            " #p.#i = list_append(#p.#i, :intent), #t = :at",
            Condition(
                "#p.#u.#s = :claimed",
                {
                    "#p": "properties",
                    "#u": "upsells",
                    "#s": step_id,
                    "#l": "lines",
                    "#a": "amount",
                    "#i": "paymentIntentIds",
                    "#t": "updatedAt",
                },
                {
                    ":taken": {"paymentIntentId": intent_id, "amount": product.price, "productId": product.productId},
                    ":line": [line],
                    ":amount": product.price,
                    ":intent": [intent_id],
                    ":claimed": _CLAIMED,
                    ":at": now_iso(),
                },
            ),
        )


@once
def service() -> Upsells:
    return Upsells(table())
