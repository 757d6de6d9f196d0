"""Stripe's hosted Checkout, tested where the emulator stops: localstripe has no Checkout Sessions,
so the requests the official library sends for one are recorded and answered as Stripe documents,
while everything else (the customer) goes to the emulator. The rest of the checkout is real: the
sample world's order page in DynamoDB Local, the handler invoked as Lambda would."""

from __future__ import annotations

import copy
import json
import time
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlencode, urlsplit

import pytest
import stripe

from funnel_core.commerce import checkout, stripe_api, upsells
from funnel_core.commerce.models import CheckoutBody, CheckoutStatus
from funnel_core.commerce.orders import order_ticket
from funnel_core.pages import keys, serving, tokens
from funnel_core.store.default import table
from funnel_core.visitors.identity import Visitor
from local.lambda_events import invoke, sample
from local.samples.world import GROUP, SAMPLE_ORDER, SHOP_PAGE, STRIPE_ACCOUNT, seed_sample_world
from local.stripe_emulator import SECRET_KEY

ORIGIN = "https://shop.example.com"
SESSIONS = "/v1/checkout/sessions"


class StripeCheckout(stripe.RequestsClient):
    """The emulator for what it emulates; Stripe's documented answer to a Checkout Session made."""

    def __init__(self) -> None:
        super().__init__(timeout=5)
        self.sessions: list[tuple[dict[str, str], dict[str, list[str]]]] = []
        # What a session read back says once paid (GET /v1/checkout/sessions/<id>), by id.
        self.paid: dict[str, dict[str, Any]] = {}
        self.reads: list[str] = []

    def request(self, method: str, url: str, headers: Any, post_data: Any = None) -> tuple[bytes, int, Any]:
        path = urlsplit(url).path
        if method == "get" and path.startswith(f"{SESSIONS}/"):
            session_id = path.rsplit("/", 1)[1]
            self.reads.append(url)
            return json.dumps(self.paid[session_id]).encode(), 200, {"Request-Id": f"req_read_{session_id}"}
        if method == "post" and url.endswith(SESSIONS):
            params = parse_qs(post_data.decode() if isinstance(post_data, bytes) else post_data or "")
            self.sessions.append((dict(headers or {}), params))
            session_id = f"cs_test_{len(self.sessions):04d}"
            session = {
                "id": session_id,
                "object": "checkout.session",
                "mode": params["mode"][0],
                "status": "open",
                "payment_status": "unpaid",
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
                "client_reference_id": params["client_reference_id"][0],
            }
            return json.dumps(session).encode(), 200, {"Request-Id": f"req_{session_id}"}
        return super().request(method, url, headers, post_data)


@pytest.fixture
def hosted(integration, monkeypatch: pytest.MonkeyPatch) -> StripeCheckout:
    """The sample shop's order page, published to check out on Stripe's page, and a Stripe client
    that records the sessions it asks for."""
    integration.recreate_table()
    seed_sample_world(table())
    key = keys.page_key(keys.page_path("sample-co", "shop", "order"))
    page = table().get(key)
    assert page is not None
    assert page["sale"]
    table().batch_write(puts=[{**page, "sale": {**page["sale"], "hosted": True}}])
    recorder = StripeCheckout()
    client = stripe.StripeClient(
        SECRET_KEY, base_addresses={"api": integration.stripe.endpoint_url}, http_client=recorder
    )
    monkeypatch.setattr(stripe_api, "client", lambda: client)
    return recorder


def _token() -> str:
    return tokens.issue(SHOP_PAGE.stepId, int((time.time() - 10) * 1000))


def _orders() -> list[dict[str, Any]]:
    from funnel_core.ontology import things
    from funnel_core.store.paging import PageRequest

    page = things.page_of_type(table(), GROUP, "order", None, PageRequest(limit=10, cursor=None, binding="t"))
    return [order.properties for order in page.items if order.thingId != SAMPLE_ORDER]


def test_a_hosted_checkout_asks_stripe_for_one_session_priced_from_the_published_page(hosted):
    page = serving.service().find("sample-co", "shop", "order")
    assert page is not None
    assert page.sale is not None
    assert page.sale.hosted
    body = CheckoutBody.model_validate({"_token": _token(), "email": " Jo@Example.com ", "firstName": "Jo"})
    visitor = Visitor(visitor_id="vis_hosted", persistent=True, new=False)

    answer = checkout.Checkouts(table()).checkout(page, body, visitor, ORIGIN)
    again = checkout.Checkouts(table()).checkout(page, body, visitor, ORIGIN)

    # One session, however often the order is sent: the same page to pay on.
    assert answer.status is CheckoutStatus.REDIRECT
    assert answer.checkoutUrl == "https://checkout.stripe.com/c/pay/cs_test_0001"
    assert (again.status, again.checkoutUrl, again.orderId) == (answer.status, answer.checkoutUrl, answer.orderId)
    assert answer.clientSecret is None
    assert answer.setupClientSecret is None
    [(headers, params)] = hosted.sessions
    # On the shop's connected account, idempotent on the order.
    assert headers["Stripe-Account"] == STRIPE_ACCOUNT
    assert headers["Idempotency-Key"] == f"{answer.orderId}:session"
    flat = {name: values[0] for name, values in params.items()}
    assert flat["mode"] == "payment"
    assert flat["client_reference_id"] == answer.orderId
    assert flat["customer"].startswith("cus_")
    # The price frozen at publish, never one the client sent.
    assert flat["line_items[0][price_data][unit_amount]"] == "4900"
    assert flat["line_items[0][price_data][currency]"] == "usd"
    assert flat["line_items[0][price_data][product_data][name]"] == "Launch course"
    assert flat["line_items[0][quantity]"] == "1"
    assert "line_items[1][quantity]" not in flat
    # Back to the funnel on the visitor's own site: on to the next step with the order's
    # ticket once paid, the order page again if they turn back.
    assert flat["success_url"].startswith(f"{ORIGIN}/p/sample-co/shop/")
    assert "#o=" in flat["success_url"]
    assert flat["cancel_url"] == f"{ORIGIN}/p/sample-co/shop/order"
    # The card kept for the one-click upsells; the webhook finds the order by the metadata.
    assert flat["payment_intent_data[setup_future_usage]"] == "off_session"
    assert flat["metadata[orderId]"] == flat["payment_intent_data[metadata][orderId]"] == answer.orderId
    assert flat["metadata[groupId]"] == GROUP

    [order] = _orders()
    assert order["checkoutSessionId"] == "cs_test_0001"
    assert order["status"] == "pending"
    assert order["hosted"] is True
    assert order["email"] == "jo@example.com"


