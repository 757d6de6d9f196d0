"""Checkout and Stripe's webhooks over real HTTP, against localstripe (a stateful Stripe emulator)
as the shop's Stripe: the amount from the published version, the card set up as Stripe.js sets it
up, one charge however often a checkout is sent, every webhook taking effect once."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
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
    thanks = owner.add_step(g, funnel["funnelId"], "Thanks", "thank_you_page", slug="thanks")
    base = f"/groups/{g}/funnels/{funnel['funnelId']}"
    return {
        "group": group,
        "base": base,
        "order": order,
        "thanks": thanks,
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


@pytest.fixture
def upsell_shop(owner, shop):
    g = shop["group"]["groupId"]
    funnel_id = shop["base"].rsplit("/", 1)[1]
    coaching = owner.post(f"/groups/{g}/products", {"name": "Coaching", "price": 19900, "currency": "USD"}).json()
    call = owner.post(f"/groups/{g}/products", {"name": "Group call", "price": 4900, "currency": "USD"}).json()
    owner.add_step(
        g, funnel_id, "Coaching", "upsell_page", slug="coaching", properties={"productId": coaching["productId"]}
    )
    owner.add_step(g, funnel_id, "Call", "downsell_page", slug="call", properties={"productId": call["productId"]})
    by_slug = {step["slug"]: step["stepId"] for step in owner.get(shop["base"]).json()["steps"]}
    sequence = [by_slug[slug] for slug in ("order", "coaching", "call", "thanks")]
    assert owner.put(f"{shop['base']}/step-order", {"stepIds": sequence}).status_code == 200
    _connect_and_publish(owner, shop)
    return {**shop, "upsell_url": f"{shop['url'].rsplit('/', 1)[0]}/coaching/upsell"}


def _paid_order(shop):
    token = _token(shop["order"]["stepId"])
    opened = _checkout(shop, token).json()
    _set_up_card(shop, opened["setupClientSecret"])
    paid = _checkout(shop, token, pay=True).json()
    assert paid["status"] == "succeeded"
    return paid


def test_a_one_click_upsell_is_its_own_payment_on_the_same_order(owner, upsell_shop):
    paid = _paid_order(upsell_shop)
    path, _, fragment = paid["next"].partition("#")
    assert path.endswith("/tripwire/coaching")
    ticket = fragment.removeprefix("o=")

    taken = requests.post(upsell_shop["upsell_url"], json={"accept": True, "order": ticket}, timeout=30)
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "succeeded"
    assert taken.json()["next"].split("#")[0].endswith("/tripwire/thanks")  # past the downsell
    again = requests.post(upsell_shop["upsell_url"], json={"accept": True, "order": ticket}, timeout=30)
    assert again.json()["status"] == "succeeded"  # a double click charges once

    wait_until(lambda: len(_things(owner, upsell_shop, "payment")) == 2, timeout=30, what="both payments")
    amounts = sorted(p["properties"]["amount"] for p in _things(owner, upsell_shop, "payment"))
    assert amounts == [4900, 19900]
    (order,) = _things(owner, upsell_shop, "order")
    assert len(order["properties"]["paymentIntentIds"]) == 2
    assert (order["properties"]["amount"], order["properties"]["paidAmount"]) == (24800, 24800)
    assert [line["kind"] for line in order["properties"]["lines"]] == ["product", "upsell"]
    kinds = sorted(event["metadata"]["kind"] for event in _events(owner, upsell_shop, "purchase_completed"))
    assert kinds == ["product", "upsell"]


def test_no_thanks_goes_to_the_downsell_and_charges_nothing(owner, upsell_shop):
    paid = _paid_order(upsell_shop)
    ticket = paid["next"].partition("#o=")[2]
    declined = requests.post(
        upsell_shop["upsell_url"], data={"accept": "false", "order": ticket}, allow_redirects=False, timeout=30
    )
    assert declined.status_code == 303, declined.text
    assert declined.headers["location"].split("#")[0].endswith("/tripwire/call")
    assert "#o=" in declined.headers["location"]
    forged = requests.post(upsell_shop["upsell_url"], json={"accept": True, "order": ticket[:-2] + "xx"}, timeout=30)
    assert forged.status_code == 400
    assert requests.post(upsell_shop["upsell_url"], json={"order": ticket}, timeout=30).status_code == 400
    time.sleep(2)  # what the emulator delivers about the first payment
    assert len(_things(owner, upsell_shop, "payment")) == 1


def _refunded_event(shop, charge_id: str, event_id: str) -> bytes:
    client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": shop["emulator"]})
    charge = json.loads(str(client.v1.charges.retrieve(charge_id)))
    intent = json.loads(str(client.v1.payment_intents.retrieve(charge["payment_intent"])))
    # Stripe puts the PaymentIntent's metadata on its charges; the emulator keeps it on the intent.
    charge["metadata"] = intent["metadata"]
    event = {"id": event_id, "object": "event", "type": "charge.refunded", "created": int(time.time())}
    return json.dumps({**event, "data": {"object": charge}}).encode()


def test_refunds_partial_then_full_move_the_payment_and_the_order(owner, shop, api):
    _connect_and_publish(owner, shop)
    _paid_order(shop)
    wait_until(lambda: bool(_things(owner, shop, "payment")), timeout=30, what="the payment")
    (payment,) = _things(owner, shop, "payment")
    intent_id = payment["properties"]["paymentIntentId"]
    client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": shop["emulator"]})
    charge_id = (
        payment["properties"]["chargeId"]
        or json.loads(str(client.v1.payment_intents.retrieve(intent_id)))["latest_charge"]["id"]
    )

    client.v1.refunds.create(params={"payment_intent": intent_id, "amount": 1000})
    partial = _refunded_event(shop, charge_id, "evt_refund_partial")
    assert _post_webhook(api, partial, _signed(partial)).json()["outcome"] == "recorded"
    (payment,) = _things(owner, shop, "payment")
    assert (payment["properties"]["status"], payment["properties"]["amountRefunded"]) == ("partially_refunded", 1000)
    assert _things(owner, shop, "order")[0]["properties"]["status"] == "partially_refunded"

    client.v1.refunds.create(params={"payment_intent": intent_id, "amount": 3900})
    full = _refunded_event(shop, charge_id, "evt_refund_full")
    assert _post_webhook(api, full, _signed(full)).json()["outcome"] == "recorded"
    # The partial refund's event, delivered late under another id, moves nothing back
    late = partial.replace(b"evt_refund_partial", b"evt_refund_late")
    assert _post_webhook(api, late, _signed(late)).json()["outcome"] == "stale"
    (payment,) = _things(owner, shop, "payment")
    assert (payment["properties"]["status"], payment["properties"]["amountRefunded"]) == ("refunded", 4900)
    assert _things(owner, shop, "order")[0]["properties"]["status"] == "refunded"
    refunds = _events(owner, shop, "payment_refunded")
    assert sorted(event["metadata"]["amountRefunded"] for event in refunds) == [1000, 4900]
    assert sorted(event["metadata"]["refundedNow"] for event in refunds) == [1000, 3900]
    assert {event["metadata"]["currency"] for event in refunds} == {"USD"}
    # The analytics: the order step sold 4900 and gave it all back, counted from the stream.
    analytics = f"{shop['base']}/analytics"
    wait_until(
        lambda: owner.get(analytics).json()["steps"][0]["refunded"] == {"USD": 4900},
        timeout=60,
        what="the refunds in the counters",
    )
    order_step = owner.get(analytics).json()["steps"][0]
    assert (order_step["purchases"], order_step["revenue"]) == (1, {"USD": 4900})


def _authenticate(shop, client_secret: str) -> None:
    """What Stripe.js does when the bank asks: the visitor completes 3-D Secure on the page."""
    intent_id = client_secret.split("_secret_")[0]
    answer = requests.post(
        f"{shop['emulator']}/v1/payment_intents/{intent_id}/_authenticate?success=true",
        data=json.dumps({"key": PUBLISHABLE_KEY, "client_secret": client_secret}),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


def test_an_upsell_the_bank_wants_authenticated_is_confirmed_on_the_page(owner, upsell_shop):
    token = _token(upsell_shop["order"]["stepId"])
    opened = _checkout(upsell_shop, token).json()
    set_up = _set_up_card(upsell_shop, opened["setupClientSecret"], "4000002500003155")
    assert set_up.json()["status"] == "requires_action"  # the bank asks when the card is set up ...
    setup_id = opened["setupClientSecret"].split("_secret_")[0]
    confirmed = requests.post(
        f"{upsell_shop['emulator']}/v1/setup_intents/{setup_id}/confirm",
        data=json.dumps({"key": PUBLISHABLE_KEY, "use_stripe_sdk": True, "client_secret": opened["setupClientSecret"]}),
        timeout=10,
    )
    assert confirmed.json()["status"] == "succeeded"
    paying = _checkout(upsell_shop, token, pay=True).json()
    assert paying["status"] == "requires_action"  # ... and again when it is charged
    _authenticate(upsell_shop, paying["clientSecret"])
    paid = _checkout(upsell_shop, token, pay=True).json()
    assert paid["status"] == "succeeded"
    ticket = paid["next"].partition("#o=")[2]

    asked = requests.post(upsell_shop["upsell_url"], json={"accept": True, "order": ticket}, timeout=30).json()
    assert asked["status"] == "requires_action"  # off-session, the bank wants the visitor
    assert asked["clientSecret"]
    assert asked["stripeAccount"] == "acct_localshop1"
    _authenticate(upsell_shop, asked["clientSecret"])
    done = requests.post(upsell_shop["upsell_url"], json={"accept": True, "order": ticket}, timeout=30).json()
    assert done["status"] == "succeeded"
    wait_until(lambda: len(_things(owner, upsell_shop, "payment")) == 2, timeout=30, what="both payments")
    (order,) = _things(owner, upsell_shop, "order")
    assert len(order["properties"]["paymentIntentIds"]) == 2


def test_a_webhook_before_the_checkout_answers_is_recorded_and_nothing_is_charged_twice(owner, shop, api):
    _connect_and_publish(owner, shop)
    token = _token(shop["order"]["stepId"])
    opened = _checkout(shop, token).json()
    # Stripe's word that the order's payment succeeded, before the checkout's own answer
    event = {
        "id": "evt_early_0001",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": "pi_early_0001",
                "object": "payment_intent",
                "amount": 4900,
                "currency": "usd",
                "status": "succeeded",
                "customer": "cus_early",
                "latest_charge": "ch_early",
                "metadata": {
                    "groupId": shop["group"]["groupId"],
                    "funnelId": shop["base"].rsplit("/", 1)[1],
                    "stepId": shop["order"]["stepId"],
                    "orderId": opened["orderId"],
                    "email": "buyer@example.com",
                    "kind": "product",
                },
            }
        },
    }
    payload = json.dumps(event).encode()
    assert _post_webhook(api, payload, _signed(payload)).json()["outcome"] == "recorded"
    (stored,) = _things(owner, shop, "order")
    assert (stored["properties"]["status"], stored["properties"]["paidAmount"]) == ("paid", 4900)
    assert _checkout(shop, token, pay=True).json()["status"] == "succeeded"  # paid: nothing charged again
    assert _things(owner, shop, "order")[0]["properties"]["paymentIntentIds"] == []
    assert len(_things(owner, shop, "payment")) == 1


def test_a_hosted_checkout_page_sends_its_form_to_stripe_without_stripe_js(owner, shop):
    step = f"{shop['base']}/steps/{shop['order']['stepId']}"
    hosted = {"stepType": "order_form", "productId": shop["course"]["productId"], "checkout": "hosted"}
    assert owner.patch(step, {"version": shop["order"]["version"], "properties": hosted}).status_code == 200
    thanks = shop["thanks"]
    refused = owner.patch(
        f"{shop['base']}/steps/{thanks['stepId']}",
        {"version": thanks["version"], "properties": {"stepType": "thank_you_page", "checkout": "hosted"}},
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"][0]["field"].endswith("checkout")
    _connect_and_publish(owner, shop)

    page = requests.get(shop["url"], timeout=10)

    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "form-action 'self' https://checkout.stripe.com" in policy
    assert "js.stripe.com" not in page.text
    assert shop["emulator"] not in policy
    [form] = re.findall(r"<form[^>]*>", page.text)
    assert f'action="/p/{shop["group"]["slug"]}/tripwire/order/checkout"' in form
    assert "data-checkout" not in form
    assert "data-card-element" not in page.text
    assert 'name="email"' in page.text
    assert f'name="bumps" value="{shop["bump"]}"' in page.text


def _event(event_type: str, obj: dict, event_id: str) -> bytes:
    return json.dumps(
        {"id": event_id, "object": "event", "type": event_type, "created": int(time.time()), "data": {"object": obj}}
    ).encode()


def _open_order(owner, shop) -> dict:
    """An order opened on the page (not yet paid), and the metadata its Stripe objects carry."""
    _connect_and_publish(owner, shop)
    order = _checkout(shop, _token(shop["order"]["stepId"])).json()
    metadata = {
        "groupId": shop["group"]["groupId"],
        "funnelId": shop["base"].rsplit("/", 1)[1],
        "stepId": shop["order"]["stepId"],
        "version": "1",
        "orderId": order["orderId"],
        "email": "buyer@example.com",
    }
    return {"orderId": order["orderId"], "metadata": metadata}


def test_a_hosted_checkout_is_paid_once_whichever_of_its_two_events_comes_first(owner, shop, api):
    opened = _open_order(owner, shop)
    metadata = {**opened["metadata"], "kind": "product"}
    session = {
        "id": "cs_test_paid0001",
        "object": "checkout.session",
        "mode": "payment",
        "status": "complete",
        "payment_status": "paid",
        "payment_intent": "pi_hostedpaid0001",
        "customer": "cus_hosted0001",
        "amount_total": 4900,
        "currency": "usd",
        "client_reference_id": opened["orderId"],
        "metadata": metadata,
    }
    unpaid = _event("checkout.session.completed", {**session, "payment_status": "unpaid"}, "evt_session_unpaid")
    assert _post_webhook(api, unpaid, _signed(unpaid)).json()["outcome"] == "ignored"
    assert _things(owner, shop, "payment") == []

    completed = _event("checkout.session.completed", session, "evt_session_paid")
    intent = {
        "id": "pi_hostedpaid0001",
        "object": "payment_intent",
        "amount": 4900,
        "currency": "usd",
        "status": "succeeded",
        "customer": "cus_hosted0001",
        "payment_method": "pm_hostedcard0001",
        "latest_charge": "ch_hosted0001",
        "metadata": metadata,
    }
    succeeded = _event("payment_intent.succeeded", intent, "evt_intent_paid")
    assert _post_webhook(api, completed, _signed(completed)).json()["outcome"] == "recorded"
    assert _post_webhook(api, succeeded, _signed(succeeded)).json()["outcome"] == "stale"
    assert _post_webhook(api, completed, _signed(completed)).json()["outcome"] == "duplicate"

    (payment,) = _things(owner, shop, "payment")
    assert payment["properties"]["checkoutSessionId"] == "cs_test_paid0001"
    assert (payment["properties"]["amount"], payment["properties"]["paymentIntentId"]) == (4900, "pi_hostedpaid0001")
    (stored,) = _things(owner, shop, "order")
    assert (stored["properties"]["status"], stored["properties"]["paidAmount"]) == ("paid", 4900)
    assert len(_events(owner, shop, "purchase_completed")) == 1


def test_each_paid_invoice_of_a_subscription_is_its_own_payment(owner, shop, api):
    opened = _open_order(owner, shop)
    metadata = {**opened["metadata"], "kind": "subscription"}
    session = {
        "id": "cs_test_sub0001",
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "payment_status": "paid",
        "subscription": "sub_hosted0001",
        "metadata": metadata,
    }
    started = _event("checkout.session.completed", session, "evt_sub_session")
    assert _post_webhook(api, started, _signed(started)).json()["outcome"] == "recorded"
    assert _things(owner, shop, "order")[0]["properties"]["subscriptionId"] == "sub_hosted0001"

    def invoice(invoice_id: str, reason: str, shaped_as: str) -> dict:
        found = {
            "id": invoice_id,
            "object": "invoice",
            "status": "paid",
            "amount_paid": 2900,
            "currency": "usd",
            "customer": "cus_sub0001",
            "billing_reason": reason,
            "lines": {"object": "list", "data": []},
        }
        if shaped_as == "current":  # the API's versions since 2025: the subscription under parent
            found["parent"] = {
                "type": "subscription_details",
                "subscription_details": {"subscription": "sub_hosted0001", "metadata": metadata},
            }
        else:  # older versions and localstripe: on the subscription's line
            found["subscription"] = "sub_hosted0001"
            found["lines"]["data"] = [{"object": "line_item", "type": "subscription", "metadata": metadata}]
        return found

    first = _event("invoice.paid", invoice("in_first0001", "subscription_create", "current"), "evt_invoice_1")
    renewal = _event(
        "invoice.payment_succeeded", invoice("in_renewal0001", "subscription_cycle", "legacy"), "evt_invoice_2"
    )
    nothing = _event(
        "invoice.paid", {**invoice("in_free0001", "subscription_cycle", "current"), "amount_paid": 0}, "e3"
    )
    for payload in (first, renewal, first, renewal):
        assert _post_webhook(api, payload, _signed(payload)).status_code == 200
    assert _post_webhook(api, nothing, _signed(nothing)).json()["outcome"] == "ignored"

    payments = sorted(_things(owner, shop, "payment"), key=lambda p: p["properties"]["invoiceId"])
    assert [(p["properties"]["invoiceId"], p["properties"]["amount"]) for p in payments] == [
        ("in_first0001", 2900),
        ("in_renewal0001", 2900),
    ]
    assert {p["properties"]["subscriptionId"] for p in payments} == {"sub_hosted0001"}
    purchases = _events(owner, shop, "purchase_completed")
    assert sorted(p["metadata"]["billingReason"] for p in purchases) == ["subscription_create", "subscription_cycle"]
    assert _things(owner, shop, "order")[0]["properties"]["paidAmount"] == 5800


def test_a_subscription_sells_only_through_the_hosted_checkout(owner, shop):
    g = shop["group"]["groupId"]
    monthly = {"name": "Club", "price": 2900, "currency": "USD", "paymentType": "subscription", "interval": "month"}
    club = owner.post(f"/groups/{g}/products", monthly).json()
    step = f"{shop['base']}/steps/{shop['order']['stepId']}"
    on_page = {"stepType": "order_form", "productId": club["productId"]}
    changed = owner.patch(step, {"version": shop["order"]["version"], "properties": on_page})
    assert changed.status_code == 200, changed.text

    refused = owner.post(f"{shop['base']}/publish")

    assert refused.status_code == 422
    [problem] = refused.json()["error"]["fields"]
    assert problem["field"].endswith("properties.productId")
    assert "hosted" in problem["message"]
    hosted = {**on_page, "checkout": "hosted"}
    assert owner.patch(step, {"version": changed.json()["version"], "properties": hosted}).status_code == 200
    assert owner.post(f"{shop['base']}/publish").status_code == 200
