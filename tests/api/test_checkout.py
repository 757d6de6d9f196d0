"""Checkout and Stripe's webhooks over real HTTP, against localstripe (a stateful Stripe emulator)
as the shop's Stripe: the amount from the published version, the card set up as Stripe.js sets it
up, one charge however often a checkout is sent, every webhook taking effect once."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import stripe

from funnel_core.pages import tokens
from local.net import wait_until
from local.stripe_emulator import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET

GOOD_CARD, DECLINED_ON_CHARGE = "4242424242424242", "4000000000000341"


@pytest.fixture
def shop(owner, api, stack):
    group = owner.create_group("Shop Co", slug=f"shop-{owner.person_id[-8:]}")
    g = group["groupId"]
    course = owner.post(f"/groups/{g}/products", {"name": "Course", "price": 4900, "currency": "USD"}).json()
    workbook = owner.post(f"/groups/{g}/products", {"name": "Workbook", "price": 900, "currency": "USD"}).json()
    funnel = owner.create_funnel(g, "Tripwire", slug="tripwire")
    order = owner.add_step(
        g, funnel["funnelId"], "Order", "order_form", slug="order", properties={"productId": course["productId"]}
    )
    bump = owner.add_element(
        g,
        funnel["funnelId"],
        order["stepId"],
        "order_bump_checkbox",
        {"headline": "Add the workbook", "price": 9, "currency": "USD", "productId": workbook["productId"]},
    )
    owner.add_step(g, funnel["funnelId"], "Thanks", "thank_you_page", slug="thanks")
    base = f"/groups/{g}/funnels/{funnel['funnelId']}"
    return {
        "group": group,
        "base": base,
        "order": order,
        "bump": bump["elementId"],
        "course": course,
        "url": f"{api.url}/p/{group['slug']}/tripwire/order",
        "emulator": stack.stripe.endpoint_url,
    }


def _connect_and_publish(owner, shop):
    assert (
        owner.put(f"/groups/{shop['group']['groupId']}/stripe-account", {"accountId": "acct_localshop1"}).status_code
        == 201
    )
    assert owner.post(f"{shop['base']}/publish").status_code == 200


def _token(step_id):
    return tokens.issue(step_id, int((time.time() - 10) * 1000))


def _checkout(shop, token, **body):
    sent = {"_token": token, "email": "Buyer@Example.com", "firstName": "Bea", **body}
    return requests.post(f"{shop['url']}/checkout", json=sent, timeout=30)


def _set_up_card(shop, setup_secret, number=GOOD_CARD):
    """What Stripe.js (here localstripe-v3.js) does with the card the visitor typed."""
    setup_id = setup_secret.split("_secret_")[0]
    answer = requests.post(
        f"{shop['emulator']}/v1/setup_intents/{setup_id}/confirm",
        data=json.dumps(
            {
                "key": PUBLISHABLE_KEY,
                "use_stripe_sdk": True,
                "client_secret": setup_secret,
                "payment_method_data": {
                    "type": "card",
                    "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"},
                },
            }
        ),
        timeout=10,
    )
    return answer


def _things(owner, shop, thing_type):
    answer = owner.get(f"/groups/{shop['group']['groupId']}/things", params={"type": thing_type})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def _events(owner, shop, event_type):
    answer = owner.get(f"/groups/{shop['group']['groupId']}/events", params={"type": event_type, "limit": 100})
    return answer.json()["items"]


def _signed(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    moment = int(time.time()) if at is None else at
    signature = hmac.new(secret.encode(), f"{moment}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={moment},v1={signature}"


def _post_webhook(api, payload: bytes, signature: str | None):
    headers = {"Content-Type": "application/json"} | ({"Stripe-Signature": signature} if signature else {})
    return requests.post(f"{api.url}/webhooks/stripe", data=payload, headers=headers, timeout=30)


def test_an_order_is_priced_from_the_published_version_paid_once_and_recorded(owner, shop, api):
    _connect_and_publish(owner, shop)
    # The price changes after publishing: the page still sells at the published one
    assert (
        owner.patch(
            f"/groups/{shop['group']['groupId']}/products/{shop['course']['productId']}", {"version": 1, "price": 9900}
        ).status_code
        == 200
    )
    token = _token(shop["order"]["stepId"])

    opened = _checkout(shop, token, bumps=[shop["bump"]], amount=1)
    assert opened.status_code == 422  # a price is never taken from the client
    opened = _checkout(shop, token, bumps=[shop["bump"]])
    assert opened.status_code == 200, opened.text
    order = opened.json()
    assert (order["status"], order["amount"], order["currency"]) == ("requires_payment_method", 5800, "USD")
    assert [(line["kind"], line["amount"]) for line in order["lines"]] == [("product", 4900), ("bump", 900)]
    assert (order["publishableKey"], order["stripeAccount"]) == (PUBLISHABLE_KEY, "acct_localshop1")
    assert _checkout(shop, token, bumps=[shop["bump"]]).json()["orderId"] == order["orderId"]  # a retry, the same order

    assert _set_up_card(shop, order["setupClientSecret"]).status_code == 200
    with ThreadPoolExecutor(max_workers=4) as pool:  # a double click, and then some
        paid = list(pool.map(lambda _: _checkout(shop, token, bumps=[shop["bump"]], pay=True), range(4)))
    assert {answer.status_code for answer in paid} <= {200, 409}, [a.text for a in paid]
    assert any(answer.status_code == 200 and answer.json()["status"] == "succeeded" for answer in paid)
    assert _checkout(shop, token, pay=True).json()["status"] == "succeeded"

    # localstripe delivers payment_intent.succeeded, signed, to the webhook
    wait_until(lambda: bool(_things(owner, shop, "payment")), timeout=30, what="the payment from Stripe's webhook")
    (payment,) = _things(owner, shop, "payment")
    assert (payment["properties"]["amount"], payment["properties"]["status"]) == (5800, "succeeded")
    (customer,) = _things(owner, shop, "customer")
    assert customer["properties"]["email"] == "buyer@example.com"
    assert payment["properties"]["customerId"] == customer["thingId"]
    (stored,) = _things(owner, shop, "order")
    assert (stored["properties"]["status"], stored["properties"]["paidAmount"]) == ("paid", 5800)
    assert len(stored["properties"]["paymentIntentIds"]) == 1  # charged once
    (purchase,) = _events(owner, shop, "purchase_completed")
    assert purchase["metadata"]["amount"] == 5800
    links = owner.get(
        f"/groups/{shop['group']['groupId']}/things/{customer['thingId']}/connections",
        params={"relationshipType": "customer_purchased_via_funnel"},
    )
    assert links.status_code == 200, links.text
    assert len(links.json()["items"]) == 1


def _succeeded_event(shop, intent_id: str, event_id: str) -> bytes:
    client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": shop["emulator"]})
    intent = client.v1.payment_intents.retrieve(intent_id)
    event = {
        "id": event_id,
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {"object": json.loads(str(intent))},
    }
    return json.dumps(event).encode()


def test_a_webhook_delivered_again_and_again_takes_effect_once(owner, shop, api):
    _connect_and_publish(owner, shop)
    token = _token(shop["order"]["stepId"])
    order = _checkout(shop, token).json()
    _set_up_card(shop, order["setupClientSecret"])
    assert _checkout(shop, token, pay=True).json()["status"] == "succeeded"
    wait_until(lambda: bool(_things(owner, shop, "payment")), timeout=30, what="the emulator's own webhook")
    (stored,) = _things(owner, shop, "order")
    payload = _succeeded_event(shop, stored["properties"]["paymentIntentIds"][0], "evt_replayed_0001")

    answers = [_post_webhook(api, payload, _signed(payload)) for _ in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers += list(pool.map(lambda _: _post_webhook(api, payload, _signed(payload)), range(20)))
    assert {answer.status_code for answer in answers} <= {200, 409}, [a.text for a in answers if a.status_code != 200]
    outcomes = [answer.json()["outcome"] for answer in answers if answer.status_code == 200]
    assert outcomes.count("stale") + outcomes.count("recorded") == 1
    assert len(_things(owner, shop, "payment")) == 1
    assert len(_events(owner, shop, "purchase_completed")) == 1
    assert _things(owner, shop, "order")[0]["properties"]["paidAmount"] == 4900


@pytest.mark.parametrize(
    "tamper",
    ["missing", "forged", "expired", "altered"],
)
def test_a_webhook_not_signed_by_stripe_for_this_body_is_refused_and_writes_nothing(owner, shop, api, tamper):
    _connect_and_publish(owner, shop)
    event = {
        "id": f"evt_{tamper}",
        "type": "payment_intent.succeeded",
        "data": {
            "object": {
                "id": "pi_x",
                "amount": 100,
                "currency": "usd",
                "metadata": {"groupId": shop["group"]["groupId"], "email": "a@b.co"},
            }
        },
    }
    payload = json.dumps(event).encode()
    signature = {
        "missing": None,
        "forged": _signed(payload, secret="whsec_not_the_shops"),
        "expired": _signed(payload, at=int(time.time()) - 301),
        "altered": _signed(payload.replace(b"100", b"999")),
    }[tamper]
    answer = _post_webhook(api, payload, signature)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["fields"][0]["field"] == "Stripe-Signature"
    assert _things(owner, shop, "payment") == []


def test_a_declined_card_says_so_and_another_card_pays(owner, shop):
    _connect_and_publish(owner, shop)
    token = _token(shop["order"]["stepId"])
    order = _checkout(shop, token).json()
    _set_up_card(shop, order["setupClientSecret"], DECLINED_ON_CHARGE)
    declined = _checkout(shop, token, pay=True)
    assert declined.status_code == 402, declined.text
    assert "declined" in declined.json()["error"]["message"]

    again = _checkout(shop, token).json()  # the page asks for another card: a new SetupIntent
    assert again["setupClientSecret"] != order["setupClientSecret"]
    _set_up_card(shop, again["setupClientSecret"])
    assert _checkout(shop, token, pay=True).json()["status"] == "succeeded"
    (stored,) = _things(owner, shop, "order")
    assert len(stored["properties"]["paymentIntentIds"]) == 1


def test_checkout_refuses_what_it_cannot_sell(owner, shop):
    assert owner.post(f"{shop['base']}/publish").status_code == 200
    token = _token(shop["order"]["stepId"])
    not_connected = _checkout(shop, token)
    assert not_connected.status_code == 409
    assert not_connected.json()["error"]["code"] == "payments_not_connected"
    _connect_and_publish(owner, shop)
    assert _checkout(shop, token, bumps=["elm_nope"]).json()["error"]["fields"][0]["field"] == "bumps.0"
    assert _checkout(shop, token, productId="prd_nope").status_code == 422
    assert _checkout(shop, "forged").status_code == 400
    assert _checkout(shop, _token("stp_other")).status_code == 400
    assert _checkout(shop, token, email="not-an-email").json()["error"]["fields"][0]["field"] == "email"
    assert _checkout(shop, token, pay=True).status_code == 422  # nothing to pay yet
    assert _things(owner, shop, "order") == []