def test_a_browser_posting_a_hosted_order_form_is_sent_on_to_stripe(hosted):
    event = copy.deepcopy(sample("commerce/checkout"))
    form = {"_token": _token(), "email": "sam@example.com", "firstName": "Sam"}
    event["headers"] = {
        **event["headers"],
        "content-type": "application/x-www-form-urlencoded",
        "accept": "text/html",
        "origin": ORIGIN,
    }
    event["body"] = urlencode(form, quote_via=quote_plus)

    answer = invoke("functions.commerce.checkout", event)
    resent = invoke("functions.commerce.checkout", event)

    assert answer.status == 303, answer.body
    assert answer.headers["Location"] == "https://checkout.stripe.com/c/pay/cs_test_0001"
    assert resent.status == 303
    assert resent.headers["Location"] == answer.headers["Location"]
    assert len(hosted.sessions) == 1
    [(_, params)] = hosted.sessions
    assert params["cancel_url"] == [f"{ORIGIN}/p/sample-co/shop/order"]


def test_a_hosted_order_form_with_a_bad_email_gets_a_page_that_says_so(hosted):
    event = copy.deepcopy(sample("commerce/checkout"))
    event["headers"] = {**event["headers"], "content-type": "application/x-www-form-urlencoded"}
    event["body"] = urlencode({"_token": _token(), "email": "not an email"})

    answer = invoke("functions.commerce.checkout", event)

    assert answer.status == 422
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "valid email address" in answer.body
    assert 'href="/p/sample-co/shop/order"' in answer.body
    assert hosted.sessions == []
    assert _orders() == []


def test_an_on_page_checkout_refuses_a_browser_form_post(integration):
    integration.recreate_table()
    seed_sample_world(table())
    event = copy.deepcopy(sample("commerce/checkout"))
    event["headers"] = {**event["headers"], "content-type": "application/x-www-form-urlencoded"}
    event["body"] = urlencode({"_token": _token(), "email": "sam@example.com"})

    answer = invoke("functions.commerce.checkout", event)

    assert answer.status == 422
    assert "its script posts JSON" in answer.body
    assert _orders() == []


def test_the_upsell_after_a_hosted_checkout_charges_the_card_it_took_before_the_webhook_says_so(hosted, integration):
    page = serving.service().find("sample-co", "shop", "order")
    upsell = serving.service().find("sample-co", "shop", "coaching")
    assert page is not None
    assert upsell is not None
    body = CheckoutBody.model_validate({"_token": _token(), "email": "kim@example.com"})
    visitor = Visitor(visitor_id="vis_hosted", persistent=True, new=False)
    ordered = checkout.Checkouts(table()).checkout(page, body, visitor, ORIGIN)
    [order] = _orders()
    # Stripe's page took a card: on the emulator, the buyer's customer now has it.
    emulator = stripe.StripeClient(SECRET_KEY, base_addresses={"api": integration.stripe.endpoint_url})
    card = emulator.v1.payment_methods.create(
        params={"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2031, "cvc": "123"}}
    )
    emulator.v1.payment_methods.attach(card.id, params={"customer": order["stripeCustomerId"]})
    hosted.paid["cs_test_0001"] = {
        "id": "cs_test_0001",
        "object": "checkout.session",
        "mode": "payment",
        "status": "complete",
        "payment_status": "paid",
        "payment_intent": {
            "id": "pi_hosted0001",
            "object": "payment_intent",
            "status": "succeeded",
            "payment_method": card.id,
        },
    }

    answer = upsells.Upsells(table()).answer(upsell, True, order_ticket(GROUP, ordered.orderId))

    assert answer.status == "succeeded"
    [read] = hosted.reads
    assert "expand" in read
    assert "payment_intent" in read
    [order] = _orders()
    assert order["paymentMethodId"] == card.id
    assert [line["kind"] for line in order["lines"]] == ["product", "upsell"]
    # Told once: a second upsell step would find the card on the order.
    assert len(order["paymentIntentIds"]) == 1
