"""POST /p/{groupSlug}/{funnelSlug}/{stepSlug}/upsell: "yes" (one click, the saved card charged)
or "no thanks" on an upsell or downsell page. A browser's form post gets a 303 to where the answer
leads; the page's script posts JSON and gets the answer as JSON (with the PaymentIntent when the
bank wants the visitor to authenticate)."""

import json
from urllib.parse import parse_qsl

from aws_lambda_powertools.event_handler import Response, content_types

from funnel_core.commerce import upsells
from funnel_core.errors import BadRequest, NotFound
from funnel_core.http.app import PUBLIC, body_bytes, create_app, make_handler
from funnel_core.models.common import Record
from funnel_core.pages import serving

app = create_app(PUBLIC)
_TRUE = frozenset({"true", "yes", "1", "on"})


class UpsellAnswer(Record):
    status: str
    next: str | None = None
    clientSecret: str | None = None
    paymentMethod: str | None = None
    publishableKey: str | None = None
    stripeAccount: str | None = None


def _sent(raw: bytes, as_json: bool) -> tuple[bool, str | None]:
    try:
        if as_json:
            sent = json.loads(raw or b"{}")
            if not isinstance(sent, dict) or not isinstance(sent.get("accept"), bool):
                raise BadRequest.on_field("accept", "true or false")
            order = sent.get("order")
            return sent["accept"], order if isinstance(order, str) else None
        fields = dict(parse_qsl(raw.decode("utf-8"), max_num_fields=20))
    except (ValueError, UnicodeDecodeError):
        raise BadRequest.on_field("body", "neither JSON nor a form") from None
    if fields.get("accept", "").lower() not in _TRUE | {"false", "no", "0", ""}:
        raise BadRequest.on_field("accept", "true or false")
    return fields.get("accept", "").lower() in _TRUE, fields.get("order")


@app.post(
    "/p/<groupSlug>/<funnelSlug>/<stepSlug>/upsell",
    summary="Take or refuse an upsell in one click: the order's saved card charged off-session",
    responses={
        200: {"description": "(JSON) taken, refused, or waiting for the bank's authentication on the page"},
        303: {"description": "(a browser's form) on to the next step"},
        400: {"description": "No accept, or an order ticket that is missing, forged or expired"},
        402: {"description": "The card was declined"},
        404: {"description": "No live page at this URL"},
        409: {"description": "The order has no saved card, or this upsell is being charged"},
        422: {"description": "The page offers no upsell"},
    },
)
def upsell(groupSlug: str, funnelSlug: str, stepSlug: str) -> Response[UpsellAnswer | None]:
    event = app.current_event
    raw = body_bytes(event.raw_event)
    if raw is None:
        raise BadRequest.on_field("body", "not valid base64")
    as_json = (event.headers.get("content-type") or "").split(";")[0].strip().lower() == "application/json"
    accept, ticket = _sent(raw, as_json)
    page = serving.service().find(groupSlug, funnelSlug, stepSlug)
    if page is None:
        raise NotFound("no live page at this URL")
    answer = upsells.service().answer(page, accept, ticket)
    if not as_json:
        own = f"/p/{groupSlug}/{funnelSlug}/{stepSlug}"
        return Response(
            status_code=303, body=None, headers={"Location": answer.next or own, "Cache-Control": "no-store"}
        )
    body = UpsellAnswer(
        status=answer.status,
        next=answer.next,
        clientSecret=answer.client_secret,
        paymentMethod=answer.payment_method,
        publishableKey=answer.publishable_key,
        stripeAccount=answer.stripe_account,
    )
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=body)


lambda_handler = make_handler(app, public=True)
