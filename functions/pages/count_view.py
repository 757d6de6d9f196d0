"""POST /p/{groupSlug}/{funnelSlug}/{stepSlug}/view?t=<ticket>: the page's beacon counts its view,
keeps the visitor's id cookie and hands the page a fresh form token. The page's signed ticket
names it, so counting reads nothing (``funnel_core.pages.tickets``)."""

import json

from aws_lambda_powertools.event_handler import Response, content_types

from funnel_core.http.app import PUBLIC, create_app, make_handler
from funnel_core.pages import tickets, tokens
from funnel_core.visitors import identity, views

app = create_app(PUBLIC)
_MAX_BODY = 4096


def _error(status: int, code: str, message: str) -> Response[str]:
    return _json(status, {"error": {"code": code, "message": message, "fields": []}})


def _json(status: int, body: dict[str, object], headers: dict[str, str] | None = None) -> Response[str]:
    all_headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", **(headers or {})}
    return Response(status, content_types.APPLICATION_JSON, json.dumps(body), all_headers)


@app.post(
    "/p/<groupSlug>/<funnelSlug>/<stepSlug>/view",
    summary="Count a view of a live page (the page's own beacon)",
    responses={
        200: {"description": "Counted, or served to a bot and counted apart"},
        400: {"description": "A missing or forged view ticket"},
        404: {"description": "No such route"},
        413: {"description": "A body over 4 KB"},
    },
)
def count_view(groupSlug: str, funnelSlug: str, stepSlug: str) -> Response[str]:
    event = app.current_event
    page = tickets.read(event.get_query_string_value("t"))
    if page is None:
        return _error(400, "bad_view_ticket", "the view ticket is missing or was not issued by this site")
    raw = event.decoded_body or ""
    if len(raw) > _MAX_BODY:
        return _error(413, "payload_too_large", f"a view beacon is at most {_MAX_BODY} bytes")
    try:
        sent = json.loads(raw) if raw else {}
    except ValueError:
        sent = {}
    sent = sent if isinstance(sent, dict) else {}
    headers = {name.lower(): value for name, value in event.headers.items()}
    visitor = identity.identify(headers, event.cookies)
    user_agent = headers.get("user-agent")
    if identity.is_bot(user_agent):
        views.service().count_bot(page, visitor)
        return _json(200, {"counted": False})
    request = views.ViewRequest(
        user_agent=user_agent,
        referrer=sent.get("referrer") if isinstance(sent.get("referrer"), str) else None,
        query=sent.get("query") if isinstance(sent.get("query"), str) else None,
    )
    views.service().count(page, visitor, request)
    cookie = identity.visitor_cookie(visitor)
    answer = _json(200, {"counted": True, "formToken": tokens.issue(page.variantStepId or page.stepId)})
    if cookie:
        answer.cookies.append(cookie)
    return answer


lambda_handler = make_handler(app, public=True)
