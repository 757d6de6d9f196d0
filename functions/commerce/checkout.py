"""POST /p/{groupSlug}/{funnelSlug}/{stepSlug}/checkout: a visitor orders on a live order page;
the answer carries the PaymentIntent the page's script confirms with Stripe.js."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.commerce import checkout as checkouts
from funnel_core.commerce.models import CheckoutAnswer, CheckoutBody
from funnel_core.errors import NotFound
from funnel_core.http.app import PUBLIC, create_app, make_handler, ok
from funnel_core.pages import serving
from funnel_core.visitors import identity

app = create_app(PUBLIC)


@app.post(
    "/p/<groupSlug>/<funnelSlug>/<stepSlug>/checkout",
    summary="Order on a live order page: the amount from the published version, a PaymentIntent to confirm",
    responses={
        200: {"description": "The order and the PaymentIntent's client secret, for Stripe.js"},
        400: {"description": "A forged or missing order token, or a body that is not JSON"},
        402: {"description": "The card was declined"},
        404: {"description": "No live page at this URL"},
        409: {"description": "The shop takes no payments yet, or the order's card is being charged"},
        413: {"description": "A body over 256 KB"},
        415: {"description": "Not JSON"},
        422: {"description": "A field is not valid, or the page does not sell what was asked for"},
        502: {"description": "Stripe refused the shop's request (its set-up)"},
    },
)
def checkout(groupSlug: str, funnelSlug: str, stepSlug: str, body: CheckoutBody) -> Response[CheckoutAnswer]:
    page = serving.service().find(groupSlug, funnelSlug, stepSlug)
    if page is None:
        raise NotFound("no live page at this URL")
    event = app.current_event
    headers = {name.lower(): value for name, value in event.headers.items()}
    visitor = identity.identify(headers, event.cookies)
    return ok(checkouts.service().checkout(page, body, visitor))


lambda_handler = make_handler(app)
