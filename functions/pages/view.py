"""GET /p/{groupSlug}/{funnelSlug} and /p/{groupSlug}/{funnelSlug}/{stepSlug}: a live page."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from funnel_core.http.app import PUBLIC, create_app, make_handler
from funnel_core.pages import serving, splits
from funnel_core.visitors import identity

app = create_app(PUBLIC, validation=False)
_HTML: OpenAPIResponse = {"description": "", "content": {"text/html": {"schema": {"type": "string"}}}}
_RESPONSES: dict[int, OpenAPIResponse] = {
    200: {**_HTML, "description": "The page"},
    304: {"description": "Not modified since the ETag given in If-None-Match"},
    404: {**_HTML, "description": "No live page at this URL (an HTML page)"},
}


def _bucket_of(headers: dict[str, str], cookies: list[str] | None) -> serving.BucketOf:
    """The visitor's A/B bucket, asked only of a page under a running test: by their cookie's id,
    a new id (its cookie set with the page), or one for this request when they decline tracking."""

    def visit() -> serving.Bucketed:
        visitor = identity.identify(headers, cookies)
        return serving.Bucketed(splits.bucket_of(visitor.visitor_id), identity.visitor_cookie(visitor))

    return visit


def _page(group_slug: str, funnel_slug: str, step_slug: str | None, event: dict[str, Any]) -> serving.PageAnswer:
    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    return serving.service().answer(
        group_slug,
        funnel_slug,
        step_slug,
        headers.get("if-none-match"),
        edge_bucket=headers.get(serving.BUCKET_HEADER),
        bucket_of=_bucket_of(headers, event.get("cookies")),
    )


def _answer(group_slug: str, funnel_slug: str, step_slug: str | None) -> Response[str]:
    page = _page(group_slug, funnel_slug, step_slug, app.current_event.raw_event)
    return Response(status_code=page.status, body=page.body, headers=page.headers, cookies=page.cookies)


def _serve(event: dict[str, Any], _context: object) -> dict[str, Any]:
    """The same answer as the routes above, without the router: a page view is the hottest
    request there is, and its three path parameters are all it reads (docs/pages.md)."""
    path = event.get("pathParameters") or {}
    page = _page(path.get("groupSlug", ""), path.get("funnelSlug", ""), path.get("stepSlug"), event)
    answer = {"statusCode": page.status, "headers": page.headers, "body": page.body, "isBase64Encoded": False}
    if page.cookies:
        answer["cookies"] = [str(cookie) for cookie in page.cookies]
    return answer


@app.get("/p/<groupSlug>/<funnelSlug>", summary="The live page of a funnel's first step", responses=_RESPONSES)
def first_step(groupSlug: str, funnelSlug: str) -> Response[str]:
    return _answer(groupSlug, funnelSlug, None)


@app.get("/p/<groupSlug>/<funnelSlug>/<stepSlug>", summary="The live page of a step", responses=_RESPONSES)
def step(groupSlug: str, funnelSlug: str, stepSlug: str) -> Response[str]:
    return _answer(groupSlug, funnelSlug, stepSlug)


lambda_handler = make_handler(app, public=True, direct=_serve)
