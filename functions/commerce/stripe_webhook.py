"""POST /webhooks/stripe: Stripe's events, their signature checked on the raw body, each taking
effect exactly once."""

from aws_lambda_powertools.event_handler import Response, content_types

from funnel_core.commerce import webhooks
from funnel_core.errors import BadRequest
from funnel_core.http.app import COMMERCE, body_bytes, create_app, make_handler
from funnel_core.models.common import Record

app = create_app(COMMERCE)


class Received(Record):
    received: bool
    outcome: str


@app.post(
    "/webhooks/stripe",
    summary="Stripe's webhook (signed by Stripe; no token)",
    responses={
        200: {"description": "Taken, or already taken (`outcome`: recorded, duplicate, stale or ignored)"},
        400: {"description": "No Stripe-Signature, or one that does not sign this body within 300 s"},
        503: {"description": "Not ready for it yet (its order is not written): Stripe sends it again"},
    },
)
def stripe_webhook() -> Response[Received]:
    event = app.current_event
    payload = body_bytes(event.raw_event)
    if payload is None:
        raise BadRequest.on_field("body", "not valid base64")
    answer = webhooks.service().receive(payload, event.headers.get("stripe-signature"))
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=Received(received=answer.received, outcome=answer.outcome),
    )


lambda_handler = make_handler(app, public=True)
