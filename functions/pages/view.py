"""GET /p/{groupSlug}/{funnelSlug} and /p/{groupSlug}/{funnelSlug}/{stepSlug}: a live page."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from funnel_core.http.app import PUBLIC, create_app, make_handler
from funnel_core.pages import serving

app = create_app(PUBLIC, validation=False)
_HTML: OpenAPIResponse = {"description": "", "content": {"text/html": {"schema": {"type": "string"}}}}
_RESPONSES: dict[int, OpenAPIResponse] = {
    200: {**_HTML, "description": "The page"},
    304: {"description": "Not modified since the ETag given in If-None-Match"},
    404: {**_HTML, "description": "No live page at this URL (an HTML page)"},
}


def _answer(group_slug: str, funnel_slug: str, step_slug: str | None) -> Response[str]:
    if_none_match = app.current_event.headers.get("if-none-match")
    page = serving.service().answer(group_slug, funnel_slug, step_slug, if_none_match)
    return Response(status_code=page.status, body=page.body, headers=page.headers)


def _serve(event: dict[str, Any], _context: object) -> dict[str, Any]:
    """The same answer as the routes above, without the router: a page view is the hottest
    request there is, and its three path parameters are all it reads (docs/pages.md)."""
    path = event.get("pathParameters") or {}
    if_none_match = (event.get("headers") or {}).get("if-none-match")
    page = serving.service().answer(
        path.get("groupSlug", ""), path.get("funnelSlug", ""), path.get("stepSlug"), if_none_match
    )
    return {"statusCode": page.status, "headers": page.headers, "body": page.body, "isBase64Encoded": False}


@app.get("/p/<groupSlug>/<funnelSlug>", summary="The live page of a funnel's first step", responses=_RESPONSES)
def first_step(groupSlug: str, funnelSlug: str) -> Response[str]:
    return _answer(groupSlug, funnelSlug, None)


@app.get("/p/<groupSlug>/<funnelSlug>/<stepSlug>", summary="The live page of a step", responses=_RESPONSES)
def step(groupSlug: str, funnelSlug: str, stepSlug: str) -> Response[str]:
    return _answer(groupSlug, funnelSlug, stepSlug)


lambda_handler = make_handler(app, public=True, direct=_serve)
