"""POST /p/{groupSlug}/{funnelSlug}/{stepSlug}/checkout: a visitor orders on a live order page.

On-page payment: the page's script posts JSON and the answer carries what Stripe.js needs.
Hosted checkout: the browser posts the order form itself (urlencoded) and is sent on with a 303
to Stripe's Checkout page; what goes wrong comes back as a page that says so. A script may post
JSON to a hosted step too, and is answered with the Checkout page's URL.
"""

from urllib.parse import urlsplit

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from funnel_core.commerce import checkout as checkouts
from funnel_core.commerce.models import CheckoutAnswer, CheckoutBody, CheckoutStatus
from funnel_core.errors import DomainError, NotFound, ValidationFailed
from funnel_core.http.app import FORM_TYPE, PUBLIC, create_app, make_handler
from funnel_core.http.errors import error_response, validation_response
from funnel_core.models.common import ErrorBody
from funnel_core.pages import not_found, serving
from funnel_core.pages.serving import SECURITY_HEADERS
from funnel_core.visitors import identity

app = create_app(PUBLIC)

_NOTICE_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": not_found.CONTENT_SECURITY_POLICY,
}
# A refusal: the API's error body to a script, a page that says so to a browser's form post.
_REFUSED: dict = {"application/json": {"model": ErrorBody}, "text/html": {"schema": {"type": "string"}}}
_HEADINGS = {
    402: "The payment did not go through",
    404: "This page is not available",
    409: "This order cannot be taken right now",
    422: "Please check your order",
    503: "Payments are unavailable for a moment",
}


def _from_a_form() -> bool:
    content_type = app.current_event.headers.get("content-type") or ""
    return content_type.split(";")[0].strip().lower() == FORM_TYPE


def _own_page() -> str:
    return app.current_event.path.removesuffix("/checkout")


def _notice(status: int, message: str, retry_after: int | None = None) -> Response[str]:
    heading = _HEADINGS.get(status, "Your order was not taken")
    headers = {**_NOTICE_HEADERS, **({"Retry-After": str(retry_after)} if retry_after else {})}
    return Response(status_code=status, body=not_found.notice(status, heading, message, _own_page()), headers=headers)


def _origin() -> str:
    """The site the visitor is on, for Stripe's way back to it: the browser's ``Origin`` (the CDN's
    or a custom domain), else the host asked. A forged one only misleads the forger's own session."""
    headers = {name.lower(): value for name, value in app.current_event.headers.items()}
    origin = headers.get("origin") or ""
    parts = urlsplit(origin)
    if parts.scheme in ("https", "http") and parts.netloc and not parts.path:
        return f"{parts.scheme}://{parts.netloc}"
    host = headers.get("x-forwarded-host") or headers.get("host") or "localhost"
    scheme = "http" if host.split(":")[0] in ("127.0.0.1", "localhost") else "https"
    return f"{scheme}://{host}"


@app.exception_handler(RequestValidationError)
def _invalid(error: RequestValidationError) -> Response:
    answer = validation_response(error)
    if not _from_a_form():
        return answer
    problems = "; ".join(str(item.get("msg", "")).removeprefix("Value error, ") for item in error.errors())
    return _notice(422, f"Your order was not taken: {problems}")


@app.exception_handler(DomainError)
def _refused(error: DomainError) -> Response:
    if not _from_a_form():
        return error_response(error.status, error.code, error.message, error.fields, error.retry_after)
    message = error.message if not error.fields else "; ".join(problem.message for problem in error.fields)
    return _notice(error.status, message, error.retry_after)


@app.post(
    "/p/<groupSlug>/<funnelSlug>/<stepSlug>/checkout",
    summary="Order on a live order page: paid on the page (JSON), or sent on to Stripe's hosted Checkout",
    responses={
        200: {
            "description": "The order, and what Stripe.js needs (or the hosted Checkout page's URL)",
            "content": {"application/json": {"model": CheckoutAnswer}},
        },
        303: {"description": "A browser's form post on a hosted checkout: on to Stripe's Checkout page", "content": {}},
        **{
            status: {"description": meaning, "content": _REFUSED}
            for status, meaning in {
                400: "A forged or missing order token, or a body that cannot be read",
                402: "The card was declined",
                404: "No live page at this URL",
                409: "The shop takes no payments yet, or the order's card is being charged",
                413: "A body over 256 KB",
                415: "Neither JSON nor a urlencoded form",
                422: "A field is not valid, or the page does not sell what was asked for",
                502: "Stripe refused the shop's request (its set-up)",
                503: "Stripe is out of reach for a moment: nothing was charged, try again",
            }.items()
        },
    },
)
def checkout(groupSlug: str, funnelSlug: str, stepSlug: str, body: CheckoutBody) -> Response[str]:
    # The answer is JSON, a 303 or an HTML notice: serialised here, its 200 model declared above.
    page = serving.service().find(groupSlug, funnelSlug, stepSlug)
    if page is None:
        raise NotFound("no live page at this URL")
    hosted = page.sale is not None and page.sale.hosted
    if _from_a_form() and not hosted:
        raise ValidationFailed.on("Content-Type", "this order page takes the card on the page: its script posts JSON")
    event = app.current_event
    headers = {name.lower(): value for name, value in event.headers.items()}
    visitor = identity.identify(headers, event.cookies)
    answer = checkouts.service().checkout(page, body, visitor, _origin())
    onward = answer.checkoutUrl if answer.status is CheckoutStatus.REDIRECT else answer.next
    if _from_a_form() and onward:
        return Response(status_code=303, headers={"Location": onward, "Cache-Control": "no-store"}, body="")
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=answer.model_dump_json())


lambda_handler = make_handler(app, forms=True)
