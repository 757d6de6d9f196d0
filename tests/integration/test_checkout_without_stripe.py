"""Stripe out of reach in the middle of a checkout: the visitor hears so (503, try again), nothing
is half-written, and the same checkout goes through once Stripe is back."""

from __future__ import annotations

import socket
import time

import pytest
import stripe

from funnel_core.commerce import checkout, stripe_api
from funnel_core.commerce.models import CheckoutBody
from funnel_core.pages import serving, tokens
from funnel_core.store.default import table
from funnel_core.visitors.identity import Visitor
from local.samples.world import GROUP, SAMPLE_ORDER, SHOP_PAGE, seed_sample_world
from local.stripe_emulator import SECRET_KEY


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _orders() -> list[str]:
    """The orders checkouts made (the sample world has one of its own)."""
    from funnel_core.ontology import things
    from funnel_core.store.paging import PageRequest

    page = things.page_of_type(table(), GROUP, "order", None, PageRequest(limit=10, cursor=None, binding="t"))
    return [order.thingId for order in page.items if order.thingId != SAMPLE_ORDER]


def test_stripe_unreachable_is_a_503_and_writes_nothing(integration, monkeypatch: pytest.MonkeyPatch):
    integration.recreate_table()
    seed_sample_world(table())
    page = serving.service().find("sample-co", "shop", "order")
    assert page is not None
    body = CheckoutBody.model_validate(
        {"_token": tokens.issue(SHOP_PAGE.stepId, int((time.time() - 10) * 1000)), "email": "jo@example.com"}
    )
    visitor = Visitor(visitor_id="vis_offline", persistent=True, new=False)
    down = stripe.StripeClient(
        SECRET_KEY, base_addresses={"api": f"http://127.0.0.1:{_closed_port()}"}, max_network_retries=0
    )
    monkeypatch.setattr(stripe_api, "client", lambda: down)

    with pytest.raises(stripe_api.PaymentsUnavailable) as refused:
        checkout.Checkouts(table()).checkout(page, body, visitor, "http://127.0.0.1:3000")
    assert (refused.value.status, refused.value.retry_after) == (503, 5)
    assert _orders() == []

    monkeypatch.undo()
    answer = checkout.Checkouts(table()).checkout(page, body, visitor, "http://127.0.0.1:3000")
    assert answer.status == "requires_payment_method"
    assert _orders() == [answer.orderId]
